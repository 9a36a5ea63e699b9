"""File-export sources (CSV, JSON lines, Parquet) as dlt resources with quarantine.

Every file-based system (CRM B, payments, support, web, email, marketing, and
bring-your-own person files) is declared as a list of `FileTable`s and loaded by the
same resource: dlt's `filesystem` lists the files (local folder or any fsspec bucket) and
the `validated_rows` transformer reads each new or changed file, splits clean rows from
quarantined ones and yields Arrow (the fast path).

File-level state: the resource state remembers each loaded file's size and modification
time. A file is read when it is new or its signature changed, whatever its timestamp (a
modification-date cursor would silently skip a file dropped in with an older mtime).

Write disposition: exports of records (contacts, payments, tickets, ...) merge with
`_source_file` as the merge key and no primary key, so a re-read file replaces its own
earlier rows while exact duplicate rows inside an export are kept for silver to handle:
bronze mirrors the exports row for row. Event logs (web and email events) are append-only
by nature and by far the largest tables: they append, which skips dlt's second copy
through a staging table (measured 4.5 s instead of 6.3 s for 3M rows); file-level state
already guarantees each file is read once. An event file that changes after it was loaded
is refused with an error naming it rather than appended twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import dlt
import pyarrow as pa
from dlt.sources import DltResource
from dlt.sources.filesystem import filesystem

from c360.privacy import suppression
from ingest.quarantine import (
    LINEAGE_COLUMNS,
    SourceFileError,
    TableContract,
    concat_rejects,
    empty_rejects,
    quarantine_rows,
    split_by_contract,
)
from ingest.readers import PART_READERS, READERS
from ingest.runlog import SystemRun, say

FILE_PART_BYTES = 256 * 2**20  # a larger file is read a part at a time (ingest.readers.PART_READERS)


@dataclass(frozen=True)
class FileTable:
    """One bronze table fed by the files matching `file_glob` in a system's folder."""

    contract: TableContract
    file_glob: str
    file_format: str  # a key of ingest.readers.READERS
    rename: Mapping[str, str] = field(default_factory=dict)  # file column -> bronze column
    event_log: bool = False  # immutable files of events: append instead of merge by file
    # after renaming, before the contract: columns derived from the file's own (a canonical shape);
    # it may append notes on how it read the file (date formats) to the list it is given
    reshape: Callable[[pa.Table, list[str]], pa.Table] | None = None
    delimiter: str | None = ","  # CSV: None lets the reader detect it
    encoding: str | None = None  # CSV: None is UTF-8, or Latin-1 for bytes that are not UTF-8

    @property
    def name(self) -> str:
        return self.contract.name


def _local_path(item: Mapping) -> Path:
    url = item["file_url"]
    # the URL is percent-encoded: `members[2024].csv` arrives as `members%5B2024%5D.csv`
    return Path(unquote(url[len("file://"):])) if url.startswith("file://") else Path(item.local_file_path)


def read_validated(path: Path, spec: FileTable, source_ref: str,
                   notes: list[str] | None = None) -> Iterator[tuple[pa.Table, pa.Table]]:
    """Read one file and split it by the table's contract: (clean rows, rejected rows), for the whole
    file or, for a CSV, JSON-lines or Parquet file of more than FILE_PART_BYTES whose columns are not
    reshaped, a part at a time (a reshape looks at whole columns, e.g. to choose a date format). The
    lines that did not parse come with the first. How it was read (an encoding chosen, date formats
    found) is appended to `notes`."""
    notes = [] if notes is None else notes
    options = {"delimiter": spec.delimiter, "encoding": spec.encoding, "notes": notes}
    if (spec.file_format in PART_READERS and spec.reshape is None and path.exists()
            and path.stat().st_size > FILE_PART_BYTES):
        unparsed, parts = PART_READERS[spec.file_format](path, **options)
    else:
        rows, unparsed = READERS[spec.file_format](path, **options)
        parts = iter([rows])
    for rows in parts:
        yield validated(rows, unparsed, spec, source_ref, str(path), notes)
        unparsed = empty_rejects()


def validated(rows: pa.Table, unparsed: pa.Table, spec: FileTable, source_ref: str, where: str,
              notes: list[str]) -> tuple[pa.Table, pa.Table]:
    """Rows read from a file or a table, renamed, reshaped and split by the table's contract."""
    unmapped = [column for column in spec.rename if column not in rows.column_names]
    if unmapped:
        found = [name for name in rows.column_names if name not in LINEAGE_COLUMNS]
        raise SourceFileError(f"{where}: mapped columns {unmapped} are not in the file; "
                              f"it has: {', '.join(found[:30])}")
    if spec.rename:
        rows = rows.rename_columns([spec.rename.get(name, name) for name in rows.column_names])
    if spec.reshape is not None:
        try:
            rows = spec.reshape(rows, notes)
        except SourceFileError as error:
            raise SourceFileError(f"{where}: {error}") from error
    clean, rejected = split_by_contract(rows, spec.contract)
    clean = clean.append_column("_source_file", pa.repeat(pa.scalar(source_ref, pa.string()), clean.num_rows))
    return clean, concat_rejects([unparsed, rejected])


def file_table_resource(folder: Path, spec: FileTable, run: SystemRun) -> DltResource:
    """The dlt resource for one FileTable; progress and counts go to `run`."""
    stats = run.table(spec.name)

    @dlt.transformer(
        name=spec.name,
        write_disposition="append" if spec.event_log else {"disposition": "merge", "strategy": "delete-insert"},
        merge_key=None if spec.event_log else "_source_file",
    )
    def validated_rows(file_items: list) -> object:
        loaded_files = dlt.current.resource_state().setdefault("loaded_files", {})
        for item in file_items:
            source_ref = item["relative_path"]
            signature = f"{item.get('size_in_bytes')}@{item['modification_date'].isoformat()}"
            if loaded_files.get(source_ref) == signature:
                continue  # loaded before, unchanged
            started, seconds = time.perf_counter(), 0.0  # the file's own time, not dlt's while a part waits
            notes: list[str] = []
            loaded = quarantined = 0
            try:
                if spec.event_log and source_ref in loaded_files:
                    raise SourceFileError(
                        f"{source_ref} changed after it was loaded; event logs are append-only, so it was not "
                        f"re-read. Put new events in a new file; to replace this one, delete its rows "
                        f"(where _source_file = '{source_ref}') and give it a new name")
                for clean, rejects in read_validated(_local_path(item), spec, source_ref, notes):
                    clean, rejects, suppressed = suppression().leave_out(clean, rejects, run.system, spec.name)
                    stats.rows_read += clean.num_rows + rejects.num_rows + suppressed
                    stats.rows_loaded += clean.num_rows
                    stats.rows_quarantined += rejects.num_rows
                    stats.rows_suppressed += suppressed
                    run.quarantine.extend(quarantine_rows(run.system, spec.name, source_ref, rejects, run.run_id))
                    loaded, quarantined = loaded + clean.num_rows, quarantined + rejects.num_rows
                    seconds += time.perf_counter() - started
                    yield clean  # also when empty: a header-only export still creates its table
                    started = time.perf_counter()
            except SourceFileError as error:
                stats.files_failed += 1
                if loaded:  # a file read in parts whose first parts are in (its first scan read it all)
                    error = SourceFileError(f"{error}; its first {loaded:,} rows were loaded")
                stats.errors.append(str(error))
                run.fail(f"{spec.name}: {error}")
                # The whole file is quarantined as one record so the loss is visible in SQL.
                run.quarantine.append(quarantine_rows(run.system, spec.name, source_ref, pa.table({
                    "source_row": pa.array([None], pa.int64()), "raw_record": pa.array([None], pa.string()),
                    "reason": pa.array([f"file not loaded: {error}"])}), run.run_id)[0])
                continue
            stats.warnings.extend(f"{source_ref}: {note}" for note in notes)
            loaded_files[source_ref] = signature
            stats.files_read += 1
            seconds += time.perf_counter() - started
            say(f"[{run.system}] {source_ref}: {loaded:,} rows, {quarantined:,} quarantined ({seconds:.1f}s)")
            for note in notes:
                say(f"[{run.system}]   {note}")

    files = filesystem(bucket_url=folder.resolve().as_uri(), file_glob=spec.file_glob)
    return (files | validated_rows).with_name(spec.name)


@dataclass(frozen=True)
class FileSource:
    """A source system that drops export files into its own folder: the entry every source module
    has (`SOURCE`), with the table names it lands, its dlt resources, and what it needs running
    while it loads (nothing, for files)."""

    tables: list[FileTable]

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.tables)

    def resources(self, folder: Path, run: SystemRun) -> list:
        for problem in check_files_exist(folder, self.tables):
            run.fail(problem)
        return [file_table_resource(folder, spec, run) for spec in self.tables]

    def serving(self, folder: Path) -> AbstractContextManager[None]:
        return nullcontext()


def check_files_exist(folder: Path, specs: list[FileTable]) -> list[str]:
    """Problems a user must hear about before loading: a missing folder or no matching files."""
    if not folder.is_dir():
        return [f"folder {folder} does not exist"]
    return [f"no files matching {spec.file_glob} in {folder}" for spec in specs
            if not any(folder.glob(spec.file_glob))]
