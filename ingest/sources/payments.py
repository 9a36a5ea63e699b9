"""Payment gateway (Stripe-like): payment and refund CSV exports.

The gateway guarantees a timestamp and a decimal amount; `N/A` or `12,50` in `amount`
is a broken export row and is quarantined. Orphan and negative payments are valid rows
here (silver flags them): they are business problems, not load problems.
"""

from ingest.quarantine import TableContract
from ingest.sources.files import FileSource, FileTable

TABLES = [
    FileTable(
        TableContract("payments", key=("id",), types={"created": "TIMESTAMP", "amount": "DECIMAL(18,2)"}),
        file_glob="payments_*.csv",
        file_format="csv",
    ),
    FileTable(
        TableContract("refunds", key=("id",), types={"created": "TIMESTAMP", "amount": "DECIMAL(18,2)"}),
        file_glob="refunds_*.csv",
        file_format="csv",
    ),
]

SOURCE = FileSource(TABLES)
