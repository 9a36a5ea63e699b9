"""Bring-your-own person records: a CSV or Parquet file mapped onto the canonical person fields.

The file's id column becomes `source_record_id`, mapped columns take their canonical names
(a field mapped to several columns is their values joined with a space, the columns kept as
they are), declared identifiers become `identifier__<name>`, and every canonical field the
file lacks is added empty, so that silver reads one shape whatever the file holds. Unmapped
columns are kept as they are. Dates are read per file and column (`ingest.dates`): the
canonical date fields become ISO text, the export's text kept beside them in `<field>__raw`
and a value that does not read flagged in `_data_issues`. Everything else stays text: silver
standardises.
"""

from __future__ import annotations

import glob

import duckdb
import pyarrow as pa

from ingest.config import DATE_FIELDS, PERSON_FIELDS, PersonFile
from ingest.dates import standardise_dates
from ingest.quarantine import LINEAGE_COLUMNS, SourceFileError, TableContract
from ingest.sources.files import FileTable

IDENTIFIER_PREFIX = "identifier__"


def joined_columns(rows: pa.Table, sources: tuple[str, ...], canonical: str) -> pa.Array:
    """The file's columns `sources` as one text column, joined with a space (empty parts skipped)."""
    missing = [column for column in sources if column not in rows.column_names]
    if missing:
        found = [name for name in rows.column_names if name not in LINEAGE_COLUMNS]
        raise SourceFileError(f"columns {missing} mapped to {canonical} are not in the file; "
                              f"it has: {', '.join(found[:30])}")
    parts = ", ".join(f'nullif(trim(cast("{column}" as varchar)), \'\')' for column in sources)
    joined = duckdb.sql(f"select nullif(concat_ws(' ', {parts}), '') from rows").to_arrow_table()
    return joined.column(0).cast(pa.string())


def complete_person_fields(rows: pa.Table, mapped: tuple[str, ...], date_formats: dict[str, str],
                           notes: list[str]) -> pa.Table:
    """Every canonical person field (empty where nothing maps to it), dates read per column."""
    for canonical in PERSON_FIELDS:
        if canonical not in rows.column_names:
            rows = rows.append_column(canonical, pa.nulls(rows.num_rows, pa.string()))
    mapped_dates = {name: "date" if name == "date_of_birth" else "timestamp" for name in DATE_FIELDS if name in mapped}
    rows, date_notes = standardise_dates(rows, mapped_dates, date_formats)
    notes.extend(date_notes)
    return rows


def person_file_table(person_file: PersonFile) -> FileTable:
    rename = {sources[0]: canonical for canonical, sources in person_file.columns.items() if len(sources) == 1}
    rename.update({column: IDENTIFIER_PREFIX + name for name, column in person_file.identifiers.items()})
    rename[person_file.id_column] = "source_record_id"
    combined = {canonical: sources for canonical, sources in person_file.columns.items() if len(sources) > 1}

    def canonical_shape(rows: pa.Table, notes: list[str]) -> pa.Table:
        for canonical, sources in combined.items():
            rows = rows.append_column(canonical, joined_columns(rows, sources, canonical))
        return complete_person_fields(rows, tuple(person_file.columns), person_file.date_formats, notes)

    return FileTable(
        TableContract("person_records", key=("source_record_id",)),
        # `members[2024].csv` is a name, not a pattern (no path: a SQL table)
        file_glob=glob.escape(person_file.path.name if person_file.path else ""),
        file_format=person_file.format,
        delimiter=person_file.delimiter,
        encoding=person_file.encoding,
        rename=rename,
        reshape=canonical_shape,
    )
