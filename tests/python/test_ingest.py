"""The dlt pipelines against their real sources: files, the CRM A HTTP API and the SQLite shop."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
from conftest import run_ingest, write_config

from ingest import readers
from ingest.config import DEMO_SYSTEMS
from ingest.settings import PROJECT_ROOT
from ingest.sources import files

FILE_TABLES = {  # raw table -> (folder, glob)
    "raw_crm_b.contacts": ("crm_b", "contacts_export_*.csv"),
    "raw_payments.payments": ("payments", "payments_*.csv"),
    "raw_payments.refunds": ("payments", "refunds_*.csv"),
    "raw_support.tickets": ("support", "tickets_*.jsonl"),
    "raw_web.events": ("web", "events_*.parquet"),
    "raw_email.campaigns": ("email", "campaigns_*.csv"),
    "raw_email.subscribers": ("email", "subscribers_*.csv"),
    "raw_email.events": ("email", "events_*.csv"),
    "raw_marketing.spend": ("marketing", "spend_*.csv"),
}


def records_in(path: Path) -> int:
    """Records in a source file, counted independently of the loader."""
    if path.suffix == ".parquet":
        return pq.read_metadata(path).num_rows
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return len(lines) - (1 if path.suffix == ".csv" else 0)


def count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchall()[0][0]


def table_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "where table_schema like 'raw_%' and table_name not like '\\_dlt%' escape '\\'").fetchall()
        return {name: count(con, f"select count(*) from {name}") for (name,) in tables}


def test_every_system_lands_in_its_own_raw_schema(loaded_warehouse):
    warehouse, _, runs = loaded_warehouse
    assert [run.status for run in runs] == ["ok"] * len(DEMO_SYSTEMS), [(r.system, r.error) for r in runs]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
        assert schemas == {f"raw_{system}" for system in DEMO_SYSTEMS} | {"raw_ingest"}
        for table in [*FILE_TABLES, "raw_crm_a.contacts", "raw_shop.customers", "raw_shop.orders",
                      "raw_shop.order_lines", "raw_shop.products"]:
            assert count(con, f"select count(*) from {table}") > 0, table
        # every bronze row is traceable to its load
        assert count(con, "select count(*) from raw_web.events where _dlt_load_id is null") == 0


def test_raw_rows_equal_loaded_plus_quarantined_for_every_file(loaded_warehouse):
    warehouse, data_dir, _ = loaded_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        checked = 0
        for table, (folder, pattern) in FILE_TABLES.items():
            system, name = table.removeprefix("raw_").split(".")
            for path in sorted((data_dir / "sources" / folder).glob(pattern)):
                ref = path.name
                loaded = count(con, f"select count(*) from {table} where _source_file = ?", [ref])
                quarantined = count(con, "select count(*) from raw_ingest.quarantine where source_system = ? "
                                         "and source_table = ? and source_ref = ?", [system, name, ref])
                assert loaded + quarantined == records_in(path), (table, ref, loaded, quarantined)
                checked += 1
        assert checked >= len(FILE_TABLES)
        # The API: every contact the CRM serves is loaded (merged on Id) or quarantined.
        store = data_dir / "sources" / "crm_a" / "contacts.jsonl"
        contacts = [json.loads(line) for line in store.read_text().splitlines() if line.strip()]
        quarantined = [json.loads(raw) for (raw,) in con.execute(
            "select raw_record from raw_ingest.quarantine where source_system = 'crm_a'").fetchall()]
        loaded_ids = {i for (i,) in con.execute("select id from raw_crm_a.contacts").fetchall()}
        assert len(contacts) == count(con, "select sum(rows_loaded) from raw_ingest.source_runs "
                                           "where source_system = 'crm_a'") + len(quarantined)
        quarantined_only = {r.get("Id") for r in quarantined} - {None}
        served_ids = {c.get("Id") for c in contacts if c.get("Id")}
        assert loaded_ids == served_ids - (quarantined_only - loaded_ids)
        assert loaded_ids and quarantined
        # The database: every row of every table.
        with sqlite3.connect(data_dir / "sources" / "shop" / "shop.sqlite") as shop:
            for name in ("customers", "products", "orders", "order_lines"):
                expected = shop.execute(f"select count(*) from {name}").fetchone()[0]
                assert count(con, f"select count(*) from raw_shop.{name}") == expected, name


def test_large_files_read_in_parts_load_the_same_rows(demo_copy, tmp_path, monkeypatch):
    """Every CSV, JSON-lines and Parquet file read a part of 30 rows at a time (as a file over 256 MB is) lands row for
    row, line for line, as read whole, and quarantines the same lines for the same reasons, unparseable
    ones included."""
    payments = demo_copy / "sources" / "payments" / "payments_0001.csv"
    lines = payments.read_text(encoding="utf-8").split("\n")
    lines.insert(150, 'py_broken,"12\nstill in the quote",x')  # a bad quote spanning two lines, mid-file
    payments.write_text("\n".join(lines), encoding="utf-8")
    part_systems = ["crm_b", "payments", "email", "marketing", "support", "web"]
    warehouses = {}
    for name, part_bytes in (("whole", files.FILE_PART_BYTES), ("in_parts", 0)):
        monkeypatch.setattr(files, "FILE_PART_BYTES", part_bytes)
        monkeypatch.setattr(readers, "ROWS_PER_PART", 30)
        monkeypatch.setattr(readers, "JSONL_ROWS_PER_PART", 30)
        warehouses[name] = tmp_path / f"{name}.duckdb"
        run_ingest(write_config(tmp_path / f"{name}.yml", demo_copy), warehouses[name], monkeypatch,
                   systems=part_systems)
    lined_tables = [table for table, (_, pattern) in FILE_TABLES.items() if pattern.endswith((".csv", ".jsonl"))]
    quarantine = ("select source_table, source_ref, source_row, reason from raw_ingest.quarantine order by all")
    with duckdb.connect(str(warehouses["whole"]), read_only=True) as whole, \
            duckdb.connect(str(warehouses["in_parts"]), read_only=True) as in_parts:
        for table in lined_tables:
            rows = f"select * exclude (_dlt_load_id) from {table} order by _source_file, _source_line"
            assert in_parts.execute(rows).fetchall() == whole.execute(rows).fetchall(), table
        assert count(in_parts, "select count(*) from raw_payments.payments") > 3 * 30
        web_events = "select * exclude (_dlt_load_id) from raw_web.events order by _source_file, event_id"
        assert in_parts.execute(web_events).fetchall() == whole.execute(web_events).fetchall()
        assert count(in_parts, "select count(*) from raw_web.events") > 3 * 30
        assert count(in_parts, "select count(*) from raw_support.tickets") > 2 * 30
        assert in_parts.execute(quarantine).fetchall() == whole.execute(quarantine).fetchall()
        counted = ("select source_system, table_name, rows_read, rows_loaded, rows_quarantined, files_read "
                   "from raw_ingest.source_runs order by all")
        assert in_parts.execute(counted).fetchall() == whole.execute(counted).fetchall()
        assert count(in_parts, "select count(*) from raw_ingest.quarantine where source_ref = 'payments_0001.csv' "
                               "and reason like 'unparseable line%' and raw_record like 'py_broken%'") == 1


def test_the_mess_is_quarantined_with_reasons(loaded_warehouse):
    warehouse, _, runs = loaded_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reasons = dict(con.execute(
            "select regexp_extract(reason, '^[^:(]*'), count(*) from raw_ingest.quarantine group by all").fetchall())
        assert reasons.get("unparseable line", 0) > 0   # truncated last lines
        assert reasons.get("wrong type", 0) > 0         # amount = N/A or 12,50
        assert any(reason.startswith("missing key") for reason in reasons)
        raw = count(con, "select count(*) from raw_ingest.quarantine where raw_record is null or reason is null")
        assert raw == 0
        # the run record agrees with the quarantine table, per system
        recorded = dict(con.execute("select source_system, sum(rows_quarantined) from raw_ingest.source_runs "
                                    "group by all").fetchall())
        stored = dict(con.execute("select source_system, count(*) from raw_ingest.quarantine group by all").fetchall())
        assert {k: v for k, v in recorded.items() if v} == stored
    for run in runs:
        for table in run.tables.values():
            assert table.rows_read == table.rows_loaded + table.rows_quarantined, (run.system, table.table)


def test_second_run_over_unchanged_inputs_adds_nothing(demo_copy, tmp_path, monkeypatch):
    config = write_config(tmp_path / "run.yml", demo_copy)
    warehouse = tmp_path / "warehouse.duckdb"
    run_ingest(config, warehouse, monkeypatch)
    before = table_counts(warehouse)
    runs = run_ingest(config, warehouse, monkeypatch)
    after = table_counts(warehouse)
    assert all(run.status == "ok" for run in runs)
    assert sum(t.rows_read for run in runs for t in run.tables.values()) == 0
    changed = {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n and t != "raw_ingest.source_runs"}
    assert changed == {}


def test_a_later_batch_is_merged_incrementally(demo_copy, tmp_path, monkeypatch):
    from conftest import PEOPLE, SEED

    from ingest.demo.generate import generate

    config = write_config(tmp_path / "run.yml", demo_copy)
    warehouse = tmp_path / "warehouse.duckdb"
    run_ingest(config, warehouse, monkeypatch)
    before = table_counts(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        first_modified = dict(con.execute("select id, last_modified_date from raw_crm_a.contacts").fetchall())

    generate(demo_copy, people=PEOPLE, seed=SEED, batch=2)
    runs = run_ingest(write_config(tmp_path / "run2.yml", demo_copy, batch=2), warehouse, monkeypatch)
    assert all(run.status == "ok" for run in runs), [(r.system, r.error) for r in runs]
    after = table_counts(warehouse)
    grown = ("raw_crm_b.contacts", "raw_web.events", "raw_shop.orders", "raw_crm_a.contacts", "raw_payments.payments")
    for table in grown:
        assert after[table] > before[table], table
    # Only what is new was read: batch-1 files were not opened again.
    (web,) = [run for run in runs if run.system == "web"]
    batch_2_parts = list((demo_copy / "sources" / "web").glob("events_0002_*.parquet"))
    assert batch_2_parts
    assert web.tables["events"].files_read == len(batch_2_parts)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # changed CRM A contacts were merged in place (same Id, later LastModifiedDate), not duplicated
        assert count(con, "select count(*) - count(distinct id) from raw_crm_a.contacts") == 0
        latest = dict(con.execute("select id, last_modified_date from raw_crm_a.contacts").fetchall())
        changed = [i for i in first_modified if latest.get(i) and latest[i] > first_modified[i]]
        assert changed, "batch 2 should change some batch-1 contacts"
        with sqlite3.connect(demo_copy / "sources" / "shop" / "shop.sqlite") as shop:
            for name in ("customers", "orders", "order_lines"):
                expected = shop.execute(f"select count(*) from {name}").fetchone()[0]
                assert count(con, f"select count(*) from raw_shop.{name}") == expected, name
            shop_updated = dict(shop.execute("select customer_id, updated_at from customers"))
        raw_updated = dict(con.execute("select customer_id, updated_at from raw_shop.customers").fetchall())
        assert raw_updated == shop_updated


def test_a_corrupt_file_is_named_and_does_not_stop_the_other_sources(demo_copy, tmp_path, monkeypatch):
    from ingest.run import main

    broken = sorted((demo_copy / "sources" / "web").glob("events_*.parquet"))[0]
    broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 2])  # truncated Parquet
    (demo_copy / "sources" / "crm_a" / "contacts.jsonl").unlink()         # the API's store is gone
    config = write_config(tmp_path / "run.yml", demo_copy)
    monkeypatch.setenv("C360_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    assert main(["--config", str(config)]) == 1
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        status = dict(con.execute("select source_system, max(status) from raw_ingest.source_runs group by all")
                      .fetchall())
        errors = " ".join(e for (e,) in con.execute("select error from raw_ingest.source_runs where error is not null")
                          .fetchall())
        assert status["crm_a"] == "failed" and "contacts.jsonl" in errors
        assert status["web"] in ("partial", "failed") and broken.name in errors
        assert all(status[s] == "ok" for s in DEMO_SYSTEMS if s not in ("crm_a", "web"))
        assert count(con, "select count(*) from raw_ingest.quarantine where source_ref = ? "
                          "and reason like 'file not loaded%'", [broken.name]) == 1
        assert count(con, "select count(*) from raw_shop.orders") > 0


def test_bring_your_own_person_file(tmp_path, monkeypatch):
    members = tmp_path / "exports" / "members.csv"
    members.parent.mkdir()
    members.write_text("member_no,fname,sname,mail,tel,zip,tier\n"
                       "M1,Ann,Lee,ann@example.com,07700 900123,LS1 4AP,gold\n"
                       "M2,Bob,Stone,bob@example.com,,M1 1AE,silver\n"
                       ",No,Id,noid@example.com,,,bronze\n")
    config = tmp_path / "byo.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [{
        "system": "loyalty", "path": "exports/members.csv", "id_column": "member_no",
        "columns": {"first_name": "fname", "last_name": "sname", "email": "mail", "phone": "tel", "postcode": "zip"},
    }]}))
    warehouse = tmp_path / "warehouse.duckdb"
    runs = run_ingest(config, warehouse, monkeypatch)
    assert [(run.system, run.status) for run in runs] == [("loyalty", "ok")]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select source_record_id, first_name, last_name, email, postcode, tier "
                           "from raw_loyalty.person_records order by 1").fetchall()
        assert rows == [("M1", "Ann", "Lee", "ann@example.com", "LS1 4AP", "gold"),
                        ("M2", "Bob", "Stone", "bob@example.com", "M1 1AE", "silver")]
        assert con.execute("select reason from raw_ingest.quarantine").fetchall() == [("missing key source_record_id",)]


def test_a_missing_person_file_is_a_clear_error(tmp_path, monkeypatch):
    config = tmp_path / "byo.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [{
        "system": "loyalty", "path": "nowhere/members.csv", "id_column": "id", "columns": {"email": "mail"}}]}))
    runs = run_ingest(config, tmp_path / "warehouse.duckdb", monkeypatch)
    assert runs[0].status == "failed"
    assert "nowhere" in runs[0].error


def test_a_run_killed_mid_way_keeps_the_audit_of_the_systems_already_loaded(tmp_path):
    """kill -9 while the second system loads (its export is a pipe nobody writes, so the load waits
    there): the first system's quarantine and run record are already in raw_ingest."""
    (tmp_path / "first.csv").write_text("id,mail\n1,a@example.com\nN/A,b@example.com\n")
    os.mkfifo(tmp_path / "second.csv")
    config = tmp_path / "byo.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [
        {"system": name, "path": f"{name}.csv", "id_column": "id", "columns": {"email": "mail"}}
        for name in ("first", "second")]}))
    warehouse = tmp_path / "warehouse.duckdb"
    ingest = subprocess.Popen([sys.executable, "-m", "ingest.run", "--config", str(config)], cwd=PROJECT_ROOT,
                              env={**os.environ, "C360_DUCKDB_PATH": str(warehouse)},
                              stderr=subprocess.PIPE, text=True)
    try:
        progress = []
        for line in ingest.stderr:
            progress.append(line)
            if line.startswith("[second] loading"):
                break
        assert ingest.poll() is None, "".join(progress)  # still running, waiting on the second export
        ingest.send_signal(signal.SIGKILL)
        ingest.wait(timeout=60)
    finally:
        ingest.kill()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select source_system, reason from raw_ingest.quarantine").fetchall() == [
            ("first", "placeholder key source_record_id = N/A")]
        assert con.execute("select source_system, rows_loaded, rows_quarantined from raw_ingest.source_runs"
                           ).fetchall() == [("first", 1, 1)]


def test_person_records_and_orders_from_sql_tables(tmp_path, monkeypatch):
    """A CRM's customers and its orders read straight from its database (SQLite here): the same
    mapping, reshaping and contract as a file, the placeholder id quarantined, a rerun replaces."""
    database = tmp_path / "crm.db"
    with sqlite3.connect(database) as db:
        db.execute("create table customers (cust_no text, given text, family text, mail text, born text)")
        db.executemany("insert into customers values (?, ?, ?, ?, ?)", [
            ("C1", "Ann", "Lee", "ann@example.com", "25/04/1980"), ("C2", "Bob", "Stone", None, "03/11/1975"),
            ("N/A", "No", "One", "none@example.com", None)])
        db.execute("create table sales (sale_no integer, cust_no text, total real, sold_at text)")
        db.executemany("insert into sales values (?, ?, ?, ?)", [(1, "C1", 12.5, "2024-01-05 10:00"),
                                                                  (2, "C2", 40.0, "2024-02-01 11:30")])
    config = tmp_path / "db.yml"
    config.write_text(json.dumps({"demo": {"enabled": False},
        "person_files": [{"system": "crm", "table": {"url": "sqlite:///crm.db", "name": "customers"},
                          "id_column": "cust_no", "columns": {"first_name": "given", "last_name": "family",
                                                              "email": "mail", "date_of_birth": "born"}}],
        "exports": [{"system": "crm_sales", "kind": "orders", "table": {"url": "sqlite:///crm.db", "name": "sales"},
                     "id_column": "sale_no", "columns": {"total_amount": "total", "ordered_at": "sold_at"},
                     "customer": {"system": "crm", "column": "cust_no"}, "currency": "GBP"}]}))
    warehouse = tmp_path / "warehouse.duckdb"
    runs = run_ingest(config, warehouse, monkeypatch)
    assert [(run.system, run.status) for run in runs] == [("crm", "ok"), ("crm_sales", "ok")]
    runs = run_ingest(config, warehouse, monkeypatch)  # read again: replaces, does not add
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select source_record_id, first_name, date_of_birth from raw_crm.person_records "
                           "order by 1").fetchall() == [("C1", "Ann", "1980-04-25"), ("C2", "Bob", "1975-11-03")]
        assert con.execute("select order_id, customer_system, customer_record_id, total_amount, ordered_at, currency "
                           "from raw_crm_sales.orders order by 1").fetchall() == [
            ("1", "crm", "C1", Decimal("12.50"), "2024-01-05 10:00", "GBP"),
            ("2", "crm", "C2", Decimal("40.00"), "2024-02-01 11:30", "GBP")]
        assert con.execute("select distinct reason from raw_ingest.quarantine").fetchall() == [
            ("placeholder key source_record_id = N/A",)]
