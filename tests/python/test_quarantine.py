"""The contract check that splits clean rows from quarantined ones, on real files."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.quarantine import SourceFileError, TableContract, split_by_contract
from ingest.readers import (
    read_csv,
    read_csv_in_parts,
    read_jsonl,
    read_jsonl_in_parts,
    read_parquet,
    read_parquet_in_parts,
    records_to_table,
)

PAYMENTS = TableContract("payments", key=("id",), types={"amount": "DECIMAL(18,2)", "created": "TIMESTAMP"})


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_csv_rows_split_into_clean_and_quarantined_with_line_numbers(tmp_path):
    path = write(tmp_path / "p.csv", "id,amount,created\n"
                 "p1,3.50,2024-01-01 10:00:00\n"      # line 2: clean
                 "p2\n"                                # line 3: too few fields
                 "p3,N/A,2024-01-01 10:00:00\n"        # line 4: wrong type
                 ",5,2024-01-01 10:00:00\n"            # line 5: no key
                 "p5,\"12,50\",\n"                     # line 6: decimal comma
                 "p6,7,2024-01-01 10:00:00\n"          # line 7: clean
                 "p6,7,2024-01-01 10:00:00\n"          # line 8: exact duplicate, kept
                 "p8,1,2024-01-0")                     # line 9: truncated last line
    rows, unparsed = read_csv(path)
    clean, rejected = split_by_contract(rows, PAYMENTS)
    assert clean.column("id").to_pylist() == ["p1", "p6", "p6"]
    assert clean.column("_source_line").to_pylist() == [2, 7, 8]
    assert clean.schema.field("amount").type == pa.decimal128(18, 2)
    reasons = dict(zip(unparsed.column("source_row").to_pylist() + rejected.column("source_row").to_pylist(),
                       unparsed.column("reason").to_pylist() + rejected.column("reason").to_pylist(), strict=True))
    assert sorted(reasons) == [3, 4, 5, 6, 9]
    assert reasons[3].startswith("unparseable line: MISSING COLUMNS")
    assert reasons[4] == "wrong type: amount = N/A is not DECIMAL(18,2)"
    assert reasons[5] == "missing key id"
    assert reasons[6] == "wrong type: amount = 12,50 is not DECIMAL(18,2)"
    assert "created = 2024-01-0 is not TIMESTAMP" in reasons[9]
    # nothing lost: every data line is either clean or quarantined
    assert clean.num_rows + unparsed.num_rows + rejected.num_rows == 8


def test_a_csv_read_in_parts_gives_the_rows_line_numbers_and_rejects_of_one_read(tmp_path):
    path = write(tmp_path / "p.csv", "id,amount,created\n"
                 + "".join(f"p{n},{n}.50,2024-01-01 10:00:00\n" for n in range(1, 6))
                 + 'p6,"7\n8",x,y\n'                 # a bad quote spanning two lines, too many fields
                 + "p7\n"                             # too few fields
                 + "".join(f"p{n},{n},2024-01-02\n" for n in range(8, 12))
                 + "p12,1,2024-01-0")                  # truncated last line (parses: a bad value)
    rows, unparsed = read_csv(path)
    rejects, parts = read_csv_in_parts(path, rows_per_part=2)
    parts = list(parts)
    assert len(parts) > 3 and max(part.num_rows for part in parts) <= 2
    assert pa.concat_tables(parts).to_pylist() == rows.to_pylist()
    assert rejects.to_pylist() == unparsed.to_pylist() and unparsed.num_rows == 2
    assert rows.num_rows + unparsed.num_rows == 12


def test_a_parquet_file_read_in_parts_gives_the_rows_of_one_read(tmp_path):
    path = tmp_path / "events_0001.parquet"
    table = pa.table({"event_id": [f"e{n}" for n in range(7)], "amount": [n * 1.5 for n in range(7)]})
    pq.write_table(table, path, row_group_size=3)
    rejects, parts = read_parquet_in_parts(path, rows_per_part=2)
    parts = list(parts)
    assert len(parts) >= 4 and max(part.num_rows for part in parts) <= 2
    assert pa.concat_tables(parts).to_pylist() == read_parquet(path)[0].to_pylist()
    assert rejects.num_rows == 0
    # no rows: one empty part with the file's columns, so that its table is still created
    pq.write_table(table.slice(0, 0), path)
    parts = list(read_parquet_in_parts(path, rows_per_part=2)[1])
    assert len(parts) == 1 and parts[0].num_rows == 0 and parts[0].column_names == ["event_id", "amount"]


def test_a_jsonl_file_read_in_parts_gives_the_rows_columns_and_rejects_of_one_read(tmp_path):
    path = write(tmp_path / "t.jsonl",
                 '{"ticket_id": "T1", "csat_score": 5}\n'
                 '{"ticket_id": "T2"}\n'
                 'not json\n'
                 '\n'
                 '[1, 2]\n'
                 '{"ticket_id": "T3", "requester": {"email": "c@x.com"}}\n'  # a key only the last part has
                 '{"ticket_id": "T4", "csat_score": 3}\n')
    rows, unparsed = read_jsonl(path)
    rejects, parts = read_jsonl_in_parts(path, rows_per_part=2)
    parts = list(parts)
    assert len(parts) == 2 and all(part.column_names == rows.column_names for part in parts)
    assert pa.concat_tables(parts).to_pylist() == rows.to_pylist()
    assert rejects.to_pylist() == unparsed.to_pylist() and [row["source_row"] for row in unparsed.to_pylist()] == [3, 5]
    assert "requester__email" in rows.column_names and rows.num_rows == 4


def test_rejected_rows_keep_the_raw_record(tmp_path):
    rows, _ = read_csv(write(tmp_path / "p.csv", "id,amount,created\np3,N/A,2024-01-01\n"))
    _, rejected = split_by_contract(rows, PAYMENTS)
    assert rejected.column("raw_record").to_pylist() == ['{"id":"p3","amount":"N/A","created":"2024-01-01"}']


def test_jsonl_bad_lines_and_wrong_types(tmp_path):
    path = write(tmp_path / "t.jsonl",
                 '{"ticket_id": "T1", "csat_score": 5, "requester": {"name": "Ann", "email": "a@x.com"}}\n'
                 "\n"
                 '{"ticket_id": "T2", "csat_score": "great"}\n'
                 '{"ticket_id": "T3", "subj')
    rows, unparsed = read_jsonl(path)
    clean, rejected = split_by_contract(rows, TableContract("tickets", ("ticket_id",), {"csat_score": "INTEGER"}))
    assert clean.column("requester__name").to_pylist() == ["Ann"]
    assert clean.column("_source_line").to_pylist() == [1]
    assert unparsed.column("source_row").to_pylist() == [4]
    assert rejected.column("reason").to_pylist() == ["wrong type: csat_score = great is not INTEGER"]
    assert rejected.column("source_row").to_pylist() == [3]


def test_a_missing_key_column_is_a_file_error_not_a_quarantine_flood():
    with pytest.raises(SourceFileError, match="has no id column"):
        split_by_contract(records_to_table([{"ID": "x"}]), PAYMENTS)


@pytest.mark.parametrize("content", [b"", b"PAR1 this is not parquet"])
def test_unreadable_parquet_names_the_file(tmp_path, content):
    path = tmp_path / "events_0001.parquet"
    path.write_bytes(content)
    with pytest.raises(SourceFileError, match="events_0001.parquet"):
        read_parquet(path)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(SourceFileError, match="nope.csv: file not found"):
        read_csv(tmp_path / "nope.csv")


def test_placeholder_ids_are_quarantined_not_taken_as_ids():
    table = pa.table({"id": ["7", "NULL", "n/a", "0", "-", " ", None, "70"]})
    clean, rejects = split_by_contract(table, TableContract("t", key=("id",)))
    assert clean.column("id").to_pylist() == ["7", "70"]
    assert rejects.column("reason").to_pylist() == [
        "placeholder key id = NULL", "placeholder key id = n/a", "placeholder key id = 0",
        "placeholder key id = -", "missing key id", "missing key id"]


def test_a_latin1_semicolon_export_reads_with_a_note(tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes("id;name;city\n1;Zoë;Reykjavík\n2;Bob;Köln\n".encode("latin-1"))
    notes: list[str] = []
    rows, rejects = read_csv(path, delimiter=None, notes=notes)
    assert rows.column("name").to_pylist() == ["Zoë", "Bob"] and rejects.num_rows == 0
    assert notes == ["members.csv: not UTF-8 (line 2, byte 18); read as latin-1 (declare encoding: to choose)"]
