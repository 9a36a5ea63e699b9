"""Incremental runs at scale, beside full builds of the same data: seconds and the ratios.

    python -m bench.incremental --people 1000000     (make bench runs it after bench.serving)

1. A run with nothing new. Uses the demo cached by bench.identity (data/bench/people_N/), built by
   bench.gold or bench.serving (it builds it when not), then times what `make run` does when nothing
   is new: ingest every source (file-incremental: nothing is read) and the build check
   (c360/build_state.py). Target (issue 15): at most 5% of the full build.
2. A later batch (--later-batch). On a copy of that demo and its bronze (data/bench/people_N/later_batch/):
   a full build of batch 1, then the demo's batch 2 (a later quarter: new people, changed records,
   new activity) generated and ingested, an incremental `dbt build`, and a full build of the same data
   (`--full-refresh`). The incremental event tables (web and e-mail events, sessions and their
   facts) read only what is new; identity, gold and the tests still run in full. Target (issue 15):
   a 1% batch at most 10% of a full build; batch 2 is larger than 1%, its size is reported.
   --no-full-rebuild compares with batch 1's full build instead: a rebuild in place at 1M people
   needs about the warehouse's size again in free disk.

Writes data/bench/people_N/incremental.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.identity import DBT, ingested_warehouse
from bench.ingest import run_child
from bench.privacy import built
from ingest.settings import PROJECT_ROOT

TARGET_SHARE = 0.05
BATCH_TARGET_SHARE = 0.10
# the models an incremental build reads only what is new for (macros/incremental.sql)
INCREMENTAL_MODELS = ("stg_web__events", "stg_activity__web_events", "int_web_sessions", "fct_web_events",
                      "stg_email__events", "stg_activity__email_events", "fct_email_events")


def ensure_free_disk(warehouse: Path, copies: float, step: str, instead: str) -> None:
    """Stops before `step` when the disk beside `warehouse` has less free space than `copies` times its size:
    a full build in place writes every table anew before the old blocks are freed (at 1M people the file
    grew from 37 GB to 71.5 GB), and a disk that fills stops DuckDB mid-write."""
    needed = warehouse.stat().st_size * copies
    free = shutil.disk_usage(warehouse.parent).free
    if free < needed:
        raise SystemExit(f"{step} needs about {needed / 1e9:,.1f} GB free beside {warehouse}, and "
                         f"{free / 1e9:,.1f} GB is free: free some disk, or {instead}")


def measure(people: int, out_root: Path) -> dict:
    from c360 import build_state

    out, warehouse, env, target_args = ingested_warehouse(people, out_root)
    os.environ["C360_DUCKDB_PATH"] = str(warehouse)
    target = out / "target"
    build_seconds, build_peak = None, None
    for earlier in ("incremental.json", "serving.json", "gold.json"):
        if (out / earlier).exists() and build_seconds is None:
            figures = json.loads((out / earlier).read_text())
            build_seconds = figures.get("build_seconds") or figures.get("full_build_seconds")
    if build_seconds is None or not built(warehouse):
        if built(warehouse):
            ensure_free_disk(warehouse, 1.0, "timing a full build in place on the built warehouse",
                             "run bench.serving first (its serving.json keeps the build's seconds)")
        code, build_seconds, build_peak = run_child([str(DBT), "build", "--quiet", "--full-refresh", *target_args], env)
        if code:
            raise SystemExit(f"dbt build failed for {people:,} people (logs: {out / 'logs'})")
    # What `make run` does when nothing is new: ingest (file-incremental: nothing is read) and the build
    # check. The check is timed computing the whole fingerprint (as if no record existed), which is its
    # cost whether it then skips or builds; role files at 1M people would take more disk than the bench.
    config = out / "bench.yml"
    code, ingest_seconds, _ = run_child([sys.executable, "-m", "ingest.run", "--config", str(config)], env)
    if code:
        raise SystemExit(f"ingest failed for {people:,} people")
    started = time.perf_counter()
    build_state.check(config=config, target=target, force=True)
    check_seconds = time.perf_counter() - started
    nothing_new = ingest_seconds + check_seconds
    figures = {"people": people, "full_build_seconds": round(build_seconds, 1),
               "full_build_peak_rss_mb": None if build_peak is None else round(build_peak),
               "nothing_new": {"ingest_seconds": round(ingest_seconds, 1), "check_seconds": round(check_seconds, 2),
                               "seconds": round(nothing_new, 1),
                               "share_of_full_build": round(nothing_new / build_seconds, 3),
                               "target_share": TARGET_SHARE}}
    (out / "incremental.json").write_text(json.dumps(figures, indent=2))
    return figures


def raw_rows(warehouse: Path) -> int:
    """Rows in every bronze table (dlt's own tables and the run record left out)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables where "
                             "table_schema like 'raw\\_%' escape '\\' and table_schema != 'raw_ingest' "
                             "and table_name not like '\\_dlt\\_%' escape '\\'").fetchall()
        return sum(con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
                   for schema, table in tables)


def model_seconds(target: Path) -> dict[str, float]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[-1]: round(result["execution_time"], 2) for result in results
            if result["unique_id"].startswith("model.")}


def later_batch(people: int, out_root: Path, full_rebuild: bool = True) -> dict:
    """Batch 1 built in full, batch 2 ingested and built incrementally, then in full: seconds and shares.
    Without the full rebuild, the incremental build is compared with batch 1's full build (less data)."""
    out, warehouse, _, _ = ingested_warehouse(people, out_root)
    later = out / "later_batch"
    shutil.rmtree(later, ignore_errors=True)
    later.mkdir()
    # the copy, then a full build of it in place after the incremental one
    ensure_free_disk(warehouse, 2.2 if full_rebuild else 1.2, "the later batch on a copy of the warehouse",
                     "pass --no-full-rebuild (it compares with batch 1's full build)" if full_rebuild else
                     "measure at fewer people")
    shutil.copytree(out / "demo", later / "demo")  # copy2 keeps the files' times: ingest sees them as loaded
    copy = later / "warehouse.duckdb"
    shutil.copy(warehouse, copy)
    env = {**os.environ, "C360_DUCKDB_PATH": str(copy), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    config = later / "later.yml"
    config.write_text(json.dumps({"demo": {"data_dir": str(later / "demo"), "people": people, "seed": 42,
                                           "batch": 2}}))
    target_args = ["--target-path", str(later / "target"), "--log-path", str(later / "logs")]

    def build(*extra: str) -> tuple[float, float, dict[str, float]]:
        code, seconds, peak = run_child([str(DBT), "build", "--quiet", *extra, *target_args], env)
        if code:
            raise SystemExit(f"dbt build {' '.join(extra)} failed for {people:,} people (logs: {later / 'logs'})")
        return seconds, peak, model_seconds(later / "target")

    batch_1_seconds, batch_1_peak, batch_1_models = build("--full-refresh")
    rows_before = raw_rows(copy)
    subprocess.run([sys.executable, "-m", "ingest.demo.generate", "--out", str(later / "demo"), "--people",
                    str(people), "--seed", "42", "--batch", "2"], check=True, cwd=PROJECT_ROOT, env=env,
                   stdout=subprocess.DEVNULL)
    code, ingest_seconds, _ = run_child([sys.executable, "-m", "ingest.run", "--config", str(config)], env)
    if code:
        raise SystemExit(f"ingest of batch 2 failed for {people:,} people")
    rows_after = raw_rows(copy)
    incremental_seconds, incremental_peak, incremental_models = build()
    if full_rebuild:
        full_seconds, full_peak, full_models = build("--full-refresh")
    else:  # a rebuild in place needs about the warehouse's size again in free disk (DECISIONLOG)
        full_seconds, full_peak, full_models = batch_1_seconds, batch_1_peak, batch_1_models
    return {"compared_with": "a full build of both batches" if full_rebuild else "batch 1's full build",
            "batch_1_full_build_seconds": round(batch_1_seconds, 1),
            "batch_2_raw_rows": rows_after - rows_before, "raw_rows_before": rows_before,
            "batch_share_of_raw_rows": round((rows_after - rows_before) / rows_before, 3),
            "ingest_seconds": round(ingest_seconds, 1),
            "incremental_build_seconds": round(incremental_seconds, 1),
            "incremental_build_peak_rss_mb": round(incremental_peak),
            "full_build_seconds": round(full_seconds, 1), "full_build_peak_rss_mb": round(full_peak),
            "share_of_full_build": round(incremental_seconds / full_seconds, 3),
            "target_share_for_a_1pct_batch": BATCH_TARGET_SHARE,
            "incremental_models_seconds": {"incremental": {name: incremental_models.get(name)
                                                           for name in INCREMENTAL_MODELS},
                                           "full": {name: full_models.get(name) for name in INCREMENTAL_MODELS}},
            "models_seconds_summed": {"incremental": round(sum(incremental_models.values()), 1),
                                      "full": round(sum(full_models.values()), 1)}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument("--later-batch", action="store_true",
                        help="also batch 2 built incrementally and in full (two full builds and one incremental)")
    parser.add_argument("--only-later-batch", action="store_true",
                        help="the later batch alone: no full build of the cached demo for the nothing-new run")
    parser.add_argument("--no-full-rebuild", action="store_true",
                        help="compare the incremental build with batch 1's full build, not a rebuild of both "
                             "batches (which needs the warehouse's size again in free disk)")
    args = parser.parse_args()
    path = args.out / f"people_{args.people}" / "incremental.json"
    figures = {"people": args.people} if args.only_later_batch else measure(args.people, args.out)
    if args.later_batch or args.only_later_batch:
        figures["later_batch"] = later_batch(args.people, args.out, full_rebuild=not args.no_full_rebuild)
        path.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
