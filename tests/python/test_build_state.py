"""The skip of `make build` when nothing is new: a real DuckDB warehouse and a project tree in
tmp_path, changed one way at a time; no dbt build."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from c360.build_state import STATE_FILE, check, dbt_args, forget, main, record
from ingest.settings import warehouse_path

VARS = '{"source_systems": ["x"]}'


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """A project tree, a warehouse with bronze, a gold table and a staging view, a role file, a
    serving index and the manifest of the build that made them."""
    project = tmp_path / "project"
    for name, text in {
        "dbt_project.yml": "name: test\n",
        "profiles.yml": "test: {}\n",
        "pyproject.toml": "[project]\nname = 'test'\n",
        "models/staging/stg_x__people.sql": "select * from {{ source('x', 'people') }}\n",
        "models/marts/gold_cust_360.sql": "select * from {{ ref('stg_x__people') }}\n",
        "macros/clean.sql": "{% macro clean(column) %}trim({{ column }}){% endmacro %}\n",
        "seeds/tiers.csv": "tier\nhigh\n",
        "analyses/serving_person_record.sql": "select {{ clean('name') }}\n",
        "c360/udfs.py": "def register(con):\n    return con\n",
        "c360/summary.py": "print('summary')\n",
        "config/roles.yml": "roles:\n  analyst:\n    pii: hashed\n",
        "config/run.yml": "demo: {enabled: false}\n",
    }.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    nodes = {f"model.test.{name}": {"resource_type": "model", "schema": schema, "name": name, "alias": name,
                                    "config": {"materialized": materialized}}
             for schema, name, materialized in (("staging", "stg_x__people", "view"),
                                                ("marts", "gold_cust_360", "table"))}
    (project / "target").mkdir()
    (project / "target" / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    (project / "target" / "static_index.html").write_text("<html></html>")

    data = tmp_path / "data"
    (data / "roles").mkdir(parents=True)
    warehouse = data / "warehouse.duckdb"
    monkeypatch.setenv("C360_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("C360_ROLES_CONFIG", str(project / "config" / "roles.yml"))
    monkeypatch.delenv("C360_PRIVACY_DIR", raising=False)
    monkeypatch.delenv("C360_SERVING_PATH", raising=False)
    monkeypatch.chdir(project)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("""
            create schema raw_x;
            create table raw_x.people (id integer, name varchar, _dlt_load_id varchar);
            insert into raw_x.people values (1, 'Ann', '1700000000.1'), (2, 'Bob', '1700000000.1');
            create table raw_x._dlt_loads (load_id varchar);
            insert into raw_x._dlt_loads values ('1700000000.1');
            create schema raw_ingest;
            create table raw_ingest.source_runs (run_id varchar, _dlt_load_id varchar);
            insert into raw_ingest.source_runs values ('run-1', '1700000000.1');
            create table raw_ingest.quarantine (reason varchar);
            create schema staging;
            create view staging.stg_x__people as select id, name from raw_x.people;
            create schema marts;
            create table marts.gold_cust_360 as select id as customer_id from raw_x.people;
        """)
    duckdb.connect(str(data / "roles" / "analyst.duckdb")).close()
    (data / "serving").mkdir()
    duckdb.connect(str(data / "serving" / "index.duckdb")).close()
    return project


def check_here(project: Path, **options) -> tuple[bool, str]:
    return check(Path("config/run.yml"), VARS, project=project, **options)


def built(project: Path) -> None:
    """As `make build` does: check, forget, (the build), record."""
    unchanged, why = check_here(project)
    assert not unchanged, why
    forget(project)
    assert record(project=project) is not None


def warehouse_sql(sql: str) -> None:
    with duckdb.connect(str(warehouse_path())) as con:
        con.execute(sql)


def test_no_record_builds_then_nothing_new_skips(project):
    unchanged, why = check_here(project)
    assert not unchanged
    assert why == (f"build: no earlier build recorded in {project / 'target' / STATE_FILE}: "
                   "building from scratch (no earlier build recorded)")
    assert dbt_args(project) == ["--full-refresh"]
    assert record(project=project) is not None
    state = json.loads((project / "target" / STATE_FILE).read_text())
    assert state["inputs"]["bronze"] == {"raw_ingest.quarantine": [0, None], "raw_x.people": [2, "1700000000.1"]}
    assert state["outputs"] == {"relations": ["marts.gold_cust_360", "staging.stg_x__people"],
                                "files": [str(project.parent / "data" / "roles" / "analyst.duckdb"),
                                          str(project.parent / "data" / "serving" / "index.duckdb")]}

    unchanged, why = check_here(project)
    assert unchanged, why
    assert why.startswith("build: nothing new since the last build at ")
    assert why.endswith("(bronze, models, configuration unchanged): skipped; FORCE=1 rebuilds")


def _new_row(project):
    warehouse_sql("insert into raw_x.people values (3, 'Cy', '1700000000.1')")


def _new_load(project):
    warehouse_sql("update raw_x.people set _dlt_load_id = '1700000500.2' where id = 2")


def _new_table(project):
    warehouse_sql("create schema raw_y; create table raw_y.orders as select 1 as id")


def _quarantined(project):
    warehouse_sql("insert into raw_ingest.quarantine values ('wrong type')")


def _model_edited(project):
    path = project / "models" / "marts" / "gold_cust_360.sql"
    path.write_text(path.read_text().replace("select *", "select id"))


def _python_edited(project):
    (project / "c360" / "udfs.py").write_text("def register(con):\n    return None\n")


def _analysis_edited(project):
    (project / "analyses" / "serving_person_record.sql").write_text("select {{ clean('email') }}\n")


def _seed_added(project):
    (project / "seeds" / "fx_rates.csv").write_text("currency,rate\nGBP,1\n")


def _config_edited(project):
    (project / "config" / "run.yml").write_text("demo: {enabled: true}\n")


def _roles_edited(project):
    (project / "config" / "roles.yml").write_text("roles:\n  analyst:\n    pii: clear\n")


def _person_erased(project):
    (project.parent / "data" / "privacy").mkdir()
    (project.parent / "data" / "privacy" / "suppression.csv").write_text("hash,kind\nabc,email\n")


def _gold_dropped(project):
    warehouse_sql("drop table marts.gold_cust_360")


def _view_dropped(project):
    warehouse_sql("drop view staging.stg_x__people")


def _role_file_removed(project):
    (project.parent / "data" / "roles" / "analyst.duckdb").unlink()


def _serving_index_removed(project):
    (project.parent / "data" / "serving" / "index.duckdb").unlink()


INCREMENTALLY = ": building incrementally"


@pytest.mark.parametrize(("change", "said", "how"), [
    (_new_row, "bronze: raw_x.people 2 -> 3 rows", INCREMENTALLY),
    (_new_load, "bronze: raw_x.people new load", INCREMENTALLY),
    (_new_table, "bronze: raw_y.orders new", INCREMENTALLY),
    (_quarantined, "bronze: raw_ingest.quarantine 0 -> 1 rows", INCREMENTALLY),
    (_model_edited, "files: models/marts/gold_cust_360.sql edited",
     ": building from scratch (models/marts/gold_cust_360.sql changed)"),
    (_python_edited, "files: c360/udfs.py edited", ": building from scratch (c360/udfs.py changed)"),
    (_seed_added, "files: seeds/fx_rates.csv new", ": building from scratch (seeds/fx_rates.csv changed)"),
    (_analysis_edited, "files: analyses/serving_person_record.sql edited", INCREMENTALLY),
    (_config_edited, "files: config/run.yml edited", INCREMENTALLY),
    (_roles_edited, "files: config/roles.yml edited", INCREMENTALLY),
    (_person_erased, "suppression.csv new", INCREMENTALLY),
    (_gold_dropped, "missing since the last build at", INCREMENTALLY),
    (_view_dropped, "table staging.stg_x__people", INCREMENTALLY),
    (_role_file_removed, "/data/roles/analyst.duckdb", INCREMENTALLY),
    (_serving_index_removed, "/data/serving/index.duckdb", INCREMENTALLY),
])
def test_a_change_builds_and_says_what(project, change, said, how):
    """New rows build incrementally; new logic (models, seeds, c360) builds from scratch, since the
    rows an incremental table holds were built by the old one."""
    built(project)
    change(project)
    unchanged, why = check_here(project)
    assert not unchanged
    assert said in why
    assert why.endswith(how)
    assert dbt_args(project) == ([] if how == INCREMENTALLY else ["--full-refresh"])
    assert record(project=project) is not None
    assert dbt_args(project) == [], "a successful build clears the request"


def test_other_dbt_vars_build(project):
    built(project)
    unchanged, why = check(Path("config/run.yml"), '{"source_systems": []}', project=project)
    assert not unchanged
    assert "dbt vars" in why
    assert why.endswith("building from scratch (the dbt vars changed)")


def test_another_warehouse_builds(project, tmp_path, monkeypatch):
    built(project)
    other = tmp_path / "other.duckdb"
    (tmp_path / "data" / "warehouse.duckdb").rename(other)
    monkeypatch.setenv("C360_DUCKDB_PATH", str(other))
    unchanged, why = check_here(project)
    assert not unchanged
    assert f"another warehouse ({other})" in why


def test_what_every_ingest_run_adds_is_not_new(project):
    """The run record and dlt's own tables gain rows on every ingest, even when nothing was read;
    compiled Python, editor files and commands the build does not import are not read by it."""
    built(project)
    warehouse_sql("insert into raw_ingest.source_runs values ('run-2', '1700000900.3');"
                  "insert into raw_x._dlt_loads values ('1700000900.3')")
    (project / "c360" / "__pycache__").mkdir()
    (project / "c360" / "__pycache__" / "udfs.cpython-311.pyc").write_bytes(b"\x00")
    (project / "models" / "marts" / ".gold_cust_360.sql.swp").write_text("editor")
    (project / "c360" / "summary.py").write_text("print('what the run made')\n")
    unchanged, why = check_here(project)
    assert unchanged, why


def test_no_warehouse_builds(project, tmp_path):
    built(project)
    (tmp_path / "data" / "warehouse.duckdb").unlink()
    unchanged, why = check_here(project)
    assert not unchanged
    assert "no warehouse at" in why


def test_force_builds_and_a_failed_build_leaves_no_record(project):
    built(project)
    unchanged, why = check_here(project, force=True)
    assert (unchanged, why.endswith("FORCE=1: building incrementally")) == (False, True)
    assert check_here(project)[0], "a check alone changes nothing"
    forget(project)
    # the build failed: no record, so the next make build builds although nothing changed since
    unchanged, why = check_here(project)
    assert not unchanged
    assert "no earlier build recorded" in why


def test_the_record_is_what_the_build_read(project):
    """A model edited while dbt runs was not built: the next check sees it."""
    unchanged, _ = check_here(project)
    assert not unchanged
    forget(project)
    _model_edited(project)
    record(project=project)
    unchanged, why = check_here(project)
    assert not unchanged
    assert "gold_cust_360.sql edited" in why


def test_docs_skip_only_after_docs_of_the_last_build(project):
    built(project)
    unchanged, why = check_here(project, docs=True)
    assert not unchanged
    assert "not generated since the last build at" in why
    assert why.endswith(": generating")
    record(project=project, docs=True)
    unchanged, why = check_here(project, docs=True)
    assert unchanged, why
    assert why.endswith("static_index.html is current; FORCE=1 regenerates")
    # a build forgets the docs with the build they described
    _new_row(project)
    assert not check_here(project)[0]
    record(project=project)
    assert not check_here(project, docs=True)[0]


def test_the_command_line_exit_codes(project, capsys):
    args = ["check", "--config", "config/run.yml", "--vars", VARS]
    assert main(args, project) == 1
    assert main(["record"], project) == 0
    assert main(args, project) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main([*args, "--force"], project) == 1
    assert main(["record"], project) == 0
    assert main(args, project) == 0
    assert main(["forget"], project) == 0
    assert main(args, project) == 1


def test_an_unreadable_record_builds(project, capsys):
    built(project)
    (project / "target" / STATE_FILE).write_text("{not json")
    assert main(["check", "--config", "config/run.yml", "--vars", VARS], project) == 1
    assert "cannot read" in capsys.readouterr().out
    # the successful build then replaces it
    assert main(["record"], project) == 0
    assert json.loads((project / "target" / STATE_FILE).read_text())["inputs"]["vars"] == VARS
