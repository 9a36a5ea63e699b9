"""Read one source file (or a page of API records) into Arrow, plus the lines that did not parse.

Text formats are read as text: typing is the contract's job (`ingest.quarantine`), so a
bad value becomes a quarantined row with a reason instead of a failed load.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.quarantine import REJECT_SCHEMA, SourceFileError, empty_rejects


def _check_file(path: Path) -> None:
    if not path.exists():
        raise SourceFileError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise SourceFileError(f"{path}: file is empty")


def read_csv(path: Path) -> tuple[pa.Table, pa.Table]:
    """A CSV with a header row, all columns as text; lines that do not parse are returned as rejects.

    DuckDB's reader keeps each broken line (too few / too many fields, bad quoting) in its
    rejects table with the line number and the raw text, which is exactly what quarantine needs.
    """
    _check_file(path)
    con = duckdb.connect()
    try:
        rows = con.sql(
            "select * from read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"', "
            "escape = '\"', store_rejects = true, auto_detect = true)",
            params={"path": str(path)},
        ).to_arrow_table()
        rejects = con.sql(
            "select line::bigint as source_row, csv_line as raw_record, "
            "'unparseable line: ' || error_type || ' (' || error_message || ')' as reason "
            "from reject_errors order by line"
        ).to_arrow_table()
    except duckdb.Error as error:
        raise SourceFileError(f"{path}: not a readable CSV file: {str(error).splitlines()[0]}") from error
    finally:
        con.close()
    # One broken line can yield several errors (one per bad column): keep one row per line.
    if rejects.num_rows:
        rejects = _first_per_line(rejects)
    lines = _csv_line_numbers(rows.num_rows, rejects.column("source_row").to_pylist())
    return rows.append_column("_source_line", lines), rejects.cast(REJECT_SCHEMA)


def _csv_line_numbers(parsed: int, unparsed_lines: list[int]) -> pa.Array:
    """Line numbers of the parsed records: every line after the header that the parser did not
    reject, in order (vectorised, O(n); assumes no quoted line breaks, which these exports do
    not use)."""
    candidates = np.arange(2, parsed + len(unparsed_lines) + 2, dtype=np.int64)
    if not unparsed_lines:
        return pa.array(candidates)
    keep = np.ones(len(candidates), dtype=bool)
    rejected = np.asarray(unparsed_lines, dtype=np.int64) - 2
    keep[rejected[(rejected >= 0) & (rejected < len(candidates))]] = False
    return pa.array(candidates[keep][:parsed])


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


def records_to_table(records: list[dict]) -> pa.Table:
    """Dicts (JSON objects) as an all-text Arrow table; nested objects are flattened one level
    (`requester.name` -> `requester__name`, dlt's convention), deeper values kept as JSON text."""
    flat: list[dict[str, str | None]] = []
    columns: dict[str, None] = {}
    for record in records:
        row: dict[str, str | None] = {}
        for key, value in record.items():
            if isinstance(value, dict):
                for inner_key, inner_value in value.items():
                    row[f"{key}__{inner_key}"] = _as_text(inner_value)
            else:
                row[key] = _as_text(value)
        columns.update(dict.fromkeys(row))
        flat.append(row)
    return pa.table({name: pa.array([row.get(name) for row in flat], pa.string()) for name in columns})


def read_jsonl(path: Path) -> tuple[pa.Table, pa.Table]:
    """JSON lines: each line an object. Lines that are not valid JSON objects are rejects."""
    _check_file(path)
    records: list[dict] = []
    record_lines: list[int] = []
    bad_rows: list[int] = []
    bad_text: list[str] = []
    bad_reason: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                bad_rows.append(line_number)
                bad_text.append(line.rstrip("\n"))
                bad_reason.append(f"unparseable line: invalid JSON ({error.msg} at column {error.colno})")
                continue
            if not isinstance(record, dict):
                bad_rows.append(line_number)
                bad_text.append(line.rstrip("\n"))
                bad_reason.append("unparseable line: not a JSON object")
                continue
            records.append(record)
            record_lines.append(line_number)
    rejects = pa.table([pa.array(bad_rows, pa.int64()), pa.array(bad_text, pa.string()),
                        pa.array(bad_reason, pa.string())], schema=REJECT_SCHEMA)
    rows = records_to_table(records).append_column("_source_line", pa.array(record_lines, pa.int64()))
    return rows, rejects


def read_parquet(path: Path) -> tuple[pa.Table, pa.Table]:
    """Parquet carries its own types: read as is (the arrow fast path)."""
    _check_file(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise SourceFileError(f"{path}: not a readable Parquet file: {error}") from error
    return table, empty_rejects()


READERS = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}
