"""Support desk (Zendesk-like): tickets as JSON lines, one file per export.

A ticket reappears in a later export when it changes (status, resolution); bronze keeps
each version, staging takes the latest. `requester` is flattened to `requester__*`.
"""

from ingest.quarantine import TableContract
from ingest.sources.files import FileSource, FileTable

TABLES = [
    FileTable(
        TableContract("tickets", key=("ticket_id",), types={
            "created_at": "TIMESTAMPTZ", "updated_at": "TIMESTAMPTZ", "resolved_at": "TIMESTAMPTZ",
            "csat_score": "INTEGER",
        }),
        file_glob="tickets_*.jsonl",
        file_format="jsonl",
    ),
]

SOURCE = FileSource(TABLES)
