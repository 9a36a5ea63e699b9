"""The demo CRM A REST API: bearer auth, modified_since cursor, nextRecordsUrl pagination."""

import json

import pytest
import requests

from ingest.demo.crm_api import CONTACTS_PATH, serve_crm_api


@pytest.fixture()
def store(tmp_path):
    path = tmp_path / "contacts.jsonl"
    records = [{"Id": f"003{i:03d}", "LastModifiedDate": f"2024-01-{i:02d}T00:00:00.000+0000"} for i in range(1, 26)]
    path.write_text("\n".join(json.dumps(r) for r in reversed(records)))
    return path


def test_requests_without_the_token_are_refused(store):
    with serve_crm_api(store, "s3cret") as base:
        assert requests.get(base + CONTACTS_PATH, timeout=5).status_code == 401
        wrong = requests.get(base + CONTACTS_PATH, headers={"Authorization": "Bearer nope"}, timeout=5)
        assert wrong.status_code == 401


def test_pages_follow_next_records_url_and_filter_on_modified_since(store):
    headers = {"Authorization": "Bearer s3cret"}
    with serve_crm_api(store, "s3cret") as base:
        ids, url = [], f"{base}{CONTACTS_PATH}?page_size=10&modified_since=2024-01-05T00:00:00.000%2B0000"
        pages = 0
        while url:
            body = requests.get(url, headers=headers, timeout=5).json()
            ids += [record["Id"] for record in body["records"]]
            url = base + body["nextRecordsUrl"] if not body["done"] else None
            pages += 1
    assert pages == 2
    assert ids == [f"003{i:03d}" for i in range(6, 26)]  # strictly after the cursor, in order


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="generate the demo first"), serve_crm_api(tmp_path / "x.jsonl", "t"):
        pass
