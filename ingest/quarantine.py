"""Split incoming records into clean rows and quarantined rows, with a reason for each.

One mechanism serves every source: readers turn a file, an API page or a list of dicts
into an Arrow table (text columns where the source is text), and `split_by_contract`
checks it against the table's contract in DuckDB, set-based: the key must be present
and columns the source system guarantees must cast to their type. Nothing is dropped:
a row either comes out clean (typed) or lands in quarantine with the raw record and why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

# Columns added by the readers for lineage; never part of the raw record or its checks.
LINEAGE_COLUMNS = ("_source_file", "_source_line")

REJECT_SCHEMA = pa.schema([
    ("source_row", pa.int64()),   # line number in a file, or position in an API page / batch
    ("raw_record", pa.string()),  # the record as received (a CSV line, JSON text)
    ("reason", pa.string()),
])


# Values exports write where an id is missing: a key like these identifies nobody, and taking it
# as an id would merge every such row into one record.
PLACEHOLDER_KEYS = ("null", "none", "nil", "n/a", "na", "nan", "#n/a", "-", "--", "0", "?", "unknown", "undefined")


class SourceFileError(Exception):
    """A whole file cannot be read (missing, corrupt, wrong layout): the message names it."""


@dataclass(frozen=True)
class TableContract:
    """What a bronze table promises: its key and the types its source system guarantees.

    Columns not named in `types` are kept as the source gave them (text stays text): silver
    does the cleaning. Types use DuckDB names (DOUBLE, BIGINT, TIMESTAMP, TIMESTAMPTZ, ...).
    """

    name: str
    key: tuple[str, ...]
    types: Mapping[str, str] = field(default_factory=dict)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def split_by_contract(table: pa.Table, contract: TableContract) -> tuple[pa.Table, pa.Table]:
    """Return (clean rows with contract types applied, rejects in REJECT_SCHEMA).

    Empty strings count as missing. A missing key column is a layout problem of the
    whole input and raises SourceFileError rather than quarantining every row.
    """
    missing = [column for column in contract.key if column not in table.column_names]
    if missing:
        raise SourceFileError(
            f"has no {', '.join(missing)} column (the key of {contract.name}); "
            f"found columns: {', '.join(table.column_names[:20])}"
        )
    if not contract.types:
        return _split_on_keys(table, contract)
    con = duckdb.connect()
    con.register("incoming", table)
    text_columns = {f.name for f in table.schema if _is_text(table.column(f.name))}

    def is_blank(column: str) -> str:
        quoted = _quote(column)
        return f"({quoted} is null or trim({quoted}) = '')" if column in text_columns else f"{quoted} is null"

    placeholders = ", ".join(f"'{p}'" for p in PLACEHOLDER_KEYS)
    reasons = [f"case when {is_blank(k)} then 'missing key {k}' "
               f"when lower(trim(cast({_quote(k)} as varchar))) in ({placeholders}) "
               f"then 'placeholder key {k} = ' || trim(cast({_quote(k)} as varchar)) end" for k in contract.key]
    casts = []
    for column in table.column_names:
        wanted = contract.types.get(column)
        quoted = _quote(column)
        if wanted is None:
            casts.append(quoted)
            continue
        source = f"nullif(trim({quoted}), '')" if column in text_columns else quoted
        casts.append(f"try_cast({source} as {wanted}) as {quoted}")
        reasons.append(
            f"case when {source} is not null and try_cast({source} as {wanted}) is null "
            f"then 'wrong type: {column} = ' || left(cast({quoted} as varchar), 60) || ' is not {wanted}' end"
        )
    # One pass: typed columns plus the reason; rows are then split with Arrow (no second copy).
    checked = con.sql(
        f"select {', '.join(casts)}, concat_ws('; ', {', '.join(reasons)}) as _reason from incoming"
    ).to_arrow_table()
    con.close()
    reason = checked.column("_reason")
    bad = pc.not_equal(reason, "")
    clean = checked.drop_columns(["_reason"])
    if not pc.any(bad).as_py():
        return clean, empty_rejects()
    return clean.filter(pc.invert(bad)), _rejects(table, bad, reason.filter(bad).to_pylist())


def _rejects(table: pa.Table, bad: pa.ChunkedArray, reasons: list[str]) -> pa.Table:
    """The rejected rows of `table` (where `bad`), as received, with their line or position."""
    positions = pc.indices_nonzero(bad)
    rows = table.take(positions)
    if "_source_line" in table.column_names:
        source_rows = rows.column("_source_line").cast(pa.int64())
    else:
        source_rows = pc.add(positions.cast(pa.int64()), 1)
    record_columns = [c for c in table.column_names if c not in LINEAGE_COLUMNS]
    raw = [json.dumps(row, default=str, separators=(",", ":")) for row in rows.select(record_columns).to_pylist()]
    return pa.table([source_rows, pa.array(raw, pa.string()), pa.array(reasons, pa.string())], schema=REJECT_SCHEMA)


def _is_text(array: pa.ChunkedArray) -> bool:
    return pa.types.is_string(array.type) or pa.types.is_large_string(array.type)


def _blank(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """Null, or (for text) empty after trimming: both count as a missing key."""
    missing = pc.is_null(array)
    if _is_text(array):
        missing = pc.or_(missing, pc.fill_null(pc.equal(pc.utf8_trim_whitespace(array), ""), False))
    return missing


def _placeholder(array: pa.ChunkedArray) -> pa.ChunkedArray:
    text = pc.utf8_lower(pc.utf8_trim_whitespace(array.cast(pa.string())))
    return pc.fill_null(pc.is_in(text, value_set=pa.array(PLACEHOLDER_KEYS)), False)


def _key_problem(column: str, value: object) -> str | None:
    if value is None or not str(value).strip():
        return f"missing key {column}"
    if str(value).strip().lower() in PLACEHOLDER_KEYS:
        return f"placeholder key {column} = {str(value).strip()}"
    return None


def _split_on_keys(table: pa.Table, contract: TableContract) -> tuple[pa.Table, pa.Table]:
    """The fast path when there is nothing to cast: only missing or placeholder keys can fail,
    checked with Arrow compute, without copying the table through DuckDB (about 10x faster on 1M rows)."""
    bad = None
    for column in contract.key:
        unusable = pc.or_(_blank(table.column(column)), _placeholder(table.column(column)))
        bad = unusable if bad is None else pc.or_(bad, unusable)
    if bad is None or not pc.any(bad).as_py():
        return table, empty_rejects()
    reasons = [
        "; ".join(problem for c in contract.key if (problem := _key_problem(c, row[c])))
        for row in table.filter(bad).select(list(contract.key)).to_pylist()
    ]
    return table.filter(pc.invert(bad)), _rejects(table, bad, reasons)


def empty_rejects() -> pa.Table:
    return REJECT_SCHEMA.empty_table()


def quarantine_rows(system: str, table: str, source_ref: str, rejects: pa.Table, run_id: str) -> list[dict]:
    """Rows for raw_<system>._quarantine. The id is a hash of where the record came from and
    what it was, so reading the same bad record again does not quarantine it twice."""
    rows = []
    for source_row, raw_record, reason in zip(
        rejects.column("source_row").to_pylist(),
        rejects.column("raw_record").to_pylist(),
        rejects.column("reason").to_pylist(),
        strict=True,
    ):
        identity = f"{system}|{table}|{source_ref}|{source_row}|{raw_record}"
        rows.append({
            "quarantine_id": hashlib.sha1(identity.encode()).hexdigest(),
            "source_system": system,
            "source_table": table,
            "source_ref": source_ref,
            "source_row": source_row,
            "raw_record": raw_record,
            "reason": reason,
            "run_id": run_id,
        })
    return rows


def concat_rejects(parts: Iterable[pa.Table]) -> pa.Table:
    parts = [p.cast(REJECT_SCHEMA) for p in parts if p.num_rows]
    return pa.concat_tables(parts) if parts else empty_rejects()
