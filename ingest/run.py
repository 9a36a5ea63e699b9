"""Ingest every configured source system into the warehouse's bronze layer (raw_<system>).

    python -m ingest.run [--config config/demo.yml] [--systems web,shop]

Systems load one after another (DuckDB has one writer). A system that fails is reported
and the others still load; the exit code is 1 if any system failed. Quarantined records
of every system land in raw_ingest.quarantine and the run record in raw_ingest.source_runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

import dlt
import duckdb

from ingest.config import ConfigError, DemoConfig, RunConfig, load_config
from ingest.runlog import SystemRun, say
from ingest.settings import DEFAULT_CONFIG, bronze_format, lake_dir, pipelines_dir, warehouse_path
from ingest.sources.exports import export_tables
from ingest.sources.files import FileTable, file_table_resource
from ingest.sources.person_files import person_file_table
from ingest.sources.sql_tables import sql_table_resource

LOG_DATASET = "raw_ingest"
QUARANTINE_COLUMNS = {
    "quarantine_id": {"data_type": "text", "nullable": False},
    "source_system": {"data_type": "text"},
    "source_table": {"data_type": "text"},
    "source_ref": {"data_type": "text"},
    "source_row": {"data_type": "bigint", "nullable": True},
    "raw_record": {"data_type": "text", "nullable": True},
    "reason": {"data_type": "text"},
    "run_id": {"data_type": "text"},
    "load_id": {"data_type": "text", "nullable": True},
}


# Declared, because dlt creates no column for values that are all null (e.g. no errors yet).
SOURCE_RUN_COLUMNS = {
    "run_id": {"data_type": "text"}, "source_system": {"data_type": "text"}, "table_name": {"data_type": "text"},
    "status": {"data_type": "text"}, "rows_read": {"data_type": "bigint"}, "rows_loaded": {"data_type": "bigint"},
    "rows_quarantined": {"data_type": "bigint"}, "rows_suppressed": {"data_type": "bigint", "nullable": True},
    "files_read": {"data_type": "bigint"},
    "files_failed": {"data_type": "bigint"}, "seconds": {"data_type": "double"},
    "peak_rss_mb": {"data_type": "double"}, "load_id": {"data_type": "text", "nullable": True},
    "error": {"data_type": "text", "nullable": True}, "warnings": {"data_type": "text", "nullable": True},
    "finished_at": {"data_type": "timestamp"},
    "config_path": {"data_type": "text"},
}


def make_pipeline(name: str, dataset: str, warehouse: Path) -> dlt.Pipeline:
    """A pipeline into the DuckDB warehouse, or with C360_BRONZE=parquet into the lakehouse folder
    (one folder of Parquet files per table; see compact_merged_tables for merges)."""
    # dlt keeps a copy of every loaded file in its local folder unless told not to: personal data
    # that would outlive an erasure (make erase) and double the disk used.
    os.environ.setdefault("LOAD__DELETE_COMPLETED_JOBS", "true")
    if bronze_format() == "parquet":
        destination = dlt.destinations.filesystem(lake_dir().as_uri())
        local_state = pipelines_dir(lake_dir())
    else:
        destination, local_state = dlt.destinations.duckdb(str(warehouse)), pipelines_dir(warehouse)
    return dlt.pipeline(pipeline_name=f"c360_{name}", destination=destination, dataset_name=dataset,
                        pipelines_dir=str(local_state))


def load(pipeline: dlt.Pipeline, resources: list):
    return pipeline.run(resources, loader_file_format="parquet" if bronze_format() == "parquet" else None)


def finish_merge(pipeline: dlt.Pipeline, warehouse: Path) -> None:
    """What a merge leaves behind, tidied: on DuckDB the `<dataset>_staging` schema dlt merges
    through (the warehouse's schemas are the public contract); on the lake, see compact_merged_tables."""
    if bronze_format() == "parquet":
        compact_merged_tables(pipeline)
        return
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"drop schema if exists {pipeline.dataset_name}_staging cascade")


def compact_merged_tables(pipeline: dlt.Pipeline) -> None:
    """dlt's filesystem destination merges only into Delta or Iceberg tables (their jars download at
    run time), so on plain Parquet a merge appends. Each merged table's folder is rewritten as one
    file with the latest row per primary key (newest load, then file, then row): the table a merge
    leaves on DuckDB, so bronze means the same on both engines."""
    for table in pipeline.default_schema.data_tables():
        keys = [name for name, column in table["columns"].items() if column.get("primary_key")]
        folder = lake_dir() / pipeline.dataset_name / table["name"]
        files = sorted(str(path) for path in folder.glob("*.parquet"))
        if table.get("write_disposition") != "merge" or not keys or not files:
            continue
        compacted = folder / f"_compacting.{pipeline.default_schema.name}.parquet"
        with duckdb.connect() as con:
            con.execute(f"""copy (
                select * exclude (filename, file_row_number)
                from read_parquet({files!r}, union_by_name = true, filename = true, file_row_number = true)
                qualify row_number() over (partition by {', '.join(f'"{key}"' for key in keys)}
                                           order by _dlt_load_id desc, filename desc, file_row_number desc) = 1
            ) to '{compacted}' (format parquet)""")
        newest = Path(files[-1]).name.removesuffix(".parquet")
        for file in files:
            Path(file).unlink()
        compacted.rename(folder / f"{newest}.compacted.parquet")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the demo ---------------------------------------------------------------------------

def ensure_demo(demo: DemoConfig) -> None:
    """Generate the demo batches that are not on disk yet (batch 2 adds to batch 1's exports).

    A different seed or scale is a different company: rather than mixing two companies in
    one warehouse, stop and say how to start over.
    """
    marker = demo.data_dir / ".generated.json"
    done = json.loads(marker.read_text()) if marker.exists() else {}
    company = {"people": demo.people, "seed": demo.seed}
    if done and {k: done.get(k) for k in company} != company:
        raise ConfigError(
            f"{demo.data_dir} holds the demo for {done.get('people'):,} people (seed {done.get('seed')}), "
            f"the configuration asks for {demo.people:,} (seed {demo.seed}): run `make clean` (or point "
            "demo.data_dir elsewhere, with its own C360_DUCKDB_PATH) to start over")
    batches = set(done.get("batches", []))
    missing = [batch for batch in range(1, demo.batch + 1) if batch not in batches]
    if not missing:
        say(f"[demo] exports for {demo.people:,} people (seed {demo.seed}, batches 1..{demo.batch}) "
            f"already in {demo.data_dir}")
        return
    from ingest.demo.generate import generate

    started = time.perf_counter()
    for batch in missing:
        generate(demo.data_dir, people=demo.people, seed=demo.seed, batch=batch)
        batches.add(batch)
        marker.write_text(json.dumps({**company, "batches": sorted(batches)}))
    say(f"[demo] generated batches {missing} for {demo.people:,} people in "
        f"{time.perf_counter() - started:.1f}s -> {demo.data_dir}")


@dataclass(frozen=True)
class Loader:
    """How one system loads: its dlt resources for a run, and what must run meanwhile (the demo's
    CRM API); `serving` raising FileNotFoundError fails the system, not the run."""

    resources: Callable[[SystemRun], list]
    serving: Callable[[], AbstractContextManager[None]] = nullcontext


def configured_file_loader(system: str, path: Path | None, tables: Callable[[], list[FileTable]], section: str,
                           config_path: Path, table: tuple[str, str] | None = None) -> Loader:
    """A person file or an export named in the configuration (a file or a SQL table): its tables,
    or why it cannot load."""
    def resources(run: SystemRun) -> list:
        if table is not None:
            return [sql_table_resource(*table, spec, run) for spec in tables()]
        if not path.is_file():
            run.fail(f"{path} does not exist ({section} entry '{system}' in {config_path}; paths are relative "
                     "to that file)")
            return []
        return [file_table_resource(path.parent, spec, run) for spec in tables()]
    return Loader(resources)


def demo_source(system: str):  # FileSource, ShopSource or CrmApiSource: one entry shape
    """The source module's SOURCE: table_names, resources(folder, run), serving(folder)."""
    return import_module(f"ingest.sources.{system}").SOURCE


def demo_loaders(demo: DemoConfig) -> dict[str, Loader]:
    loaders: dict[str, Loader] = {}
    for system in demo.systems:
        source, folder = demo_source(system), demo.sources_dir / system
        loaders[system] = Loader(lambda run, source=source, folder=folder: source.resources(folder, run),
                                 lambda source=source, folder=folder: source.serving(folder))
    return loaders


def bronze_tables(config: RunConfig) -> dict[str, tuple[str, ...]]:
    """The raw tables each configured system lands (dbt's staging reads exactly these)."""
    demo_systems = config.demo.systems if config.demo.enabled else ()
    tables = {system: demo_source(system).table_names for system in demo_systems}
    tables.update({person_file.system: ("person_records",) for person_file in config.person_files})
    tables.update({export.system: tuple(spec.name for spec in export_tables(export)) for export in config.exports})
    return tables


def landed_systems(config: RunConfig, warehouse: Path) -> list[str]:
    """Systems whose every bronze table exists: dbt builds these and leaves the others out, so a
    source that never loaded cannot fail the build of the ones that did."""
    if bronze_format() == "parquet":
        present = {f"{folder.parent.name}.{folder.name}" for folder in lake_dir().glob("raw_*/*")
                   if any(folder.glob("*.parquet"))}
    elif not warehouse.exists():
        return list(bronze_tables(config))
    else:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            present = {name for (name,) in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
    return [system for system, tables in bronze_tables(config).items()
            if all(f"raw_{system}.{table}" in present for table in tables)]


# --- running ----------------------------------------------------------------------------

def run_system(system: str, make_resources: Callable[[SystemRun], list], run_id: str, warehouse: Path) -> SystemRun:
    """Load one system; any exception is recorded on the run, never raised past it."""
    run = SystemRun(run_id=run_id, system=system)
    say(f"[{system}] loading into raw_{system} ...")
    try:
        resources = make_resources(run)
        if resources:
            pipeline = make_pipeline(system, f"raw_{system}", warehouse)
            info = load(pipeline, resources)
            run.load_id = info.loads_ids[-1] if info.loads_ids else None
            finish_merge(pipeline, warehouse)
    except Exception as error:  # one broken system must not stop the others
        root = error
        while root.__cause__ is not None or root.__context__ is not None:
            root = root.__cause__ or root.__context__
        run.fail(f"{type(error).__name__}: {str(root).splitlines()[0] if str(root) else error}")
    for row in run.quarantine:
        row["load_id"] = run.load_id
    run.peak_rss_mb = peak_rss_mb()
    run.finish()
    loaded = sum(t.rows_loaded for t in run.tables.values())
    quarantined = sum(t.rows_quarantined for t in run.tables.values())
    suppressed = sum(t.rows_suppressed for t in run.tables.values())
    rate = loaded / run.seconds if run.seconds else 0.0
    erased = f", {suppressed:,} of erased people left out" if suppressed else ""
    say(f"[{system}] {run.status}: {loaded:,} rows loaded, {quarantined:,} quarantined{erased} in {run.seconds:.1f}s "
        f"({rate:,.0f} rows/s)")
    return run


def write_run_record(runs: list[SystemRun], warehouse: Path, config: RunConfig, pipeline: dlt.Pipeline) -> None:
    """Quarantine and the run record of `runs`, in one load into raw_ingest through `pipeline` (made
    once per ingest run and written through after each system: setting one up costs more than the load)."""
    started_at = datetime.now(UTC)
    run_rows = []
    for run in runs:
        for row in run.rows():
            run_rows.append({**row, "finished_at": started_at, "config_path": str(config.source_file)})
    quarantine = [row for run in runs for row in run.quarantine]
    load(pipeline, [
        dlt.resource(run_rows, name="source_runs", write_disposition="append", columns=SOURCE_RUN_COLUMNS),
        dlt.resource(quarantine, name="quarantine", write_disposition="merge", primary_key="quarantine_id",
                     columns=QUARANTINE_COLUMNS),
    ])
    finish_merge(pipeline, warehouse)
    if not quarantine and bronze_format() == "duckdb":  # dlt makes no table for no rows; the table is contract
        columns = ", ".join(f"{name} {'bigint' if spec['data_type'] == 'bigint' else 'varchar'}"
                            for name, spec in QUARANTINE_COLUMNS.items())
        with duckdb.connect(str(warehouse)) as con:
            con.execute(f"create table if not exists {LOG_DATASET}.quarantine ({columns}, "
                        "_dlt_load_id varchar, _dlt_id varchar)")


def print_summary(runs: list[SystemRun], warehouse: Path, seconds: float) -> None:
    width = max([16, *(len(run.system) + 2 for run in runs)])
    say("")
    say(f"{'system':<{width}}{'status':<9}{'read':>12}{'loaded':>12}{'quarantined':>13}{'seconds':>9}")
    for run in runs:
        tables = run.tables.values()
        say(f"{run.system:<{width}}{run.status:<9}{sum(t.rows_read for t in tables):>12,}"
            f"{sum(t.rows_loaded for t in tables):>12,}{sum(t.rows_quarantined for t in tables):>13,}"
            f"{run.seconds:>9.1f}")
    say(f"ingest finished in {seconds:.1f}s -> {warehouse} "
        f"(quarantine: raw_ingest.quarantine, run record: raw_ingest.source_runs)")
    for run in runs:
        if run.status != "ok":
            say(f"  {run.system}: {run.status}: {run.error}")


def ingest(config: RunConfig, systems: list[str] | None = None) -> list[SystemRun]:
    warehouse = warehouse_path()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    bronze = lake_dir() if bronze_format() == "parquet" else warehouse
    if not bronze.exists():
        # Local dlt state from an earlier warehouse would make incremental sources skip files.
        shutil.rmtree(pipelines_dir(bronze), ignore_errors=True)
    loaders: dict[str, Loader] = {}
    if config.demo.enabled:
        ensure_demo(config.demo)
        loaders.update(demo_loaders(config.demo))
    for person_file in config.person_files:
        loaders[person_file.system] = configured_file_loader(
            person_file.system, person_file.path, lambda f=person_file: [person_file_table(f)], "person_files",
            config.source_file, person_file.table)
    for export in config.exports:
        loaders[export.system] = configured_file_loader(
            export.system, export.path, lambda e=export: export_tables(e), "exports", config.source_file,
            export.table)
    if systems:
        unknown = sorted(set(systems) - set(loaders))
        if unknown:
            raise ConfigError(f"--systems: {unknown} not in the configuration; configured: {sorted(loaders)}")
        loaders = {name: loader for name, loader in loaders.items() if name in systems}

    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    runs = []
    audit = make_pipeline("ingest", LOG_DATASET, warehouse)
    for system, loader in loaders.items():
        try:
            with loader.serving():
                runs.append(run_system(system, loader.resources, run_id, warehouse))
        except FileNotFoundError as error:  # what the system needs to be served is not there
            failed = SystemRun(run_id=run_id, system=system)
            failed.fail(str(error))
            failed.finish()
            runs.append(failed)
        # As each system finishes: a crash later in the run loses none of its audit.
        write_run_record(runs[-1:], warehouse, config, audit)
    print_summary(runs, bronze, time.perf_counter() - started)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the configured source systems into raw_<system>.")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="run configuration (YAML)")
    parser.add_argument("--systems", default="", help="comma-separated subset of systems to load")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        runs = ingest(config, [s for s in args.systems.split(",") if s])
    except ConfigError as error:
        say(f"configuration error: {error}")
        return 2
    return 0 if all(run.status == "ok" for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
