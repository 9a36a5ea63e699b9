"""The whole build on Spark beside the same build on DuckDB, on the same demo: seconds, peak memory.

    python -m bench.spark --people 400 --people 100000     (make bench runs these two scales)

For each scale the demo cached by bench.identity (data/bench/people_N/) is landed a second time as
Parquet (people_N/lake) and `dbt build` runs on each engine in its own process (every model,
snapshot and test; Spark in local mode on this machine's cores, a new metastore each time). Peak
memory is the whole process tree's (Spark's JVM is a child of the Python process), sampled every
0.2 s. Seconds per stage come from dbt's run results. Writes people_N/spark.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.gold import layer_of
from bench.identity import DBT, ingested_warehouse
from ingest.settings import PROJECT_ROOT

PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024


def tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants now, in MB (from /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * PAGE_KB / 1024
        except (OSError, IndexError, ValueError):  # the process ended while being read
            continue
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def run_tree(args: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """Run a command; return (exit code, seconds, peak resident MB of its process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT)
    peak = 0.0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    sampler.join()
    return code, time.perf_counter() - started, round(peak)


def seconds_by_stage(target: Path) -> dict[str, float]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    manifest = json.loads((target / "manifest.json").read_text())
    stages: dict[str, float] = defaultdict(float)
    for result in results:
        node = manifest["nodes"].get(result["unique_id"]) or manifest.get("unit_tests", {}).get(result["unique_id"], {})
        stages[layer_of(node)] += result["execution_time"]
    return {stage: round(seconds, 1) for stage, seconds in sorted(stages.items())}


def measure(people: int, out_root: Path) -> dict:
    out, _warehouse, env, target = ingested_warehouse(people, out_root)
    code, duckdb_seconds, duckdb_peak = run_tree([DBT, "build", "--quiet", "--full-refresh", *target], env)
    if code:
        raise SystemExit(f"dbt build on DuckDB failed for {people:,} people (see {out / 'logs'})")
    duckdb_stages = seconds_by_stage(out / "target")
    lake, spark_home = out / "lake", out / "spark"
    spark_env = {**env, "C360_BRONZE": "parquet", "C360_LAKE_DIR": str(lake), "C360_SPARK_DIR": str(spark_home)}
    if not lake.exists():
        code, seconds, _ = run_tree([sys.executable, "-m", "ingest.run", "--config", str(out / "bench.yml")],
                                    spark_env)
        print(f"  ingest {people:,} people as Parquet: {seconds:.1f}s", flush=True)
        if code:
            raise SystemExit(f"Parquet ingest failed for {people:,} people")
    shutil.rmtree(spark_home, ignore_errors=True)  # a new metastore: every table is built, none reused
    spark_target = ["--target-path", str(spark_home / "target"), "--log-path", str(spark_home / "logs")]
    code, spark_seconds, spark_peak = run_tree([sys.executable, "-m", "c360.spark", "build", "--quiet",
                                                *spark_target], spark_env)
    if code:
        raise SystemExit(f"dbt build on Spark failed for {people:,} people (see {spark_home / 'logs'})")
    result = {"people": people, "duckdb_seconds": round(duckdb_seconds, 1), "duckdb_peak_mb": duckdb_peak,
              "duckdb_seconds_by_stage": duckdb_stages, "spark_seconds": round(spark_seconds, 1),
              "spark_peak_mb": spark_peak, "spark_seconds_by_stage": seconds_by_stage(spark_home / "target"),
              "spark_master": os.environ.get("C360_SPARK_MASTER", "local[2]")}
    (out / "spark.json").write_text(json.dumps(result, indent=2))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, action="append")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    for people in args.people or [400, 100_000]:
        r = measure(people, args.out)
        print(f"full dbt build, {people:,} people: Spark ({r['spark_master']}) {r['spark_seconds']:.1f}s, "
              f"peak {r['spark_peak_mb']:,} MB; DuckDB {r['duckdb_seconds']:.1f}s, peak {r['duckdb_peak_mb']:,} MB; "
              f"Spark/DuckDB {r['spark_seconds'] / r['duckdb_seconds']:.1f}x", flush=True)
        print(f"  seconds by stage (summed over nodes): Spark {r['spark_seconds_by_stage']}; "
              f"DuckDB {r['duckdb_seconds_by_stage']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
