"""A run with nothing new at scale, beside the full build of the same data: seconds and the ratio.

    python -m bench.incremental --people 1000000     (make bench runs it after bench.serving)

Uses the demo cached by bench.identity (data/bench/people_N/), built by bench.gold or bench.serving
(it builds it when not), then times what `make run` does when nothing is new: ingest every source
(file-incremental: nothing is read) and the build check (c360/build_state.py). Target (issue 15):
at most 5% of the full build. A 1% batch still runs the full build (incremental models are not built
yet), so its ratio is the full build's. Writes data/bench/people_N/incremental.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench.identity import DBT, ingested_warehouse
from bench.ingest import run_child
from bench.privacy import built
from ingest.settings import PROJECT_ROOT

TARGET_SHARE = 0.05


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
        code, build_seconds, build_peak = run_child([str(DBT), "build", "--quiet", *target_args], env)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    print(json.dumps(measure(args.people, args.out), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
