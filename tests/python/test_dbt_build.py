"""dbt build on warehouses ingested for real: the demo, and a bring-your-own-only configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import run_ingest

from ingest.config import dbt_vars, load_config
from ingest.settings import PROJECT_ROOT

DBT = str(Path(sys.executable).parent / "dbt")


def dbt(command: list[str], warehouse: Path, config: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "C360_DUCKDB_PATH": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    return subprocess.run(
        [DBT, *command, "--vars", json.dumps(dbt_vars(load_config(config))),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900,
    )


def test_dbt_build_passes_on_the_demo(built_warehouse):
    warehouse, _, _ = built_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
        assert {"staging", "intermediate", "marts"} <= schemas
        assert not [s for s in schemas if s.endswith("_staging") or s.startswith("main_")]
        # staging removed exact duplicates that bronze kept
        raw = con.execute("select count(*) from raw_web.events").fetchall()[0][0]
        staged = con.execute("select count(*) from staging.stg_web__events").fetchall()[0][0]
        distinct = con.execute("select count(distinct event_id) from raw_web.events").fetchall()[0][0]
        assert staged == distinct < raw


def test_dbt_build_with_only_a_bring_your_own_file(tmp_path, monkeypatch):
    members = tmp_path / "members.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["A1", "A2", "A2"], "given": ["Ann", "Bo", "Bo"], "email": ["a@x.com", None, None]}),
                   members)
    config = tmp_path / "byo.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [{
        "system": "partner_crm", "path": "members.parquet", "id_column": "id",
        "columns": {"first_name": "given", "email": "email"}}]}))
    warehouse = tmp_path / "warehouse.duckdb"
    run_ingest(config, warehouse, monkeypatch)
    result = dbt(["build"], warehouse, config, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select source_system, source_record_id, first_name, email, last_name "
                           "from staging.stg_person_files__person_records order by 2").fetchall()
    assert rows == [("partner_crm", "A1", "Ann", "a@x.com", None), ("partner_crm", "A2", "Bo", None, None)]


def test_two_bring_your_own_files_resolve_into_shared_customers(tmp_path, monkeypatch):
    """A CSV from one system and a Parquet file from another, demo off: the people in both become one
    customer each (written differently: case, phone format, plus-tag, a new e-mail), the rest stay apart."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first = ["Olivia", "Liam", "Amelia", "Noah", "Isla", "Oliver", "Ava", "Elijah", "Mia", "James",
             "Sofia", "Lucas", "Grace", "Henry", "Chloe", "Arthur", "Ella", "Jacob", "Ivy", "William"]
    last = ["Abbott", "Barker", "Chandler", "Dawson", "Ellison", "Fletcher", "Garrison", "Hartley", "Ingram",
            "Jarvis", "Kendall", "Lockhart", "Merriman", "Norwood", "Osborne", "Prescott", "Quinlan", "Radcliffe",
            "Sinclair", "Thornton"]
    people = [(f, s, f"{f.lower()}.{s.lower()}@example.org", f"+4479111{index:05d}")
              for index, (f, s) in enumerate(zip(first, last, strict=True))]
    (tmp_path / "crm.csv").write_text("contact,first,surname,mail,tel\n" + "".join(
        f"C{index},{f},{s},{mail},{phone}\n" for index, (f, s, mail, phone) in enumerate(people)))
    # The loyalty system knows the first 12 of them, written its own way (three with a new e-mail: only
    # the national-format phone ties them), and 5 people the CRM does not.
    loyalty = [(f"L{index}", f.upper(), s,
                mail.replace("@", "+loyalty@") if index < 9 else f"{s.lower()}{index}@mail.example",
                "07911 1" + phone[-5:])
               for index, (f, s, mail, phone) in enumerate(people[:12])]
    loyalty += [(f"L{100 + index}", f, s, f"{f.lower()}{s.lower()}@example.net", None)
                for index, (f, s) in enumerate([("Zara", "Whitlock"), ("Felix", "Ashdown"), ("Nina", "Bramley"),
                                                ("Oscar", "Calloway"), ("Ruby", "Delacroix")])]
    pq.write_table(pa.table({name: [row[i] for row in loyalty] for i, name in
                             enumerate(["member_no", "fname", "sname", "email", "mobile"])}),
                   tmp_path / "loyalty.parquet")
    config = tmp_path / "byo.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [
        {"system": "crm_export", "path": "crm.csv", "id_column": "contact",
         "columns": {"first_name": "first", "last_name": "surname", "email": "mail", "phone": "tel"}},
        {"system": "loyalty", "path": "loyalty.parquet", "id_column": "member_no",
         "columns": {"first_name": "fname", "last_name": "sname", "email": "email", "phone": "mobile"}}]}))
    warehouse = tmp_path / "warehouse.duckdb"
    run_ingest(config, warehouse, monkeypatch)
    result = dbt(["build"], warehouse, config, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        customers = dict(con.execute("select source_system || ':' || source_record_id, customer_id "
                                     "from marts.customer_identity_map").fetchall())
    assert len(customers) == 20 + 17
    for index in range(12):  # in both systems: one customer
        assert customers[f"crm_export:C{index}"] == customers[f"loyalty:L{index}"], index
    assert len(set(customers.values())) == 20 + 5  # everyone else is their own customer
