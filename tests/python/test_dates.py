"""Dates as exports write them: one reading per file and column, never a guess per row."""

import pyarrow as pa
import pytest

from ingest.dates import ISSUES_COLUMN, standardise_dates


def read(values, kind="date", declared=None):
    table, notes = standardise_dates(pa.table({"d": values}), {"d": kind}, declared or {})
    return table.column("d").to_pylist(), table.column(ISSUES_COLUMN).to_pylist(), notes


def test_one_column_in_several_unambiguous_layouts_reads_every_value():
    values, issues, _ = read(["1999/08/09", "19530712", "16 Apr 1962", "1962-04-16", "April 3, 1970", None, ""])
    assert values == ["1999-08-09", "1953-07-12", "1962-04-16", "1962-04-16", "1970-04-03", None, None]
    assert issues == [None] * 7


@pytest.mark.parametrize(("values", "expected"), [
    (["25/04/1980", "03/04/1980"], ["1980-04-25", "1980-04-03"]),   # a day above 12: day-first column
    (["04/25/1980", "03/04/1980"], ["1980-04-25", "1980-03-04"]),   # a month-first column
    (["25.04.1980", "03.04.1980"], ["1980-04-25", "1980-04-03"]),
])
def test_the_day_month_order_is_decided_for_the_whole_column(values, expected):
    assert read(values)[0] == expected


def test_a_column_where_no_value_tells_the_order_is_flagged_not_guessed():
    values, issues, notes = read(["03/04/1980", "01/02/1990", "1975-05-06"])
    assert values == [None, None, "1975-05-06"]
    assert "ambiguous" in issues[0] and "date_formats.d" in issues[0]
    assert "could be day-first or month-first" in notes[0]


def test_a_declared_format_is_the_only_one_used():
    values, issues, notes = read(["03/04/1980", "1980-04-03"], declared={"d": "%m/%d/%Y"})
    assert values == ["1980-03-04", None]
    assert "declared format %m/%d/%Y" in issues[1]
    assert notes == ["d: as declared (%m/%d/%Y); 1 of 2 read"]


def test_unreadable_and_implausible_values_keep_their_text_and_a_reason():
    table, _ = standardise_dates(pa.table({"d": ["31/02/1990", "25/12/1990", "soon"]}), {"d": "date"}, {})
    rows = table.to_pylist()
    assert [row["d__raw"] for row in rows] == ["31/02/1990", "25/12/1990", "soon"]
    assert rows[1]["d"] == "1990-12-25"
    assert rows[0]["d"] is None and "31/02/1990" in rows[0][ISSUES_COLUMN]
    assert "soon" in rows[2][ISSUES_COLUMN]


def test_timestamps_keep_iso_and_read_local_layouts():
    values, issues, _ = read(["2020-02-15T10:11:12+02:00", "15.02.2020 10:11", "15.02.2020"], kind="timestamp")
    assert values == ["2020-02-15T10:11:12+02:00", "2020-02-15 10:11:00", "2020-02-15 00:00:00"]
    assert issues == [None] * 3


def test_a_column_that_disagrees_with_itself_reads_the_majority_order_and_says_so():
    values, issues, notes = read(["25/04/1980", "26/04/1980", "04/27/1980"])
    assert values == ["1980-04-25", "1980-04-26", None]
    assert issues[2] is not None
    assert "2 values are day-first and 1 month-first" in notes[0]
