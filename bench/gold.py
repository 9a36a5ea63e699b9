"""The whole build at scale and the dashboard on it: seconds, peak memory, page render times.

    python -m bench.gold --people 1000000     (make bench runs it at 1M people)

Uses the demo cached by bench.identity (data/bench/people_N/), runs a full `dbt build` (every
model, snapshot and test) in its own process, reports seconds per layer from dbt's run results,
then renders each dashboard page through Streamlit's test API with an empty cache (the first
visit after a build) and times it, plus a customer search. Writes data/bench/people_N/gold.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from bench.identity import DBT, ingested_warehouse
from bench.ingest import run_child
from ingest.settings import PROJECT_ROOT

LAYERS = (("models/staging/", "silver"), ("models/intermediate/identity/", "identity"),
          ("models/marts/identity/", "identity"), ("snapshots/", "identity"), ("seeds/", "seeds"),
          ("models/", "gold"))


def layer_of(node: dict) -> str:
    """silver / identity / gold / seeds for a model, snapshot or seed; tests count apart."""
    if node.get("resource_type") in ("test", "unit_test", None):
        return "tests"
    path = node.get("original_file_path", "")
    return next((layer for prefix, layer in LAYERS if path.startswith(prefix)), "other")


def time_pages(warehouse: Path) -> dict[str, float]:
    """Seconds to render each page once with an empty cache, and a customer search."""
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.pages import PAGES

    os.environ["C360_DUCKDB_PATH"] = str(warehouse)
    os.environ["C360_ROLE"] = "warehouse"  # the pages as before role files: the same figures over time
    with duckdb.connect(str(warehouse), read_only=True) as con:
        name = con.execute("select first_name || ' ' || last_name from marts.gold_cust_360 where last_name "
                           "is not null order by predicted_clv desc nulls last limit 1").fetchall()[0][0]
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=600)
    app.run()
    timings = {}
    for title in PAGES:
        st.cache_data.clear()
        started = time.perf_counter()
        app.sidebar.radio(key="page").set_value(title).run()
        timings[title] = round(time.perf_counter() - started, 2)
        if app.exception:
            raise SystemExit(f"page {title} failed: {app.exception[0].value}")
    st.cache_data.clear()
    started = time.perf_counter()
    app.sidebar.radio(key="page").set_value("Customer 360").run()
    app.text_input(key="customer_search").set_value(name).run()
    timings["Customer 360: search by name and show"] = round(time.perf_counter() - started, 2)
    return timings


def measure(people: int, out_root: Path) -> dict:
    out, warehouse, env, target = ingested_warehouse(people, out_root)
    code, seconds, rss = run_child([DBT, "build", "--quiet", "--full-refresh", *target], env)
    if code:
        raise SystemExit(f"dbt build failed for {people:,} people (see {out / 'logs'})")
    results = json.loads((out / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((out / "target" / "manifest.json").read_text())
    per_layer: dict[str, float] = defaultdict(float)
    slowest = []
    for result in results:
        node = manifest["nodes"].get(result["unique_id"]) or manifest.get("unit_tests", {}).get(result["unique_id"], {})
        per_layer[layer_of(node)] += result["execution_time"]
        slowest.append((round(result["execution_time"], 1), result["unique_id"].split(".")[-1]))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        customers = con.execute("select count(*) from marts.gold_cust_360").fetchall()[0][0]
    report = {"people": people, "customers": customers, "build_seconds": round(seconds, 1),
              "build_peak_rss_mb": round(rss), "seconds_by_layer": {k: round(v, 1) for k, v in per_layer.items()},
              "slowest_nodes": sorted(slowest, reverse=True)[:12], "page_seconds": time_pages(warehouse)}
    (out / "gold.json").write_text(json.dumps(report, indent=2))
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    r = measure(args.people, args.out)
    print(f"full dbt build {r['people']:,} people -> {r['customers']:,} customers: {r['build_seconds']:.1f}s, "
          f"peak {r['build_peak_rss_mb']:,} MB; by layer (s): {r['seconds_by_layer']}")
    print("  slowest: " + ", ".join(f"{name} {secs}s" for secs, name in r["slowest_nodes"]))
    print("  dashboard pages, first render after a build (s): "
          + ", ".join(f"{page} {secs}" for page, secs in r["page_seconds"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
