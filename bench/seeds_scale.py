"""The seeds' scale on one machine: the demo at 1.5M people generated, ingested and built end to end,
with DuckDB's memory limit and spill folder from configuration.

    python -m bench.seeds_scale --people 1500000 --memory-limit 12GB     (not in make bench: about 30 minutes)

Reports, per step, seconds and the peak RSS of that step's process, and the sizes the seeds name
(person records, transactions). Uses the demo cached by bench.identity (data/bench/people_N/); the
build runs each time. Writes data/bench/people_N/seeds_scale.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import duckdb

from bench.identity import DBT, ingested_warehouse
from bench.ingest import run_child
from ingest.settings import PROJECT_ROOT


def sizes(warehouse: Path) -> dict:
    """Person records (the unioned identity input), orders and order lines, and every raw table's rows."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        def count(relation: str) -> int | None:
            try:
                return con.execute(f"select count(*) from {relation}").fetchone()[0]
            except duckdb.CatalogException:
                return None

        raw = {table: count(table) for (table,) in con.execute("""
            select schema_name || '.' || table_name from duckdb_tables()
            where schema_name like 'raw_%' and table_name not like '_dlt_%' order by 1
        """).fetchall()}
        return {"person_records": count("intermediate.int_person_records_unioned"),
                "customers": count("marts.gold_cust_360"), "orders": count("marts.fct_orders"),
                "order_lines": count("marts.fct_order_lines"), "raw_rows": sum(raw.values()), "raw_tables": raw}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_500_000)
    parser.add_argument("--memory-limit", default="12GB", help="DuckDB's memory limit for the build")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    started = time.perf_counter()
    existed = (args.out / f"people_{args.people}" / "warehouse.duckdb").exists()
    out, warehouse, env, target = ingested_warehouse(args.people, args.out)
    figures: dict = {"people": args.people, "memory_limit": args.memory_limit,
                     "generate_and_ingest_seconds": None if existed else round(time.perf_counter() - started, 1),
                     # the largest child so far: the generator and dlt run in the ingest child
                     "generate_and_ingest_peak_rss_mb": None if existed else round(
                         resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}
    spill = out / "spill"
    spill.mkdir(exist_ok=True)
    env = {**env, "C360_DUCKDB_MEMORY_LIMIT": args.memory_limit, "C360_DUCKDB_TEMP_DIR": str(spill)}
    code, seconds, peak_mb = run_child([str(DBT), "build", "--quiet", "--full-refresh", *target], env)
    figures |= {"build_exit_code": code, "build_seconds": round(seconds, 1), "build_peak_rss_mb": round(peak_mb),
                "warehouse_gb": round(warehouse.stat().st_size / 1e9, 1)}
    figures |= sizes(warehouse)
    (out / "seeds_scale.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
