"""Scheduled runs and alerts on Dagster (the optional `orchestrate` extra; `make orchestrate`).

The run `make run` does, as Dagster assets: one asset per source system of the configuration
(`raw_<system>`, the project's own ingest for that system), every dbt model, seed and snapshot
(dagster-dbt; the dbt tests become asset checks), and the role files published after the build.
A daily schedule runs it all, a sensor runs it when export files are new or changed, and a
run-failure sensor appends an alert to a local log and posts it to a webhook.

    CONFIG=config/demo.yml dagster dev -m c360.orchestrate    # what `make orchestrate` starts
    python -m c360.orchestrate init-home data/dagster          # writes DAGSTER_HOME/dagster.yaml

DuckDB has one writer, so every step that writes the warehouse runs one at a time: the job
and every ad-hoc materialisation use the in-process executor (one step after another), and
the dagster.yaml `init-home` writes lets one run go at a time (the schedule and the sensor queue).
Only the DuckDB warehouse (not TARGET=spark), and docs and the summary are left to `make`.
"""

# No `from __future__ import annotations`: dagster reads the context parameter's annotation as a type.
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ingest.config import RunConfig, dbt_vars, load_config
from ingest.settings import DEFAULT_CONFIG, PROJECT_ROOT, warehouse_path

JOB_NAME = "c360_run"
DAILY_CRON = "0 2 * * *"  # 02:00 UTC
# What dbt reads when it parses the project: a change to any of these makes the manifest stale.
DBT_PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots", "tests/dbt")
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")  # the venv's dbt, whatever PATH holds


def _resolve(path: str | Path) -> Path:
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path


def config_path() -> Path:
    """The run configuration: `CONFIG` (as the Makefile's CONFIG=), else config/demo.yml."""
    return _resolve(os.environ.get("CONFIG") or DEFAULT_CONFIG)


def dbt_target_dir() -> Path:
    """dbt's artefacts for Dagster (`C360_DAGSTER_TARGET`, else target/dagster): apart from
    target/, so `make build` and `make docs` and the Dagster graph do not overwrite each other."""
    return _resolve(os.environ.get("C360_DAGSTER_TARGET") or PROJECT_ROOT / "target" / "dagster")


def alert_log_path() -> Path:
    return _resolve(os.environ.get("C360_ALERT_LOG") or PROJECT_ROOT / "data" / "alerts.jsonl")


def raw_key(system: str) -> dg.AssetKey:
    """An ingest asset is named after the bronze schema it writes (raw_<system>)."""
    return dg.AssetKey(f"raw_{system}")


# --- the dbt manifest ---------------------------------------------------------------------

def _newest_mtime(paths: Iterable[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            newest = max([newest, *(f.stat().st_mtime for f in path.rglob("*") if f.is_file())])
        elif path.is_file():
            newest = max(newest, path.stat().st_mtime)
    return newest


def ensure_manifest(config: RunConfig, target_dir: Path | None = None) -> Path:
    """target/dagster/manifest.json, from `dbt parse` when missing or stale: older than a project
    file, or parsed with other vars. The vars are the configuration's (what `python -m ingest.config`
    prints when every system has landed), so the graph has every configured system in it; the
    build itself gets the vars of the systems that did land, as `make build` does."""
    target_dir = target_dir or dbt_target_dir()
    manifest, parsed_vars = target_dir / "manifest.json", target_dir / "parse_vars.json"
    wanted = json.dumps(dbt_vars(config), sort_keys=True)
    if (manifest.is_file() and parsed_vars.is_file() and parsed_vars.read_text() == wanted
            and manifest.stat().st_mtime >= _newest_mtime([PROJECT_ROOT / name for name in DBT_PROJECT_FILES])):
        return manifest
    # Parsed aside and moved in, so a code server and a run worker parsing at once never read half a file.
    scratch = target_dir / f"parse-{os.getpid()}"
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    result = subprocess.run([DBT_EXECUTABLE, "parse", "--quiet", "--vars", wanted,
                             "--target-path", str(scratch), "--log-path", str(scratch / "logs")],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed (exit {result.returncode}):\n{(result.stdout + result.stderr)[-4000:]}")
    os.replace(scratch / "manifest.json", manifest)
    parsed_vars.write_text(wanted)
    shutil.rmtree(scratch, ignore_errors=True)
    return manifest


class C360Translator(DagsterDbtTranslator):
    """dbt sources are the ingest assets: source `x` (schema raw_x) is asset raw_x. Person files and
    exports are read as relations, not sources (their schemas come from the configuration), and
    raw_ingest is written by every system's ingest: those edges are added here."""

    def __init__(self, config: RunConfig):
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True))
        vars_ = dbt_vars(config)
        self.all_systems = [raw_key(system) for system in config.systems]
        self.person_files = [raw_key(system) for system in vars_["person_file_systems"]]
        self.activity = {kind: [raw_key(s) for s in systems] for kind, systems in vars_["activity_systems"].items()}

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec.replace_attributes(key=dg.AssetKey(props["schema"]))
        if props["resource_type"] != "model":
            return spec
        deps = [dep for dep in spec.deps if dep.asset_key != dg.AssetKey("raw_ingest")]
        extra = []
        if len(deps) < len(spec.deps):  # reads the run record: after every system's ingest
            extra += self.all_systems
        if props["name"] == "stg_person_files__person_records":
            extra += self.person_files
        if props["name"].startswith("stg_activity__"):
            extra += self.activity.get(props["name"].removeprefix("stg_activity__"), [])
        have = {dep.asset_key for dep in deps}
        deps += [dg.AssetDep(key) for key in dict.fromkeys(extra) if key not in have]
        return spec.replace_attributes(deps=deps)


# --- alerts -------------------------------------------------------------------------------

def _append(record: dict) -> None:
    path = alert_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as log:
        log.write(json.dumps(record, default=str) + "\n")


def send_alert(alert: dict, log: Any = None) -> None:
    """Append the alert to the local log and, with C360_ALERT_WEBHOOK set, POST it there as JSON.
    A webhook that fails is logged (its host only: a webhook URL is often a secret), never raised:
    the alert is already on disk, and a failing alert must not hide the failure it reports."""
    _append(alert)
    url = os.environ.get("C360_ALERT_WEBHOOK")
    if not url:
        return
    request = urllib.request.Request(url, data=json.dumps(alert, default=str).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
    except Exception as error:  # any webhook failure (refused, timeout, HTTP error) is reported the same way
        failed = {"alert": "webhook failed", "at": datetime.now(UTC).isoformat(), "run_id": alert.get("run_id"),
                  "webhook_host": urlsplit(url).netloc, "error": f"{type(error).__name__}: {error}"}
        _append(failed)
        if log is not None:
            log.warning(f"alert webhook failed: {failed['error']}")


def failure_alert_sensor(config_file: Path) -> dg.SensorDefinition:
    """On any failed run of this code location: what failed, where and why, as one JSON object."""
    @dg.run_failure_sensor(name="c360_failure_alert", default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Appends a JSON line to data/alerts.jsonl (C360_ALERT_LOG) and posts it "
                           "to C360_ALERT_WEBHOOK when a run fails.")
    def failure_alert(context: dg.RunFailureSensorContext) -> None:
        run = context.dagster_run
        steps = []
        for event in context.get_step_failure_events():
            error = event.event_specific_data.error if event.event_specific_data else None
            steps.append({"step": event.step_key, "error": error.message.strip() if error else event.message})
        send_alert({
            "alert": "c360 run failed", "at": datetime.now(UTC).isoformat(), "run_id": run.run_id,
            "job": run.job_name, "failed_steps": steps, "message": context.failure_event.message,
            "config": str(config_file), "warehouse": str(warehouse_path()),
        }, log=context.log)
    return failure_alert


# --- the definitions ----------------------------------------------------------------------

def ingest_asset(system: str, config_file: Path) -> dg.AssetsDefinition:
    """The project's ingest for one system (`python -m ingest.run --systems <system>`), in-process:
    the run worker is already a process of its own, and the run record comes back as metadata."""
    @dg.asset(key=raw_key(system), group_name="ingest", kinds={"dlt", "duckdb"},
              description=f"Loads {system} into raw_{system} (ingest.run --systems {system}); quarantine and "
              "run record in raw_ingest.")
    def load() -> dg.MaterializeResult:
        from ingest.run import ingest

        (run,) = ingest(load_config(config_file), [system])
        tables = run.tables.values()
        metadata = {"status": run.status, "rows_loaded": sum(t.rows_loaded for t in tables),
                    "rows_quarantined": sum(t.rows_quarantined for t in tables), "seconds": round(run.seconds, 2),
                    "tables": ", ".join(sorted(run.tables)), "ingest_run_id": run.run_id}
        if run.status != "ok":  # what `make ingest` exits 1 for
            raise dg.Failure(description=f"{system}: {run.status}: {run.error}", metadata=metadata)
        return dg.MaterializeResult(metadata=metadata)
    return load


def watched_files(config: RunConfig) -> list[Path]:
    """The export files a run reads: the demo's (under demo.data_dir) and every configured file."""
    files = []
    if config.demo.enabled and config.demo.data_dir.is_dir():
        files += [path for path in config.demo.data_dir.rglob("*")
                  if path.is_file() and not path.name.startswith(".")]
    files += [entry.path for entry in (*config.person_files, *config.exports) if entry.path is not None]
    return files


def build_definitions(config_file: str | Path | None = None) -> dg.Definitions:
    """Everything for one run configuration (CONFIG, else config/demo.yml)."""
    config_file = _resolve(config_file) if config_file else config_path()
    config = load_config(config_file)
    target_dir = dbt_target_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    manifest = ensure_manifest(config, target_dir)
    ingest_assets = [ingest_asset(system, config_file) for system in config.systems]

    @dbt_assets(manifest=manifest, dagster_dbt_translator=C360Translator(config), name="dbt_build")
    def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        """`dbt build` with the vars of the systems that landed (as `make build`: a source that
        never loaded cannot fail the build of the others), from scratch when the dbt project or
        the vars changed since this job's last successful build (c360/build_state.py)."""
        from c360 import build_state
        from ingest.run import landed_systems

        vars_ = json.dumps(dbt_vars(config, landed_systems(config, warehouse_path())))
        build_target = target_dir / "build"
        _, why = build_state.check(config=config_file, dbt_vars=vars_, target=build_target, force=True)
        context.log.info(why)
        yield from dbt.cli(["build", "--vars", vars_, *build_state.dbt_args(target=build_target)], context=context,
                           target_path=build_target).stream()
        build_state.record(target=build_target)

    @dg.asset(group_name="publish", deps=list(dbt_build.keys), kinds={"duckdb"},
              description="One read-only DuckDB file per role, PII masked (python -m c360.roles publish).")
    def role_files() -> dg.MaterializeResult:
        from c360.roles import publish

        built = target_dir / "build" / "manifest.json"  # the build's manifest, as make build uses its own
        published = publish(built if built.is_file() else manifest)
        return dg.MaterializeResult(metadata={role: f"{done['path']} ({done['tables']} tables)"
                                              for role, done in published.items()})

    job = dg.define_asset_job(JOB_NAME, selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor,
                              description="make run on a schedule: ingest every system, dbt build, role files.")

    @dg.sensor(job=job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
               description="Runs the job when an export file is new or changed (cursor: the newest mtime; "
               "before the first tick, the warehouse's).")
    def new_exports(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        mtimes = {path: path.stat().st_mtime for path in watched_files(load_config(config_file)) if path.is_file()}
        newest = max(mtimes.values(), default=0.0)
        warehouse = warehouse_path()
        seen = float(context.cursor) if context.cursor else (warehouse.stat().st_mtime if warehouse.exists() else 0.0)
        if newest <= seen:
            return dg.SkipReason(f"no export newer than {datetime.fromtimestamp(seen, UTC).isoformat()}")
        context.update_cursor(str(newest))
        changed = [path for path, mtime in mtimes.items() if mtime > seen]
        return dg.RunRequest(run_key=f"exports-{newest}", tags={"c360/trigger": "new_exports",
                                                                 "c360/changed_files": str(len(changed))})

    daily = dg.ScheduleDefinition(name="c360_daily", job=job, cron_schedule=DAILY_CRON, execution_timezone="UTC",
                                  default_status=dg.DefaultScheduleStatus.RUNNING)
    dbt = DbtCliResource(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT,
                         dbt_executable=DBT_EXECUTABLE)
    return dg.Definitions(assets=[*ingest_assets, dbt_build, role_files], jobs=[job], schedules=[daily],
                          sensors=[new_exports, failure_alert_sensor(config_file)], resources={"dbt": dbt},
                          executor=dg.in_process_executor)


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev -m c360.orchestrate` loads (lazily: importing this module parses nothing)."""
    return build_definitions()


DAGSTER_YAML = """\
# Written by `python -m c360.orchestrate init-home` (make orchestrate).
# DuckDB has one writer: one run at a time (the schedule and the sensor queue behind each other).
concurrency:
  runs:
    max_concurrent_runs: 1
telemetry:
  enabled: false
"""


def init_home(home: Path) -> Path:
    """DAGSTER_HOME with its dagster.yaml (kept if already there)."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return config


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "init-home":
        sys.exit("usage: python -m c360.orchestrate init-home DAGSTER_HOME")
    print(f"dagster instance: {init_home(_resolve(sys.argv[2]))}")
