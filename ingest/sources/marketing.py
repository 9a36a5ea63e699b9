"""Marketing spend by month and channel (the denominator of CAC), as CSV."""

from ingest.quarantine import TableContract
from ingest.sources.files import FileSource, FileTable

TABLES = [
    FileTable(
        TableContract("spend", key=("month", "channel"), types={"spend": "DECIMAL(18,2)"}),
        file_glob="spend_*.csv",
        file_format="csv",
    ),
]

SOURCE = FileSource(TABLES)
