"""The demo CRM A: a small Salesforce-like REST API over the generator's contacts store.

Serves `GET /services/data/v59.0/query/contacts` on 127.0.0.1 with bearer-token auth,
`modified_since` filtering on LastModifiedDate (strictly after, as the CRM's cursor),
and `nextRecordsUrl` pagination. Started and stopped by `ingest.run` around the CRM A
load; tests start it the same way. Run it by hand with `python -m ingest.demo.crm_api`.
"""

from __future__ import annotations

import argparse
import bisect
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

CONTACTS_PATH = "/services/data/v59.0/query/contacts"
MAX_PAGE_SIZE = 10_000


def load_contacts(store: Path) -> tuple[list[str], list[str]]:
    """All contacts as their JSON text, ordered by (LastModifiedDate, Id) so pages are stable, and
    their LastModifiedDate. Kept as text, not objects: a store of 700k contacts then holds about a
    fifth of the memory, and a page is served without encoding it again."""
    keyed = []
    with store.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                contact = json.loads(line)
                keyed.append((str(contact.get("LastModifiedDate") or ""), str(contact.get("Id") or ""),
                              line.strip()))
    keyed.sort()
    return [text for _, _, text in keyed], [modified for modified, _, _ in keyed]


def _handler(store: tuple[list[str], list[str]], token: str) -> type[BaseHTTPRequestHandler]:
    contacts, modified = store

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the ingest output readable
            pass

        def _send(self, status: HTTPStatus, body: dict | list, records: list[str] | None = None) -> None:
            """`records`: JSON texts sent as the body's "records" list."""
            payload = json.dumps(body).encode()
            if records is not None:
                payload = payload[:-1] + b', "records": [' + ", ".join(records).encode() + b"]}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            if self.headers.get("Authorization") != f"Bearer {token}":
                self._send(HTTPStatus.UNAUTHORIZED, [{"errorCode": "INVALID_SESSION_ID",
                                                      "message": "Session expired or invalid"}])
                return
            if url.path != CONTACTS_PATH:
                self._send(HTTPStatus.NOT_FOUND, [{"errorCode": "NOT_FOUND", "message": url.path}])
                return
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            try:
                page_size = min(int(query.get("page_size", 2000)), MAX_PAGE_SIZE)
                offset = int(query.get("offset", 0))
            except ValueError:
                self._send(HTTPStatus.BAD_REQUEST, [{"errorCode": "MALFORMED_QUERY",
                                                     "message": "page_size and offset must be integers"}])
                return
            since = query.get("modified_since", "")
            # Records strictly after the cursor: the first timestamp past it in the sorted list.
            low = bisect.bisect_right(modified, since)
            selected = len(contacts) - low
            page = contacts[low + offset:low + offset + page_size]
            done = offset + page_size >= selected
            body: dict = {"totalSize": selected, "done": done}
            if not done:
                next_query = {**query, "offset": offset + page_size, "page_size": page_size}
                body["nextRecordsUrl"] = f"{CONTACTS_PATH}?{urlencode(next_query)}"
            self._send(HTTPStatus.OK, body, page)

    return Handler


@contextmanager
def serve_crm_api(store: Path, token: str, port: int = 0) -> Iterator[str]:
    """Serve the contacts store on 127.0.0.1 for the duration of the block; yields the base URL."""
    if not store.exists():
        raise FileNotFoundError(f"CRM A contacts store {store} not found: generate the demo first")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(load_contacts(store), token))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("data/demo/sources/crm_a/contacts.jsonl"))
    parser.add_argument("--token", required=True)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with serve_crm_api(args.store, args.token, args.port) as url:
        print(f"CRM A API on {url}{CONTACTS_PATH} (Ctrl-C to stop)")
        threading.Event().wait()


if __name__ == "__main__":
    main()
