"""Identity resolution next to the open-source linker, on the same data in one run: F1, seconds, memory.

    python -m bench.identity [--dataset febrl1 --dataset demo:100000 ...] [--no-peer] [--peer-tuned]
    (make bench runs FEBRL1, FEBRL2 (with and without the social security number declared as an
    identifier), the demo at 100k people, and the demo at 300k people: 1M person records)

For each data set, as a user would run it:
- FEBRL, and the independent synthetic customer export (bench.synthetic_people: typos,
  nicknames, swapped names, date errors, moved house, e-mail and phone often missing, offices and
  households sharing contacts): the bring-your-own path (a run configuration mapping the file's
  columns, ingest, dbt build), scored with `make eval`'s evaluation against a labelled truth file;
- the demo at N people: generated and ingested once (cached under data/bench/people_N/), the
  silver person models built, then the identity models, scored against the generator's truth.
Our time is the identity models (match keys to clusters, the identity map, the golden record,
the evidence mart, their tests) in their own dbt process, dbt's start-up included; its peak
memory is that process's. "identity map in" is the part of it from the first identity model's
start to the identity map's end (the records resolved).

The peer, Splink 5 with its documented recipe (bench/peer_splink.py; `--peer-tuned` adds the tuned
one), runs in its own process on the same person records (int_person_records_unioned exported to
Parquet: the same standardised names, dates, e-mails, phones and addresses our engine reads), and
its clusters are scored with the same truth and the same pairwise F1. Its seconds are its own
(registration, training, prediction, clustering); its peak memory is its process's.

Prints one line per engine and data set and the ratios, and writes data/bench/identity.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb

from bench.febrl import write_config as write_febrl_config
from bench.febrl import write_truth
from bench.ingest import run_child
from bench.synthetic_people import generate as generate_synthetic
from c360.evaluate import demo_truth_files, evaluate
from c360.identity.evaluation import pairwise_scores
from ingest.config import dbt_vars, load_config
from ingest.settings import PROJECT_ROOT

DBT = str(Path(sys.executable).parent / "dbt")
# Identity reads the shop's orders (who placed what) and the e-mail and web events (click-through sessions) too.
PERSON_STAGING = ("country_codes name_nicknames stg_crm_a__contacts stg_crm_b__contacts stg_shop__customers "
                  "stg_shop__orders stg_payments__payments stg_email__events stg_web__events stg_support__tickets "
                  "stg_email__subscribers stg_person_files__person_records")
# The identity models and their marts (gold descendants are timed by bench.gold).
IDENTITY = ("path:models/intermediate/identity path:models/marts/identity customer_identity_history "
            "survivorship_rules source_priority")
DEFAULT_DATASETS = ("febrl1", "febrl2", "febrl1+id", "febrl2+id", "synthetic:100000", "demo:100000",
                    "demo:300000", "synthetic:1000000")

# The canonical person records both engines read, from the union our engine resolves.
RECORDS_SQL = """
copy (
    select
        person_record_id as record_id,
        source_system,
        first_name,
        last_name,
        date_of_birth,
        email_match_key as email,
        phone_e164 as phone,
        address_line1,
        city,
        postcode,
        state,
        identifiers[1] as identifier
    from intermediate.int_person_records_unioned
) to '{path}' (format parquet)
"""


def dbt_build(select: str | None, env: dict[str, str], out: Path, vars_: dict | None = None) -> tuple[float, float]:
    # from scratch: a cached warehouse built before holds incremental tables (and timing a full build)
    args = [DBT, "build", "--quiet", "--full-refresh", "--indirect-selection", "cautious",
            "--target-path", str(out / "target"), "--log-path", str(out / "logs")]
    if select:
        args += ["--select", select]
    if vars_ is not None:
        args += ["--vars", json.dumps(vars_)]
    code, seconds, rss = run_child(args, env)
    if code:
        raise SystemExit(f"dbt build failed in {out} (see {out / 'logs'})")
    return seconds, rss


def resolved_seconds(target: Path) -> float:
    """Seconds from the first identity model's start to the identity map's end in the last dbt run
    (run_results.json): what resolving the records takes, without dbt's start-up, the golden
    record, the evidence mart and the tests that follow."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    times = {}
    for result in results:
        spans = [span for span in result.get("timing", []) if span.get("started_at") and span.get("completed_at")]
        if spans:
            times[result["unique_id"].split(".")[-1]] = (min(span["started_at"] for span in spans),
                                                         max(span["completed_at"] for span in spans))
    start = min(started for started, _ in times.values())
    end = times["customer_identity_map"][1]
    elapsed = datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z"))
    return round(elapsed.total_seconds(), 1)


def environment(warehouse: Path) -> dict[str, str]:
    return {**os.environ, "C360_DUCKDB_PATH": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}


def febrl(name: str, out: Path) -> tuple[Path, Path]:
    """FEBRL1/2 (name+id: with the social security number declared as an identifier): (config, truth)."""
    dataset, identifier = name.removesuffix("+id"), name.endswith("+id")
    return write_febrl_config(dataset, out, identifier=identifier), write_truth(dataset, out)


def synthetic(records: int, out: Path) -> tuple[Path, Path]:
    """The independent synthetic customer export (bench.synthetic_people), generated once: (config, truth)."""
    folder = out / "files"
    if not (folder / "truth.csv").exists():
        generate_synthetic(folder, records=records, seed=1)
    config = out / "run.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [{
        "system": "crm", "path": str(folder / "people_1.csv"), "id_column": "customer_ref",
        "columns": {"first_name": "given_name", "last_name": "family_name", "date_of_birth": "birth_date",
                    "email": "email", "phone": "phone", "address_line1": "street", "city": "town",
                    "postcode": "postcode", "country": "country"}}]}))
    truth = out / "truth.csv"
    duckdb.sql(f"copy (select 'crm' as source_system, customer_ref as source_record_id, person_id "
               f"from read_csv('{folder / 'truth.csv'}', all_varchar = true)) to '{truth}' (header)")
    return config, truth


def ours_byo(name: str, config: Path, truth_file: Path, out: Path) -> tuple[dict, Path, list[Path]]:
    """A person file through the bring-your-own path: (our figures, the warehouse, the truth file)."""
    truth = [truth_file]
    warehouse = out / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)
    env = environment(warehouse)
    code, _, _ = run_child([sys.executable, "-m", "ingest.run", "--config", str(config)], env)
    if code:
        raise SystemExit(f"ingest failed for {name}")
    vars_ = dbt_vars(load_config(config))
    dbt_build(f"+stg_person_files__person_records {PERSON_STAGING}", env, out, vars_)
    seconds, rss = dbt_build(IDENTITY, env, out, vars_)
    figures = {"seconds": seconds, "resolved_seconds": resolved_seconds(out / "target"), "peak_rss_mb": rss}
    # evaluate's own "seconds" is the identity models' time summed; ours is the whole dbt process
    return {**evaluate(warehouse, truth, out / "target"), **figures}, warehouse, truth


def ingested_warehouse(people: int, out_root: Path) -> tuple[Path, Path, dict[str, str], list[str]]:
    """The demo at `people` generated and ingested once, cached in out_root/people_N: (that folder,
    its warehouse, the environment for dbt on it, dbt's target and log path arguments)."""
    out = out_root / f"people_{people}"
    out.mkdir(parents=True, exist_ok=True)
    config = out / "bench.yml"
    config.write_text(json.dumps({"demo": {"data_dir": str(out / "demo"), "people": people, "seed": 42}}))
    warehouse = out / "warehouse.duckdb"
    env = environment(warehouse)
    if not warehouse.exists():
        code, seconds, _ = run_child([sys.executable, "-m", "ingest.run", "--config", str(config)], env)
        print(f"  ingest {people:,} people: {seconds:.1f}s", flush=True)
        if code:
            raise SystemExit(f"ingest failed for {people:,} people")
    return out, warehouse, env, ["--target-path", str(out / "target"), "--log-path", str(out / "logs")]


def ours_demo(people: int, out_root: Path) -> tuple[dict, Path, list[Path]]:
    """The demo at `people`, ingested once and cached: (our figures, the warehouse, the truth files)."""
    out, warehouse, env, _ = ingested_warehouse(people, out_root)
    dbt_build(PERSON_STAGING, env, out)
    seconds, rss = dbt_build(IDENTITY, env, out)
    truth = demo_truth_files(out / "demo" / "ground_truth")
    figures = {"seconds": seconds, "resolved_seconds": resolved_seconds(out / "target"), "peak_rss_mb": rss}
    # evaluate's own "seconds" is the identity models' time summed; ours is the whole dbt process
    return {**evaluate(warehouse, truth, out / "target"), **figures}, warehouse, truth


def peer(warehouse: Path, truth: list[Path], out: Path, tuned: bool) -> dict:
    """Splink on the same person records, in its own process, scored with the same truth."""
    recipe = "tuned" if tuned else "documented"
    records, clusters = out / "peer_records.parquet", out / f"peer_clusters_{recipe}.parquet"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(RECORDS_SQL.format(path=records))
    args = [sys.executable, "-m", "bench.peer_splink", str(records), str(clusters)] + (["--tuned"] if tuned else [])
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"the Splink peer failed on {records}")
    result = json.loads(output.strip().splitlines()[-1])
    with duckdb.connect() as con:
        con.execute("create table truth as select * from read_csv($files, all_varchar = true, union_by_name = true) "
                    "where person_id is not null and person_id <> ''", {"files": [str(path) for path in truth]})
        # the truth files name the system of every record: its person record id is system:id
        labelled = (f"(select clusters.cluster_id, truth.person_id from read_parquet('{clusters}') as clusters "
                    f"inner join (select source_system || ':' || source_record_id as record_id, person_id from truth)"
                    f" as truth on clusters.record_id = truth.record_id)")
        scores = pairwise_scores(con, labelled)
    return {**scores, "seconds": result["seconds"], "process_seconds": time.perf_counter() - started,
            "peak_rss_mb": usage.ru_maxrss / 1024, "em_sessions_failed": result.get("em_sessions_failed", [])}


def line(name: str, engine: str, figures: dict) -> str:
    return (f"{name:<14} {engine:<18} F1 {figures['pairwise_f1']:.4f} (precision "
            f"{figures['pairwise_precision']:.4f} recall {figures['pairwise_recall']:.4f}) "
            f"{figures['seconds']:7.1f}s peak {figures['peak_rss_mb']:7,.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append",
                        help=f"febrl1, febrl2 (+id), demo:N, synthetic:N; default {DEFAULT_DATASETS}")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument("--no-peer", action="store_true", help="our engine only")
    parser.add_argument("--peer-tuned", action="store_true", help="also Splink's tuned recipe")
    args = parser.parse_args()
    results = {}
    for name in args.dataset or DEFAULT_DATASETS:
        if name.startswith("demo:"):
            ours, warehouse, truth = ours_demo(int(name.split(":")[1]), args.out)
            out = args.out / f"people_{int(name.split(':')[1])}"
        else:
            out = args.out / name.replace("+", "_").replace(":", "_")
            out.mkdir(parents=True, exist_ok=True)
            config, truth_file = (synthetic(int(name.split(":")[1]), out) if name.startswith("synthetic:")
                                  else febrl(name, out))
            ours, warehouse, truth = ours_byo(name, config, truth_file, out)
        results[name] = {"ours": ours}
        largest = f"{ours['largest_cluster_profiles']} profiles (truth {ours['largest_true_cluster_profiles']})"
        print(line(name, "c360", ours), f"| identity map in {ours['resolved_seconds']}s | {ours['records']:,} records,"
              f" largest customer {largest}", flush=True)
        if args.no_peer:
            continue
        for tuned in (False, True) if args.peer_tuned else (False,):
            engine = f"splink-{'tuned' if tuned else 'documented'}"
            theirs = peer(warehouse, truth, out, tuned)
            results[name][engine] = theirs
            print(line(name, engine, theirs), f"| seconds ratio {ours['seconds'] / theirs['seconds']:.2f}, "
                  f"memory ratio {ours['peak_rss_mb'] / theirs['peak_rss_mb']:.2f}, "
                  f"F1 {ours['pairwise_f1'] - theirs['pairwise_f1']:+.4f}", flush=True)
    (args.out / "identity.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
