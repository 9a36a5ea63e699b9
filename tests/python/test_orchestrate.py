"""Scheduled runs on Dagster (c360/orchestrate.py, the `orchestrate` extra, installed by `make test`):
the definitions of a two-system demo, the whole job run in-process into a real warehouse, and a
failing source whose run raises an alert to the local log and to a webhook on loopback."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import PEOPLE, SEED

from c360 import build_state, orchestrate
from ingest.config import dbt_vars, load_config
from ingest.run import landed_systems

# dagster-dbt's own use of a deprecated Dagster API
pytestmark = pytest.mark.filterwarnings("ignore:AssetExecutionContext.op is deprecated:DeprecationWarning")

SYSTEMS = ["crm_b", "shop"]  # a person system and the shop: enough for customers with orders in gold


@pytest.fixture(scope="module")
def dbt_target(tmp_path_factory) -> Path:
    """One parsed manifest for the module: every test's configuration has the same systems."""
    return tmp_path_factory.mktemp("dagster_dbt")


@pytest.fixture()
def demo_run(demo_template, dbt_target, tmp_path, monkeypatch) -> tuple[Path, Path, Path]:
    """(configuration, demo dir, run dir): a copy of the small demo, its own warehouse and alert log."""
    data_dir = tmp_path / "demo"
    shutil.copytree(demo_template, data_dir)
    config = tmp_path / "run.yml"
    config.write_text(json.dumps({"demo": {"data_dir": str(data_dir), "people": PEOPLE, "seed": SEED,
                                           "systems": SYSTEMS}}))
    monkeypatch.setenv("C360_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("C360_DAGSTER_TARGET", str(dbt_target))
    monkeypatch.setenv("C360_ALERT_LOG", str(tmp_path / "alerts.jsonl"))
    monkeypatch.delenv("C360_ALERT_WEBHOOK", raising=False)
    return config, data_dir, tmp_path


def test_definitions_have_an_asset_per_system_the_dbt_models_checks_schedule_and_sensors(demo_run):
    config, data_dir, run_dir = demo_run
    defs = orchestrate.build_definitions(config)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {key for key in keys if key.startswith("raw_")} == {"raw_crm_b", "raw_shop"}
    assert {"staging/stg_shop__orders", "marts/dim_customers", "marts/gold_cust_360", "role_files"} <= keys

    def parents(key: str) -> set[str]:
        return {parent.to_user_string() for parent in graph.get(dg.AssetKey(key.split("/"))).parent_keys}

    # dbt sources are the ingest assets; the run record waits for every system; role files after the marts
    assert "raw_shop" in parents("staging/stg_shop__orders")
    assert "raw_crm_b" in parents("staging/stg_crm_b__contacts")
    assert {"raw_crm_b", "raw_shop"} <= parents("staging/stg_ingest__source_runs")
    assert "marts/gold_cust_360" in parents("role_files")
    checks = {(check.asset_key.to_user_string(), check.name) for check in graph.asset_check_keys}
    assert len(checks) > 100
    assert any(asset == "marts/gold_cust_360" and "customer_id" in name for asset, name in checks)
    assert defs.resolve_job_def(orchestrate.JOB_NAME).executor_def is dg.in_process_executor
    assert defs.resolve_schedule_def("c360_daily").cron_schedule == "0 2 * * *"
    assert {"new_exports", "c360_failure_alert"} <= {sensor.name for sensor in defs.sensors}
    assert (orchestrate.dbt_target_dir() / "manifest.json").is_file()

    # the export sensor: exports newer than the warehouse (none yet) ask for a run, once
    new_exports = defs.resolve_sensor_def("new_exports")
    first = new_exports(context := dg.build_sensor_context())
    assert isinstance(first, dg.RunRequest) and context.cursor
    assert isinstance(new_exports(dg.build_sensor_context(cursor=context.cursor)), dg.SkipReason)
    export = data_dir / "sources" / "crm_b" / "contacts_export_0001.csv"
    later = float(context.cursor) + 10
    os.utime(export, (later, later))
    again = new_exports(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(again, dg.RunRequest) and again.run_key != first.run_key


def test_the_job_builds_the_warehouse_in_process(demo_run):
    config, _, run_dir = demo_run
    build_target = orchestrate.dbt_target_dir() / "build"
    build_state.forget(target=build_target)  # whatever another test's job built
    defs = orchestrate.build_definitions(config)
    result = defs.resolve_job_def(orchestrate.JOB_NAME).execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success
    materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert {"raw_crm_b", "raw_shop", "staging/stg_shop__orders", "marts/gold_cust_360", "role_files"} <= materialized
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) > 100 and all(evaluation.passed for evaluation in evaluations)
    with duckdb.connect(str(run_dir / "warehouse.duckdb"), read_only=True) as con:
        customers, with_orders = con.execute(
            "select count(*), count(*) filter (where order_count > 0) from marts.gold_cust_360").fetchone()
        systems = {system for (system,) in con.execute("select distinct source_system from raw_ingest.source_runs")
                   .fetchall()}
    assert customers > 100 and with_orders > 50
    assert systems == set(SYSTEMS)
    assert sorted(path.name for path in (run_dir / "roles").glob("*.duckdb"))  # published after the build
    # no build of this job recorded: from scratch; recorded now, so the next run of the same project
    # and vars builds incrementally
    assert json.loads((build_target / "run_results.json").read_text())["args"]["full_refresh"] is True
    run_config = load_config(config)
    vars_ = json.dumps(dbt_vars(run_config, landed_systems(run_config, run_dir / "warehouse.duckdb")))
    _, why = build_state.check(config=config, dbt_vars=vars_, target=build_target, force=True)
    assert why.endswith("building incrementally"), why


class Webhook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Webhook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_a_failing_source_fails_the_run_and_raises_an_alert(demo_run, monkeypatch):
    config, data_dir, run_dir = demo_run
    (data_dir / "sources" / "shop" / "shop.sqlite").write_bytes(b"this is not a database")
    defs = orchestrate.build_definitions(config)
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def(orchestrate.JOB_NAME).execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    failed = {event.step_key for event in result.all_events if event.is_step_failure}
    assert failed == {"raw_shop"}
    assert "dbt_build" not in {event.step_key for event in result.all_events if event.is_step_success}

    server = HTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Webhook.received = []
    try:
        monkeypatch.setenv("C360_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/alerts")
        context = dg.build_run_status_sensor_context(
            sensor_name="c360_failure_alert", dagster_instance=instance, dagster_run=result.dagster_run,
            dagster_event=result.get_run_failure_event()).for_run_failure()
        defs.resolve_sensor_def("c360_failure_alert")(context)
        deadline = time.monotonic() + 5
        while not Webhook.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()

    logged = [json.loads(line) for line in (run_dir / "alerts.jsonl").read_text().splitlines()]
    assert len(logged) == 1 and Webhook.received == logged
    alert = logged[0]
    assert alert["run_id"] == result.run_id and alert["job"] == orchestrate.JOB_NAME
    assert [step["step"] for step in alert["failed_steps"]] == ["raw_shop"]
    assert "shop" in alert["failed_steps"][0]["error"]

    # a webhook that cannot be reached is itself logged, and the sensor does not raise
    monkeypatch.setenv("C360_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/gone")
    defs.resolve_sensor_def("c360_failure_alert")(context)
    logged = [json.loads(line) for line in (run_dir / "alerts.jsonl").read_text().splitlines()]
    assert [entry["alert"] for entry in logged] == ["c360 run failed", "c360 run failed", "webhook failed"]
    assert logged[-1]["run_id"] == result.run_id and "/gone" not in json.dumps(logged[-1])
