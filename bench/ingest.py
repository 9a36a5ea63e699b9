"""Ingest throughput at scale, next to DuckDB reading the same files itself (the physical limit).

    python -m bench.ingest --people 1000000      (make bench BENCH_ARGS="--people 1000000")

Generates the demo at the given scale (once, cached under data/bench/), then loads each
source system into a fresh warehouse in its own process, so each figure has its own peak
memory. The limit is DuckDB's `read_parquet` / `read_csv` into a table of the same files,
single process, no validation. Prints one line per system and writes data/bench/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from ingest.settings import PROJECT_ROOT

BULK = {"web": ("web", "events_*.parquet", "read_parquet"),
        "payments": ("payments", "payments_*.csv", "read_csv"),
        "email": ("email", "events_*.csv", "read_csv")}


def run_child(args: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """Run a command; return (exit code, seconds, peak RSS in MB of that child alone)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss / 1024


def physical_limit(folder: Path, pattern: str, reader: str) -> tuple[int, float]:
    """Rows and seconds for DuckDB to load the files into a table by itself."""
    target = folder.parent.parent / "limit.duckdb"
    target.unlink(missing_ok=True)
    options = ", all_varchar = true, store_rejects = true" if reader == "read_csv" else ""
    with duckdb.connect(str(target)) as con:
        started = time.perf_counter()
        con.execute(f"create table t as select * from {reader}('{folder}/{pattern}'{options})")
        seconds = time.perf_counter() - started
        rows = con.execute("select count(*) from t").fetchall()[0][0]
    target.unlink(missing_ok=True)
    return rows, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument("--systems", default="crm_a,crm_b,shop,payments,support,web,email,marketing",
                        help="comma-separated systems to measure")
    args = parser.parse_args()
    out = args.out / f"people_{args.people}"
    out.mkdir(parents=True, exist_ok=True)
    config = out / "bench.yml"
    config.write_text(json.dumps({"demo": {"data_dir": str(out / "demo"), "people": args.people, "seed": args.seed}}))
    warehouse = out / "warehouse.duckdb"
    env = {**os.environ, "C360_DUCKDB_PATH": str(warehouse)}
    python = sys.executable

    code, seconds, rss = run_child([python, "-c", f"from ingest.config import load_config; from ingest.run import "
                                    f"ensure_demo; ensure_demo(load_config('{config}').demo)"], env)
    if code:
        return code
    print(f"generate: {args.people:,} people in {seconds:.1f}s, peak {rss:,.0f} MB", flush=True)

    for stale in (warehouse, warehouse.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    results = []
    for system in args.systems.split(","):
        code, seconds, rss = run_child([python, "-m", "ingest.run", "--config", str(config), "--systems", system], env)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            loaded, quarantined, pipeline_seconds = con.execute(
                "select sum(rows_loaded), sum(rows_quarantined), max(seconds) from raw_ingest.source_runs "
                "where run_id = (select max(run_id) from raw_ingest.source_runs)").fetchall()[0]
        # rows/s on the pipeline's own time (read, validate, dlt extract/normalize/load); the process
        # wall time adds about 1.5 s of Python and dlt start-up.
        result = {"system": system, "exit": code, "rows": int(loaded or 0) + int(quarantined or 0),
                  "seconds": round(pipeline_seconds, 2), "process_seconds": round(seconds, 2),
                  "peak_rss_mb": round(rss)}
        result["rows_per_s"] = round(result["rows"] / pipeline_seconds)
        if system in BULK:
            folder, pattern, reader = BULK[system]
            rows, limit_seconds = physical_limit(out / "demo" / "sources" / folder, pattern, reader)
            result.update(limit_rows=rows, limit_seconds=round(limit_seconds, 2),
                          limit_rows_per_s=round(rows / limit_seconds))
            result["ratio_to_limit"] = round(result["limit_rows_per_s"] / max(result["rows_per_s"], 1), 2)
        results.append(result)
        limit = (f"  limit {result['limit_rows_per_s']:>10,} rows/s ({reader} of {pattern}) ratio "
                 f"{result['ratio_to_limit']}x" if system in BULK else "")
        print(f"{system:<10} {result['rows']:>12,} rows {pipeline_seconds:>7.1f}s ({seconds:.1f}s process) "
              f"{result['rows_per_s']:>10,} rows/s peak {rss:>6,.0f} MB{limit}", flush=True)
    total_rows = sum(r["rows"] for r in results)
    total_seconds = sum(r["seconds"] for r in results)
    print(f"all       {total_rows:>12,} rows {total_seconds:>7.1f}s {total_rows / total_seconds:>10,.0f} rows/s "
          "(pipeline seconds, each system in its own process)")
    (out / "ingest.json").write_text(json.dumps({"people": args.people, "systems": results}, indent=2))
    print(f"figures: {out / 'ingest.json'}")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
