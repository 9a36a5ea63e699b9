"""CRM A (Salesforce-like) through its REST API, with dlt's REST client.

Endpoint and token come from dlt config (`sources.crm_a.base_url`,
`sources.crm_a.api_token`, e.g. SOURCES__CRM_A__API_TOKEN), never from code. The
resource is incremental on LastModifiedDate (the API's own `modified_since` cursor) and
merges on `Id`, so bronze holds each contact's latest version. Each page goes through the
same contract check as files: a record without an Id or with an unparseable date is
quarantined, not loaded.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dlt
import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator

from c360.privacy import suppression
from ingest.demo.crm_api import CONTACTS_PATH, serve_crm_api
from ingest.quarantine import TableContract, quarantine_rows, split_by_contract
from ingest.readers import records_to_table
from ingest.runlog import SystemRun, say

CONTACTS = TableContract("contacts", key=("Id",), types={
    "CreatedDate": "TIMESTAMPTZ", "LastModifiedDate": "TIMESTAMPTZ", "Birthdate": "DATE", "IsDeleted": "BOOLEAN",
})
PAGE_SIZE = 5000


@dlt.source(name="crm_a")
def crm_a_source(run: SystemRun, base_url: str = dlt.config.value, api_token: str = dlt.secrets.value) -> DltResource:
    """CRM A's contacts; `base_url` and `api_token` resolve from dlt config and secrets."""
    return contacts_resource(run, base_url, api_token)


def contacts_resource(run: SystemRun, base_url: str, api_token: str) -> DltResource:
    stats = run.table(CONTACTS.name)

    @dlt.resource(name=CONTACTS.name, primary_key="Id", write_disposition="merge")
    def contacts() -> object:
        state = dlt.current.resource_state()
        since = state.get("last_modified", "")
        client = RESTClient(base_url=base_url, auth=BearerTokenAuth(api_token),
                            paginator=JSONLinkPaginator(next_url_path="nextRecordsUrl"), data_selector="records")
        started = time.perf_counter()
        newest = since
        position = 0
        for page in client.paginate(CONTACTS_PATH, params={"modified_since": since, "page_size": PAGE_SIZE}):
            records = list(page)
            if not records:
                continue
            clean, rejects = split_by_contract(records_to_table(records), CONTACTS)
            clean, rejects, suppressed = suppression().leave_out(clean, rejects, run.system, CONTACTS.name)
            rejects = rejects.set_column(0, "source_row", pa.compute.add(rejects.column("source_row"), position))
            position += len(records)
            newest = max([newest, *(str(r.get("LastModifiedDate") or "") for r in records)])
            stats.rows_read += len(records)
            stats.rows_loaded += clean.num_rows
            stats.rows_quarantined += rejects.num_rows
            stats.rows_suppressed += suppressed
            run.quarantine.extend(quarantine_rows(run.system, CONTACTS.name, CONTACTS_PATH, rejects, run.run_id))
            if clean.num_rows:
                yield clean
        state["last_modified"] = newest
        say(f"[{run.system}] {CONTACTS_PATH}: {stats.rows_loaded:,} rows, {stats.rows_quarantined:,} quarantined, "
            f"{stats.rows_read:,} fetched since {since or 'the beginning'} ({time.perf_counter() - started:.1f}s)")

    return contacts()


class CrmApiSource:
    """CRM A behind its REST API (see ingest.sources.files.FileSource for the entry). For the demo,
    the API serves the generated contacts on 127.0.0.1 with a fresh token while the system loads."""

    table_names = (CONTACTS.name,)

    def resources(self, folder: Path, run: SystemRun) -> list[DltResource]:
        return [crm_a_source(run)]

    @contextmanager
    def serving(self, folder: Path) -> Iterator[None]:
        token = secrets.token_urlsafe(24)
        with serve_crm_api(folder / "contacts.jsonl", token) as base_url:
            os.environ["SOURCES__CRM_A__BASE_URL"] = base_url
            os.environ["SOURCES__CRM_A__API_TOKEN"] = token
            yield


SOURCE = CrmApiSource()
