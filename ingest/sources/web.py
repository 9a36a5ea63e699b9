"""Web and app events (Segment-like) in Parquet: the high-volume source, loaded as Arrow.

Parquet carries its types, so only the key is checked; events are immutable, so each
file is read once (file-level incremental state).
"""

from ingest.quarantine import TableContract
from ingest.sources.files import FileSource, FileTable

TABLES = [
    FileTable(
        TableContract("events", key=("event_id",)),
        file_glob="events_*.parquet",
        file_format="parquet",
        event_log=True,
    ),
]

SOURCE = FileSource(TABLES)
