"""Bring-your-own person records: a CSV or Parquet file mapped onto the canonical person fields.

The file's id column becomes `source_record_id` and mapped columns take their canonical
names; unmapped columns are kept as they are. Everything stays text: silver standardises.
"""

from ingest.config import PersonFile
from ingest.quarantine import TableContract
from ingest.sources.files import FileTable


def person_file_table(person_file: PersonFile) -> FileTable:
    rename = {source: canonical for canonical, source in person_file.columns.items()}
    rename[person_file.id_column] = "source_record_id"
    return FileTable(
        TableContract("person_records", key=("source_record_id",)),
        file_glob=person_file.path.name,
        file_format=person_file.format,
        rename=rename,
    )
