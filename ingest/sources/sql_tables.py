"""A person file or an export that lives in a SQL table instead of a file (`table: {url, name}`).

The table is read whole on each run (any database SQLAlchemy has a driver for), every
column as text like a CSV, and goes through the same mapping, reshaping and contract as the
file would; its rows replace the table's earlier rows in bronze (merged on `_source_file`,
which names the table). Row order stands in for line numbers.
"""

from __future__ import annotations

import time

import dlt
import pyarrow as pa
import sqlalchemy as sa
from dlt.sources import DltResource
from dlt.sources.sql_database import sql_table

from c360.privacy import suppression
from ingest.quarantine import SourceFileError, empty_rejects, quarantine_rows
from ingest.runlog import SystemRun, say
from ingest.sources.files import FileTable, validated


def read_sql_table(url: str, table: str) -> pa.Table:
    """Every row of `table` (dlt's sql_table, the Arrow backend the shop source uses too), every
    column as text, with its position as `_source_line`."""
    try:
        parts = list(sql_table(credentials=url, table=table, backend="pyarrow", chunk_size=100_000))
    except Exception as error:  # dlt wraps the driver's errors in its own pipeline exceptions
        root = error
        while root.__cause__ is not None:
            root = root.__cause__
        raise SourceFileError(f"table {table} at {safe_url(url)} cannot be read: {type(root).__name__}: {root}") \
            from error
    rows = pa.concat_tables(parts) if parts else pa.table({})
    text = pa.table({name: rows.column(name).cast(pa.string()) for name in rows.column_names})
    return text.append_column("_source_line", pa.array(range(1, text.num_rows + 1), pa.int64()))


def safe_url(url: str) -> str:
    """The URL without its password, for messages and lineage."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def sql_table_resource(url: str, table: str, spec: FileTable, run: SystemRun) -> DltResource:
    stats = run.table(spec.name)
    source_ref = f"{safe_url(url)}#{table}"

    @dlt.resource(name=spec.name, write_disposition={"disposition": "merge", "strategy": "delete-insert"},
                  merge_key="_source_file")
    def rows() -> object:
        started = time.perf_counter()
        notes: list[str] = []
        try:
            clean, rejects = validated(read_sql_table(url, table), empty_rejects(), spec, source_ref, source_ref,
                                       notes)
            clean, rejects, suppressed = suppression().leave_out(clean, rejects, run.system, spec.name)
        except SourceFileError as error:
            stats.files_failed += 1
            stats.errors.append(str(error))
            run.fail(f"{spec.name}: {error}")
            return
        stats.files_read += 1
        stats.rows_read += clean.num_rows + rejects.num_rows + suppressed
        stats.rows_loaded += clean.num_rows
        stats.rows_quarantined += rejects.num_rows
        stats.rows_suppressed += suppressed
        stats.warnings.extend(f"{table}: {note}" for note in notes)
        run.quarantine.extend(quarantine_rows(run.system, spec.name, source_ref, rejects, run.run_id))
        say(f"[{run.system}] {table}: {clean.num_rows:,} rows, {rejects.num_rows:,} quarantined "
            f"({time.perf_counter() - started:.1f}s)")
        yield clean

    return rows()
