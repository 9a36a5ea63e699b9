"""Identity resolution at scale: seconds, peak memory and accuracy.

    python -m bench.identity --people 100000 [--people 300000 ...]
    (make bench runs 100k and 300k people: 300k people hold about 1M person records)

For each scale: generate and ingest the demo once (cached under data/bench/), build the
silver person models with dbt, then time the identity models (`dbt build` from the union of
person records to the marts, their tests included, dbt's start-up included) in their own
process, and evaluate against the ground truth.
Prints one line per scale and writes data/bench/people_N/identity.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import duckdb

from bench.ingest import run_child
from c360.evaluate import demo_truth_files, evaluate
from ingest.settings import PROJECT_ROOT

# Identity reads the shop's orders (who placed what) and the e-mail and web events (click-through sessions) too.
PERSON_STAGING = ("stg_crm_a__contacts stg_crm_b__contacts stg_shop__customers stg_shop__orders stg_payments__payments "
                  "stg_email__events stg_web__events "
                  "stg_support__tickets stg_email__subscribers stg_person_files__person_records")
# The identity models only (their gold descendants are timed by bench.gold).
IDENTITY = "path:models/intermediate/identity path:models/marts/identity customer_identity_history"


DBT = str(Path(sys.executable).parent / "dbt")


def ingested_warehouse(people: int, out_root: Path) -> tuple[Path, Path, dict[str, str], list[str]]:
    """The demo at this scale generated and ingested once (cached under out_root/people_N):
    (its folder, the warehouse, the environment for dbt, dbt's target/log path arguments)."""
    out = out_root / f"people_{people}"
    out.mkdir(parents=True, exist_ok=True)
    config = out / "bench.yml"
    config.write_text(json.dumps({"demo": {"data_dir": str(out / "demo"), "people": people, "seed": 42}}))
    warehouse = out / "warehouse.duckdb"
    env = {**os.environ, "C360_DUCKDB_PATH": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    if not warehouse.exists():
        code, seconds, _ = run_child([sys.executable, "-m", "ingest.run", "--config", str(config)], env)
        print(f"  ingest {people:,} people: {seconds:.1f}s", flush=True)
        if code:
            raise SystemExit(f"ingest failed for {people:,} people")
    return out, warehouse, env, ["--target-path", str(out / "target"), "--log-path", str(out / "logs")]


def measure(people: int, out_root: Path) -> dict:
    out, warehouse, env, target = ingested_warehouse(people, out_root)
    dbt = DBT
    code, silver_seconds, silver_rss = run_child(
        [dbt, "build", "--quiet", "--indirect-selection", "cautious", "--select",
         f"country_codes name_nicknames {PERSON_STAGING}", *target], env)
    code, seconds, rss = run_child(
        [dbt, "build", "--quiet", "--indirect-selection", "cautious", "--select",
         f"{IDENTITY} survivorship_rules source_priority", *target], env)
    if code:
        raise SystemExit(f"dbt build of the identity models failed for {people:,} people")
    metrics = evaluate(warehouse, demo_truth_files(out / "demo" / "ground_truth"), out / "target")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        pairs = con.execute("select count(*) from intermediate.int_candidate_pairs_blocked").fetchall()[0][0]
        profiles = con.execute("select count(*) from intermediate.int_person_profiles").fetchall()[0][0]
    result = {"people": people, "person_records": metrics["records"], "profiles": profiles, "candidate_pairs": pairs,
              "silver_person_seconds": round(silver_seconds, 1), "silver_peak_rss_mb": round(silver_rss),
              "identity_seconds": round(seconds, 1), "identity_peak_rss_mb": round(rss), **metrics}
    (out / "identity.json").write_text(json.dumps(result, indent=2))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, action="append", help="scale(s); default 100000 and 300000")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    for people in args.people or [100_000, 300_000]:
        r = measure(people, args.out)
        print(f"identity {people:>9,} people {r['person_records']:>10,} records {r['profiles']:>10,} profiles "
              f"{r['candidate_pairs']:>11,} pairs | silver {r['silver_person_seconds']:>6.1f}s | identity "
              f"{r['identity_seconds']:>6.1f}s peak {r['identity_peak_rss_mb']:>6,} MB | F1 {r['pairwise_f1']:.4f} "
              f"B3 {r['bcubed_f1']:.4f} blocking recall {r['blocking_recall']:.4f} largest {r['largest_cluster']} "
              f"records / {r['largest_cluster_profiles']} profiles (truth {r['largest_true_cluster']} / "
              f"{r['largest_true_cluster_profiles']})",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
