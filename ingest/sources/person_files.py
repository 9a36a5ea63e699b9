"""Bring-your-own person records: a CSV or Parquet file mapped onto the canonical person fields.

The file's id column becomes `source_record_id`, mapped columns take their canonical names
(a field mapped to several columns is their values joined with a space, the columns kept as
they are), declared identifiers become `identifier__<name>`, and every canonical field the
file lacks is added empty, so that silver reads one shape whatever the file holds. Unmapped
columns are kept as they are. Everything stays text: silver standardises.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from ingest.config import PERSON_FIELDS, PersonFile
from ingest.quarantine import SourceFileError, TableContract
from ingest.sources.files import FileTable

IDENTIFIER_PREFIX = "identifier__"


def person_file_table(person_file: PersonFile) -> FileTable:
    rename = {sources[0]: canonical for canonical, sources in person_file.columns.items() if len(sources) == 1}
    rename.update({column: IDENTIFIER_PREFIX + name for name, column in person_file.identifiers.items()})
    rename[person_file.id_column] = "source_record_id"
    combined = {canonical: sources for canonical, sources in person_file.columns.items() if len(sources) > 1}

    def canonical_shape(rows: pa.Table) -> pa.Table:
        for canonical, sources in combined.items():
            missing = [column for column in sources if column not in rows.column_names]
            if missing:
                raise SourceFileError(f"columns {missing} mapped to {canonical} are not in the file; "
                                      f"it has: {', '.join(rows.column_names[:30])}")
            parts = ", ".join(f'nullif(trim(cast("{column}" as varchar)), \'\')' for column in sources)
            joined = duckdb.sql(f"select nullif(concat_ws(' ', {parts}), '') from rows").to_arrow_table()
            rows = rows.append_column(canonical, joined.column(0).cast(pa.string()))
        for canonical in PERSON_FIELDS:
            if canonical not in rows.column_names:
                rows = rows.append_column(canonical, pa.nulls(rows.num_rows, pa.string()))
        return rows

    return FileTable(
        TableContract("person_records", key=("source_record_id",)),
        file_glob=person_file.path.name,
        file_format=person_file.format,
        rename=rename,
        reshape=canonical_shape,
    )
