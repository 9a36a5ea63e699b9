"""`make eval`: identity resolution measured against the generator's ground truth.

Loads the ground truth into the warehouse's `eval` schema (never into production schemas)
and prints one JSON line: pairwise precision, recall and F1 over record pairs, B-cubed F1,
blocking recall (true profile pairs that are candidate pairs), reachable recall (true record
pairs the candidate pairs connect, directly or through the person's other records: the most the
clustering could find), the largest cluster and the largest true one (in records and in distinct
profiles), record counts and the identity build's seconds.
Test accounts (no true person) are left out of every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import numpy as np

from c360.graph import component_labels
from ingest.config import load_config
from ingest.settings import DEFAULT_CONFIG, PROJECT_ROOT, warehouse_path

IDENTITY_MODELS = ("int_email_clicks_linked", "int_person_records_unioned", "int_person_match_keys",
                   "int_person_profiles",
                   "int_candidate_pairs_blocked", "int_candidate_pairs_compared", "int_random_pairs_compared",
                   "int_match_weights", "int_candidate_pairs_scored", "int_profile_clusters",
                   "customer_identity_map", "dim_customers")


def load_ground_truth(con: duckdb.DuckDBPyConnection, ground_truth_dir: Path) -> int:
    files = sorted(ground_truth_dir.glob("person_records_*.csv"))
    if not files:
        raise FileNotFoundError(f"no ground truth (person_records_*.csv) in {ground_truth_dir}")
    con.execute("create schema if not exists eval")
    con.execute(
        "create or replace table eval.ground_truth as "
        "select distinct source_system, source_record_id, person_id from read_csv($files, all_varchar = true) "
        "where person_id is not null and person_id <> ''",
        {"files": [str(f) for f in files]},
    )
    return con.execute("select count(*) from eval.ground_truth").fetchall()[0][0]


METRICS_SQL = """
with truth as (
    select identity_map.person_record_id, identity_map.customer_id, identity_map.profile_id,
           profiles.profile_number, ground_truth.person_id
    from marts.customer_identity_map as identity_map
    inner join eval.ground_truth as ground_truth
        on identity_map.source_system = ground_truth.source_system
        and identity_map.source_record_id = ground_truth.source_record_id
    inner join intermediate.int_person_profiles as profiles on identity_map.profile_id = profiles.profile_id
    where not identity_map.is_test_account
),
together as (select customer_id, person_id, count(*) as n from truth group by all),
by_customer as (select customer_id, count(*) as n from truth group by all),
by_person as (select person_id, count(*) as n from truth group by all),
pairs as (
    select
        (select sum(n * (n - 1) / 2) from together) as true_positives,
        (select sum(n * (n - 1) / 2) from by_customer) as predicted,
        (select sum(n * (n - 1) / 2) from by_person) as actual
),
bcubed as (
    select
        avg(together.n / by_customer.n) as precision,
        avg(together.n / by_person.n) as recall
    from truth
    inner join together on truth.customer_id = together.customer_id and truth.person_id = together.person_id
    inner join by_customer on truth.customer_id = by_customer.customer_id
    inner join by_person on truth.person_id = by_person.person_id
),
-- Blocking recall over true pairs of distinct profiles (identical profiles need no blocking).
-- Candidate pairs are profile numbers, in id order.
true_profile_pairs as (
    select distinct a.profile_number as profile_number_a, b.profile_number as profile_number_b
    from truth as a inner join truth as b on a.person_id = b.person_id and a.profile_number < b.profile_number
),
blocking as (
    select count(*) as true_pairs, count(candidates.profile_number_a) as found
    from true_profile_pairs
    left join intermediate.int_candidate_pairs_blocked as candidates
        on true_profile_pairs.profile_number_a = candidates.profile_number_a
        and true_profile_pairs.profile_number_b = candidates.profile_number_b
)
select
    pairs.true_positives, pairs.predicted, pairs.actual,
    bcubed.precision, bcubed.recall,
    blocking.found, blocking.true_pairs,
    (select count(*) from truth) as records,
    (select count(distinct customer_id) from truth) as customers,
    (select count(distinct person_id) from truth) as people,
    (select max(n) from by_customer) as largest_cluster,
    (select max(n) from by_person) as largest_true_cluster,
    (select max(n) from (select count(distinct profile_id) as n from truth group by customer_id))
        as largest_cluster_profiles,
    (select max(n) from (select count(distinct profile_id) as n from truth group by person_id))
        as largest_true_cluster_profiles
from pairs, bcubed, blocking
"""


# Nodes: (profile, person) with their record counts; edges: candidate pairs within one person.
REACHABLE_SQL = """
with truth as (
    select profiles.profile_number, ground_truth.person_id
    from marts.customer_identity_map as identity_map
    inner join eval.ground_truth as ground_truth
        on identity_map.source_system = ground_truth.source_system
        and identity_map.source_record_id = ground_truth.source_record_id
    inner join intermediate.int_person_profiles as profiles on identity_map.profile_id = profiles.profile_id
    where not identity_map.is_test_account
),
nodes as (
    select profile_number, person_id, count(*) as records, row_number() over () - 1 as node
    from truth group by all
)
select 'node' as kind, node as a, records as b from nodes
union all
select 'edge', a.node, b.node
from intermediate.int_candidate_pairs_blocked as candidates
inner join nodes as a on candidates.profile_number_a = a.profile_number
inner join nodes as b on candidates.profile_number_b = b.profile_number and a.person_id = b.person_id
"""


def reachable_pairs(con: duckdb.DuckDBPyConnection) -> int:
    """True record pairs connected by candidate pairs within their person (each profile's own
    records are together without any pair)."""
    table = con.sql(REACHABLE_SQL).to_arrow_table()
    kind = table.column("kind").to_numpy(zero_copy_only=False)
    a, b = table.column("a").to_numpy(), table.column("b").to_numpy()
    nodes = kind == "node"
    count = int(nodes.sum())
    records = np.zeros(count, dtype=np.int64)
    records[a[nodes]] = b[nodes]
    edges = ~nodes
    component = component_labels(count, a[edges], b[edges])
    per_component = np.bincount(component, weights=records).astype(np.int64)
    return int((per_component * (per_component - 1) // 2).sum())


def identity_seconds(target: Path = PROJECT_ROOT / "target") -> float | None:
    """Seconds the identity models took in the last `make build` (build_results.json, kept because
    `make docs` overwrites run_results.json), else in the last dbt run."""
    results = target / "build_results.json"
    if not results.exists():
        results = target / "run_results.json"
    if not results.exists():
        return None
    runs = json.loads(results.read_text()).get("results", [])
    seconds = [r["execution_time"] for r in runs if r["unique_id"].split(".")[-1] in IDENTITY_MODELS
               and r["unique_id"].startswith("model.")]
    return round(sum(seconds), 2) if seconds else None


def evaluate(warehouse: Path, ground_truth_dir: Path, target: Path = PROJECT_ROOT / "target") -> dict:
    with duckdb.connect(str(warehouse)) as con:
        load_ground_truth(con, ground_truth_dir)
        row = con.execute(METRICS_SQL).fetchall()[0]
        names = [d[0] for d in con.description]
        reachable = reachable_pairs(con)
    values = dict(zip(names, row, strict=True))
    precision = values["true_positives"] / values["predicted"] if values["predicted"] else 1.0
    recall = values["true_positives"] / values["actual"] if values["actual"] else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    b_precision, b_recall = float(values["precision"]), float(values["recall"])
    return {
        "pairwise_precision": round(precision, 5),
        "pairwise_recall": round(recall, 5),
        "pairwise_f1": round(f1, 5),
        "bcubed_f1": round(2 * b_precision * b_recall / (b_precision + b_recall), 5),
        "blocking_recall": round(values["found"] / values["true_pairs"], 5) if values["true_pairs"] else 1.0,
        "reachable_recall": round(reachable / values["actual"], 5) if values["actual"] else 1.0,
        "largest_cluster": int(values["largest_cluster"]),
        # the records of the person with the most: a cluster this big is right, not chained
        "largest_true_cluster": int(values["largest_true_cluster"]),
        # the same in distinct profiles (record variants): what chaining would inflate; a
        # customer's thirty identical payment records are one profile
        "largest_cluster_profiles": int(values["largest_cluster_profiles"]),
        "largest_true_cluster_profiles": int(values["largest_true_cluster_profiles"]),
        "records": int(values["records"]),
        "customers": int(values["customers"]),
        "people": int(values["people"]),
        "seconds": identity_seconds(target),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(DEFAULT_CONFIG))
    args = parser.parse_args(argv)
    config = load_config(args.config)
    ground_truth = config.demo.data_dir / "ground_truth"
    if not warehouse_path().exists():
        print(f"eval: no warehouse at {warehouse_path()}: run `make run` first", file=sys.stderr)
        return 1
    try:
        print(json.dumps(evaluate(warehouse_path(), ground_truth)))
    except FileNotFoundError as error:
        print(f"eval: {error}: the ground truth comes from the demo generator (`make run` with the demo on)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
