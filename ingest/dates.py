"""Dates as exports write them, read once per file and column, never guessed row by row.

A column's values are read with the format the configuration declares for it, or else with
every unambiguous layout (ISO 8601, `19530712`, `1999/08/09`, `16 Apr 1962`, ...) plus one
day/month order for numeric dates like `03/04/1980`. That order is decided for the whole
column from its values: a first number above 12 is a day (`25/04/1980`), a second above 12
a month-first date (`04/25/1980`). A column where no value tells (every number 12 or less)
is ambiguous: those values stay unread and flagged, and the note says to declare the format.

Each column is rewritten as ISO text (`1980-04-25`; ISO timestamps are kept as written, with
their offset), its export text kept in `<column>__raw`, and a value that does not read is
flagged in `_data_issues` with the reason. Nothing is quarantined for a bad date: the record
is still a person.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa

ISSUES_COLUMN = "_data_issues"
RAW_SUFFIX = "__raw"

UNAMBIGUOUS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%d %b %Y", "%d %B %Y", "%d-%b-%Y",
               "%b %d %Y", "%b %d, %Y", "%B %d %Y", "%B %d, %Y", "%d %b, %Y")
DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
MONTH_FIRST = ("%m/%d/%Y", "%m.%d.%Y", "%m-%d-%Y")
TIMES = ("", " %H:%M", " %H:%M:%S", "T%H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %H:%M:%S %z", " %H:%M %z")
NUMERIC = r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}\b"
# Outside these years a parse is a misread (a serial number read as %Y%m%d), not a date.
PLAUSIBLE_YEARS = (1850, 2150)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_list(formats: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in formats) + "]"


def _with_times(formats: tuple[str, ...] | list[str], kind: str) -> list[str]:
    return [f + time for f in formats for time in (TIMES if kind == "timestamp" else ("",))]


def decide_order(con: duckdb.DuckDBPyConnection, value: str) -> tuple[str | None, int, str | None]:
    """The day/month order of a column's numeric dates: ('day_first' | 'month_first' | None when
    nothing tells, how many numeric values there are, a note when the values disagree or say nothing)."""
    numeric, day_first, month_first = con.execute(f"""
        with numbers as (
            select cast(regexp_extract({value}, '{NUMERIC}', 1) as int) as first,
                   cast(regexp_extract({value}, '{NUMERIC}', 2) as int) as second
            from incoming where regexp_matches({value}, '{NUMERIC}')
        )
        select count(*), count(*) filter (where first > 12 and second <= 12),
               count(*) filter (where second > 12 and first <= 12)
        from numbers""").fetchall()[0]
    if not numeric:
        return None, 0, None
    if day_first and month_first:
        order = "day_first" if day_first >= month_first else "month_first"
        return order, numeric, (f"{day_first:,} values are day-first and {month_first:,} month-first; "
                                f"read as {order.replace('_', '-')}, the others flagged")
    if day_first or month_first:
        return ("day_first" if day_first else "month_first"), numeric, None
    return None, numeric, (f"{numeric:,} values like 03/04/1980 could be day-first or month-first and none "
                           "tells; left unread and flagged")


def standardise_dates(rows: pa.Table, kinds: Mapping[str, str],
                      declared: Mapping[str, str]) -> tuple[pa.Table, list[str]]:
    """Read the date columns `kinds` (column -> 'date' or 'timestamp') of `rows` as described above.

    Returns the rewritten table and one note per column saying how it was read.
    """
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")  # a value with an offset is written as UTC; one without is taken as UTC
    con.register("incoming", rows)
    notes: list[str] = []
    selects = ["*"]
    issue_parts = []
    rewritten = []
    for column, kind in kinds.items():
        if column not in rows.column_names:
            continue
        value = f"nullif(trim(cast({_quote(column)} as varchar)), '')"
        iso = f"try_cast({value} as {'date' if kind == 'date' else 'timestamptz'})"
        if column in declared:
            formats = _with_times([declared[column]], kind)
            order, how, note = None, f"as declared ({declared[column]})", None
            parsed = f"try_strptime({value}, {_sql_list(formats)})"
            unread_reason = f"does not match the declared format {declared[column]}"
        else:
            order, numeric, note = decide_order(con, value)
            numeric_formats = {"day_first": DAY_FIRST, "month_first": MONTH_FIRST}.get(order or "", ())
            formats = _with_times([*UNAMBIGUOUS, *numeric_formats], kind)
            parsed = f"coalesce({iso}, try_strptime({value}, {_sql_list(formats)}))"
            how = "inferred" + (f", numeric dates {order.replace('_', '-')}" if order else "")
            unread_reason = ("is ambiguous (day/month order); declare date_formats." + column
                             if order is None and numeric else "is not a date in a format we know; declare "
                             "date_formats." + column)
        output = "'%Y-%m-%d'" if kind == "date" else "'%Y-%m-%d %H:%M:%S'"
        # An ISO timestamp keeps its own text (and offset); everything else is rewritten as ISO.
        keep_iso = f"{iso} is not null" if column not in declared else "false"
        in_range = f"year({parsed}) between {PLAUSIBLE_YEARS[0]} and {PLAUSIBLE_YEARS[1]}"
        rewritten.append(column)
        selects.append(
            f"case when {value} is null then null when {keep_iso} and {kind == 'timestamp'} then {value} "
            f"when {in_range} then strftime({parsed}, {output}) end as {_quote(column + '__iso')}")
        issue_parts.append(
            f"case when {value} is not null and not coalesce({in_range}, false) then "
            f"'{column} ' || left({value}, 40) || ' ' || "
            f"(case when {parsed} is not null then 'is outside {PLAUSIBLE_YEARS[0]}-{PLAUSIBLE_YEARS[1]}' "
            f"else '{unread_reason}' end) end")
        counts = con.execute(
            f"select count({value}), count(*) filter (where {value} is not null and not coalesce({in_range}, false)) "
            "from incoming").fetchall()[0]
        notes.append(f"{column}: {how}; {counts[0] - counts[1]:,} of {counts[0]:,} read"
                     + (f"; {note}" if note else ""))
    if not rewritten:
        return rows, notes
    existing = f"{_quote(ISSUES_COLUMN)}, " if ISSUES_COLUMN in rows.column_names else ""
    issues = f"nullif(concat_ws('; ', {existing}{', '.join(issue_parts)}), '') as {_quote(ISSUES_COLUMN + '__new')}"
    table = con.sql(f"select {', '.join(selects)}, {issues} from incoming").to_arrow_table()
    con.close()
    for column in rewritten:
        table = table.rename_columns([column + RAW_SUFFIX if name == column else name for name in table.column_names])
        table = table.rename_columns([column if name == column + "__iso" else name for name in table.column_names])
    if ISSUES_COLUMN in table.column_names:
        table = table.drop_columns([ISSUES_COLUMN])
    return table.rename_columns([ISSUES_COLUMN if n == ISSUES_COLUMN + "__new" else n
                                 for n in table.column_names]), notes
