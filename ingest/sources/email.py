"""Email marketing (Mailchimp-like): campaigns, subscribers and engagement events as CSV."""

from ingest.quarantine import TableContract
from ingest.sources.files import FileSource, FileTable

TABLES = [
    FileTable(
        TableContract("campaigns", key=("campaign_id",), types={"cost": "DECIMAL(18,2)", "audience_size": "BIGINT"}),
        file_glob="campaigns_*.csv",
        file_format="csv",
    ),
    FileTable(TableContract("subscribers", key=("subscriber_id",)), file_glob="subscribers_*.csv", file_format="csv"),
    FileTable(TableContract("events", key=("event_id",)), file_glob="events_*.csv", file_format="csv", event_log=True),
]

SOURCE = FileSource(TABLES)
