"""Read one source file (or a page of API records) into Arrow, plus the lines that did not parse.

Text formats are read as text: typing is the contract's job (`ingest.quarantine`), so a
bad value becomes a quarantined row with a reason instead of a failed load.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.quarantine import REJECT_SCHEMA, SourceFileError, empty_rejects
from ingest.runlog import say


def _check_file(path: Path) -> None:
    if not path.exists():
        raise SourceFileError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise SourceFileError(f"{path}: file is empty")


def utf8_problem(path: Path) -> str | None:
    """Where a file stops being UTF-8 ("line 2, byte 17"), or None; read in chunks, decoded in C."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                bad = chunk[: error.start]
                line += bad.count(b"\n")
                return f"line {line}, byte {offset + error.start + 1}"
            line += chunk.count(b"\n")
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return f"line {line}, the last bytes"
    return None


DELIMITERS = (",", ";", "\t", "|")
ROWS_PER_PART = 1_000_000
# JSON lines become Python objects before they become Arrow, far heavier per row (see DECISIONLOG)
JSONL_ROWS_PER_PART = 100_000


def _first_line(path: Path, encoding: str) -> str:
    with path.open(encoding="utf-16" if encoding == "utf-16" else encoding, errors="replace", newline="") as handle:
        return handle.readline().rstrip("\r\n").lstrip("\ufeff")


def _column_names(header_line: str, delimiter: str) -> list[str]:
    """The header's names, made unique (`name`, `name_2`) and never empty (`column_3`)."""
    names: list[str] = []
    for index, raw in enumerate(next(csv.reader([header_line], delimiter=delimiter), []), start=1):
        name = raw.strip() or f"column_{index}"
        candidate, suffix = name, 2
        while candidate in names:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        names.append(candidate)
    if not names:
        raise SourceFileError("has no header line")
    return names


def _csv_select(path: Path, delimiter: str | None, encoding: str | None,
                notes: list[str] | None) -> tuple[str, dict[str, str]]:
    """DuckDB's query over a CSV with a header row, all columns as text, broken lines kept as rejects.
    `delimiter` None takes the one of `, ; tab |` the header line uses most (`;` exports).
    `encoding` None means UTF-8, or Latin-1 when the file is not valid UTF-8 (every byte is a
    Latin-1 character), said in `notes` with where the first non-UTF-8 byte is. The header is
    read here and DuckDB's sniffer is off: one bad quote must cost its line, not the file."""
    _check_file(path)
    if encoding is None:
        problem = utf8_problem(path)
        encoding = "utf-8"
        if problem:
            encoding = "latin-1"
            note = f"{path.name}: not UTF-8 ({problem}); read as latin-1 (declare encoding: to choose)"
            say(f"  {note}")
            if notes is not None:
                notes.append(note)
    header_line = _first_line(path, encoding)
    if delimiter is None:
        delimiter = max(DELIMITERS, key=header_line.count)
    names = _column_names(header_line, delimiter)
    columns = "{" + ", ".join(f"'{name.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for name in names) + "}"
    return (f"select * from read_csv($path, header = true, auto_detect = false, columns = {columns}, "
            "delim = $delimiter, quote = '\"', escape = '\"', encoding = $encoding, store_rejects = true)",
            {"path": str(path), "encoding": encoding, "delimiter": delimiter})


def _csv_rejects(con: duckdb.DuckDBPyConnection, parsed: int) -> tuple[pa.Array, pa.Table]:
    """After a scan: the parsed records' line numbers and the rejected lines, one row per line
    (one broken line can yield several errors, one per bad column)."""
    rejects = con.sql(
        "select line::bigint as source_row, csv_line as raw_record, "
        "'unparseable line: ' || error_type || ' (' || error_message || ')' as reason "
        "from reject_errors order by line"
    ).to_arrow_table()
    if rejects.num_rows:
        rejects = _first_per_line(rejects)
    lines, reject_lines = _csv_line_numbers(parsed, rejects)
    return lines, rejects.set_column(0, "source_row", reject_lines).cast(REJECT_SCHEMA)


def read_csv(path: Path, delimiter: str | None = ",", encoding: str | None = None,
             notes: list[str] | None = None) -> tuple[pa.Table, pa.Table]:
    """A CSV with a header row, all columns as text; lines that do not parse are returned as rejects.

    DuckDB's reader keeps each broken line (too few / too many fields, bad quoting) in its
    rejects table with the line number and the raw text, which is exactly what quarantine needs.
    Delimiter and encoding: see `_csv_select`.
    """
    select, params = _csv_select(path, delimiter, encoding, notes)
    con = duckdb.connect()
    try:
        rows = con.sql(select, params=params).to_arrow_table()
        lines, rejects = _csv_rejects(con, rows.num_rows)
    except duckdb.Error as error:
        raise SourceFileError(f"{path}: not a readable CSV file: {str(error).splitlines()[0]}") from error
    finally:
        con.close()
    return rows.append_column("_source_line", lines), rejects


def read_csv_in_parts(path: Path, rows_per_part: int | None = None, delimiter: str | None = ",",
                      encoding: str | None = None,
                      notes: list[str] | None = None) -> tuple[pa.Table, Iterator[pa.Table]]:
    """`read_csv`'s rejects and rows, the rows `rows_per_part` (default ROWS_PER_PART) at a time: a
    large file is never whole in memory. A first scan counts the records and finds the rejects, so
    every part's line numbers are known and a file that cannot be read fails before any part is
    handed on; the second scan hands them on."""
    select, params = _csv_select(path, delimiter, encoding, notes)
    con = duckdb.connect()
    try:
        parsed = con.execute(f"select count(*) from ({select})", params).fetchall()[0][0]
        lines, rejects = _csv_rejects(con, parsed)
    except duckdb.Error as error:
        con.close()
        raise SourceFileError(f"{path}: not a readable CSV file: {str(error).splitlines()[0]}") from error

    def parts() -> Iterator[pa.Table]:
        try:
            offset = 0
            for batch in con.sql(select, params=params).to_arrow_reader(rows_per_part or ROWS_PER_PART):
                yield pa.Table.from_batches([batch]).append_column(
                    "_source_line", lines.slice(offset, batch.num_rows))
                offset += batch.num_rows
        except duckdb.Error as error:
            raise SourceFileError(f"{path}: stopped being readable after {offset:,} records: "
                                  f"{str(error).splitlines()[0]}") from error
        finally:
            con.close()

    return rejects, parts()


def _csv_line_numbers(parsed: int, rejects: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Line numbers of the parsed records and of the rejected ones. A parsed record is on the next
    line after the header that no rejected record covers (a bad quote can swallow the lines after
    it). Vectorised, O(n); assumes the
    parsed records have no quoted line breaks, which these exports do not use."""
    spans = np.asarray([(text or "").count("\n") + 1 for text in rejects.column("raw_record").to_pylist()],
                       dtype=np.int64)
    # DuckDB numbers records, not lines: a rejected record spanning k lines shifts the later ones.
    starts = np.asarray(rejects.column("source_row").to_pylist(), dtype=np.int64)
    starts = starts + np.concatenate([[0], np.cumsum(spans - 1)[:-1]]).astype(np.int64)
    candidates = np.arange(2, parsed + int(spans.sum()) + 2, dtype=np.int64)
    keep = np.ones(len(candidates), dtype=bool)
    for start, span in zip(starts - 2, spans, strict=True):
        keep[max(start, 0):max(start + span, 0)] = False
    return pa.array(candidates[keep][:parsed]), pa.array(starts, pa.int64())


def _first_per_line(rejects: pa.Table) -> pa.Table:
    seen: set[int] = set()
    keep = []
    for index, line in enumerate(rejects.column("source_row").to_pylist()):
        if line not in seen:
            seen.add(line)
            keep.append(index)
    return rejects.take(keep)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, sort_keys=True)


def _flattened(record: dict, prefix: str, row: dict[str, str | None]) -> None:
    for key, value in record.items():
        if isinstance(value, dict):
            _flattened(value, f"{prefix}{key}__", row)
        else:
            row[f"{prefix}{key}"] = _as_text(value)


def records_to_table(records: list[dict], columns: list[str] | None = None) -> pa.Table:
    """Dicts (JSON objects) as an all-text Arrow table; nested objects are flattened
    (`context.page.path` -> `context__page__path`, dlt's convention), lists kept as JSON text.
    `columns`: the table's columns, in order (a part of a file gets the whole file's), else those found."""
    flat = [_flat(record) for record in records]
    if columns is None:
        columns = list(dict.fromkeys(name for row in flat for name in row))
    return pa.table({name: pa.array([row.get(name) for row in flat], pa.string()) for name in columns})


def _flat(record: dict) -> dict[str, str | None]:
    row: dict[str, str | None] = {}
    _flattened(record, "", row)
    return row


def _jsonl_lines(path: Path, rejects: list[tuple[int, str, str]] | None) -> Iterator[tuple[int, dict]]:
    """(line number, object) of each JSON-object line; the others are appended to `rejects` (when given)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                if rejects is not None:
                    rejects.append((line_number, line.rstrip("\n"),
                                    f"unparseable line: invalid JSON ({error.msg} at column {error.colno})"))
                continue
            if not isinstance(record, dict):
                if rejects is not None:
                    rejects.append((line_number, line.rstrip("\n"), "unparseable line: not a JSON object"))
                continue
            yield line_number, record


def _jsonl_rejects(rejects: list[tuple[int, str, str]]) -> pa.Table:
    lines, texts, reasons = zip(*rejects, strict=True) if rejects else ((), (), ())
    return pa.table([pa.array(lines, pa.int64()), pa.array(texts, pa.string()), pa.array(reasons, pa.string())],
                    schema=REJECT_SCHEMA)


def read_jsonl(path: Path, **_csv_options: object) -> tuple[pa.Table, pa.Table]:
    """JSON lines: each line an object. Lines that are not valid JSON objects are rejects."""
    _check_file(path)
    rejects: list[tuple[int, str, str]] = []
    numbered = list(_jsonl_lines(path, rejects))
    rows = records_to_table([record for _, record in numbered]).append_column(
        "_source_line", pa.array([line for line, _ in numbered], pa.int64()))
    return rows, _jsonl_rejects(rejects)


def read_jsonl_in_parts(path: Path, rows_per_part: int | None = None,
                        **_csv_options: object) -> tuple[pa.Table, Iterator[pa.Table]]:
    """`read_jsonl`'s rejects and rows, the rows `rows_per_part` (default JSONL_ROWS_PER_PART) at a time. A
    first pass finds the rejects and every column of the file (objects may leave keys out), so every
    part has the same columns as the file read whole; the second hands the parts on."""
    _check_file(path)
    rejects: list[tuple[int, str, str]] = []
    columns: dict[str, None] = {}
    for _, record in _jsonl_lines(path, rejects):
        columns.update(dict.fromkeys(_flat(record)))

    def parts() -> Iterator[pa.Table]:
        numbered: list[tuple[int, dict]] = []
        for item in _jsonl_lines(path, None):
            numbered.append(item)
            if len(numbered) == (rows_per_part or JSONL_ROWS_PER_PART):
                yield part(numbered)
                numbered = []
        if numbered or not columns:
            yield part(numbered)

    def part(numbered: list[tuple[int, dict]]) -> pa.Table:
        return records_to_table([record for _, record in numbered], list(columns)).append_column(
            "_source_line", pa.array([line for line, _ in numbered], pa.int64()))

    return _jsonl_rejects(rejects), parts()


def read_parquet(path: Path, **_csv_options: object) -> tuple[pa.Table, pa.Table]:
    """Parquet carries its own types: read as is (the arrow fast path)."""
    _check_file(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise SourceFileError(f"{path}: not a readable Parquet file: {error}") from error
    return table, empty_rejects()


def read_parquet_in_parts(path: Path, rows_per_part: int | None = None,
                          **_csv_options: object) -> tuple[pa.Table, Iterator[pa.Table]]:
    """`read_parquet`'s rows, `rows_per_part` (default ROWS_PER_PART) at a time: a large file is never
    whole in memory. A Parquet file has no unparsed lines, so the rejects are empty; a file with no rows
    gives one empty part, so that its table is still created."""
    _check_file(path)
    try:
        source = pq.ParquetFile(path)
        schema = source.schema_arrow
    except (pa.ArrowInvalid, OSError) as error:
        raise SourceFileError(f"{path}: not a readable Parquet file: {error}") from error

    def parts() -> Iterator[pa.Table]:
        read = 0
        try:
            for batch in source.iter_batches(batch_size=rows_per_part or ROWS_PER_PART):
                read += batch.num_rows
                yield pa.Table.from_batches([batch])
        except (pa.ArrowInvalid, OSError) as error:
            raise SourceFileError(f"{path}: stopped being readable after {read:,} records: {error}") from error
        finally:
            source.close()
        if not read:
            yield schema.empty_table()

    return empty_rejects(), parts()


READERS = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}
# the formats whose large files are read a part at a time (ingest.sources.files.FILE_PART_BYTES)
PART_READERS = {"csv": read_csv_in_parts, "jsonl": read_jsonl_in_parts, "parquet": read_parquet_in_parts}
