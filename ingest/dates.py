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


def decide_order(con: duckdb.DuckDBPyConnection, relation: str, value: str,
                 weight: str = "n") -> tuple[str | None, int, str | None]:
    """The day/month order of a column's numeric dates (its distinct values in `relation`, each
    counted `weight` times): ('day_first' | 'month_first' | None when nothing tells, how many
    numeric values there are, a note when the values disagree or say nothing)."""
    numeric, day_first, month_first = con.execute(f"""
        with numbers as (
            select cast(regexp_extract({value}, '{NUMERIC}', 1) as int) as first,
                   cast(regexp_extract({value}, '{NUMERIC}', 2) as int) as second,
                   {weight} as n
            from {relation} where regexp_matches({value}, '{NUMERIC}')
        )
        select coalesce(sum(n), 0), coalesce(sum(n) filter (where first > 12 and second <= 12), 0),
               coalesce(sum(n) filter (where second > 12 and first <= 12), 0)
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

    Each distinct value is read once (a birth date column of a million rows holds ~25,000), then
    joined back. Returns the rewritten table and one note per column saying how it was read.
    """
    present = [(column, kind) for column, kind in kinds.items() if column in rows.column_names]
    if not present:
        return rows, []
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")  # a value with an offset is written as UTC; one without is taken as UTC
    con.register("incoming", rows)
    notes: list[str] = []
    joins, outputs, issues = [], [], []
    for index, (column, kind) in enumerate(present):
        value = f"nullif(trim(cast({_quote(column)} as varchar)), '')"
        lookup = f"read_{index}"
        con.execute(f"create temp table distinct_{index} as select {value} as v, count(*) as n from incoming "
                    f"where {value} is not null group by all")
        if column in declared:
            parsed = f"try_strptime(v, {_sql_list(_with_times([declared[column]], kind))})"
            keep_iso, how, note = "false", f"as declared ({declared[column]})", None
            unread_reason = f"does not match the declared format {declared[column]}"
        else:
            order, numeric, note = decide_order(con, f"distinct_{index}", "v")
            numeric_formats = {"day_first": DAY_FIRST, "month_first": MONTH_FIRST}.get(order or "", ())
            iso = f"try_cast(v as {'date' if kind == 'date' else 'timestamptz'})"
            # numeric dates try only the column's order; the rest ISO, then the unambiguous layouts
            parsed = (f"case when regexp_matches(v, '{NUMERIC}') then "
                      f"try_strptime(v, {_sql_list(_with_times(numeric_formats, kind))}) "
                      f"else coalesce({iso}, try_strptime(v, {_sql_list(_with_times(UNAMBIGUOUS, kind))})) end"
                      if numeric_formats else
                      f"coalesce({iso}, try_strptime(v, {_sql_list(_with_times(UNAMBIGUOUS, kind))}))")
            keep_iso = f"{iso} is not null" if kind == "timestamp" else "false"
            how = "inferred" + (f", numeric dates {order.replace('_', '-')}" if order else "")
            unread_reason = ("is ambiguous (day/month order); declare date_formats." + column
                             if order is None and numeric else "is not a date in a format we know; declare "
                             "date_formats." + column)
        output = "'%Y-%m-%d'" if kind == "date" else "'%Y-%m-%d %H:%M:%S'"
        con.execute(f"""
            create temp table {lookup} as
            with parsed as (select v, n, {parsed} as p, {keep_iso} as keep from distinct_{index})
            select
                v, n,
                -- an ISO timestamp keeps its own text (and offset); everything else is rewritten as ISO
                case when keep then v
                     when year(p) between {PLAUSIBLE_YEARS[0]} and {PLAUSIBLE_YEARS[1]} then strftime(p, {output})
                end as iso_text,
                case when not keep and not coalesce(year(p) between {PLAUSIBLE_YEARS[0]} and {PLAUSIBLE_YEARS[1]},
                                                    false)
                     then '{column} ' || left(v, 40) || ' ' || case when p is not null
                          then 'is outside {PLAUSIBLE_YEARS[0]}-{PLAUSIBLE_YEARS[1]}' else '{unread_reason}' end
                end as issue
            from parsed""")
        total, unread = con.execute(f"select sum(n), coalesce(sum(n) filter (where iso_text is null), 0) "
                                    f"from {lookup}").fetchall()[0]
        total = total or 0
        notes.append(f"{column}: {how}; {total - unread:,} of {total:,} read" + (f"; {note}" if note else ""))
        joins.append(f"left join {lookup} on {value.replace(_quote(column), 'numbered.' + _quote(column))} "
                     f"= {lookup}.v")
        outputs.append(f"numbered.{_quote(column)} as {_quote(column + RAW_SUFFIX)}, "
                       f"{lookup}.iso_text as {_quote(column + '__iso')}")
        issues.append(f"{lookup}.issue")
    rewritten = {column for column, _ in present}
    existing = [f"numbered.{_quote(ISSUES_COLUMN)}"] if ISSUES_COLUMN in rows.column_names else []
    kept = [f"numbered.{_quote(name)}" for name in rows.column_names if name not in rewritten | {ISSUES_COLUMN}]
    table = con.sql(f"""
        with numbered as (select *, row_number() over () as __row from incoming)
        select {', '.join([*kept, *outputs])},
               nullif(concat_ws('; ', {', '.join([*existing, *issues])}), '') as {_quote(ISSUES_COLUMN)}
        from numbered
        {' '.join(joins)}
        order by numbered.__row""").to_arrow_table()
    con.close()
    return table.rename_columns([name.removesuffix("__iso") if name.endswith("__iso") else name
                                 for name in table.column_names]), notes
