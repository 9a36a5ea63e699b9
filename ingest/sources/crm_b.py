"""CRM B (Dynamics-like): CSV contact exports, one file per export run.

Each export holds contacts created or modified since the previous one, so bronze keeps
every exported version (merge by file); staging picks the latest per `contactid`.
Dates arrive in mixed formats and stay text here: silver parses them.
"""

from ingest.quarantine import TableContract
from ingest.sources.files import FileSource, FileTable

TABLES = [
    FileTable(
        TableContract("contacts", key=("contactid",), types={"statecode": "INTEGER"}),
        file_glob="contacts_export_*.csv",
        file_format="csv",
    ),
]

SOURCE = FileSource(TABLES)
