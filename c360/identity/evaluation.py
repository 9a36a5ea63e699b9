"""Identity resolution measured against a truth: which person each labelled record really is.

The truth is loaded into the warehouse's `eval` schema (never into production schemas): the demo
generator's ground truth, or any labelled file a user brings (a hand-checked sample is enough:
only labelled records are scored). Figures: pairwise precision, recall and F1 over record pairs,
B-cubed F1, blocking recall (true profile pairs that are candidate pairs), reachable recall (true
record pairs the candidate pairs connect, directly or through the person's other records: the most
clustering could find), the largest cluster and the largest true one (in records and in distinct
profiles). Test accounts (no true person) are left out.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from c360.graph import component_labels


class TruthFileError(ValueError):
    """A truth file that cannot be used: the message says which and how to fix it."""


def load_truth(con: duckdb.DuckDBPyConnection, files: list[Path]) -> int:
    """eval.ground_truth from CSV files with `source_record_id` and `person_id` (and `source_system`
    when record ids repeat across systems); returns the labelled records."""
    if not files:
        raise TruthFileError("no truth files given")
    has_system = False
    for path in files:
        if not path.exists():
            raise TruthFileError(f"{path}: truth file not found")
        header = con.execute("select * from read_csv($path, all_varchar = true) limit 0",
                             {"path": str(path)}).description
        names = [column[0] for column in header]
        missing = [column for column in ("source_record_id", "person_id") if column not in names]
        if missing:
            raise TruthFileError(f"{path}: columns {missing} are missing; a truth file has source_record_id and "
                                 f"person_id (and source_system when ids repeat across systems); it has {names}")
        has_system = has_system or "source_system" in names
    system = "source_system" if has_system else "cast(null as varchar) as source_system"
    con.execute("create schema if not exists eval")
    con.execute(
        "create or replace table eval.ground_truth as "
        f"select distinct {system}, source_record_id, person_id "
        "from read_csv($files, all_varchar = true, union_by_name = true) "
        "where person_id is not null and person_id <> ''",
        {"files": [str(path) for path in files]},
    )
    return con.execute("select count(*) from eval.ground_truth").fetchall()[0][0]


LABELLED_SQL = """
select identity_map.person_record_id, identity_map.customer_id, identity_map.profile_id,
       profiles.profile_number, ground_truth.person_id
from marts.customer_identity_map as identity_map
inner join eval.ground_truth as ground_truth
    on identity_map.source_record_id = ground_truth.source_record_id
    and (ground_truth.source_system is null or identity_map.source_system = ground_truth.source_system)
inner join intermediate.int_person_profiles as profiles on identity_map.profile_id = profiles.profile_id
where not identity_map.is_test_account
"""

METRICS_SQL = f"""
with truth as ({LABELLED_SQL}),
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
REACHABLE_SQL = f"""
with truth as ({LABELLED_SQL}),
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


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pairwise_scores(con: duckdb.DuckDBPyConnection, labelled: str) -> dict[str, float]:
    """Pairwise precision, recall and F1 of any clustering: `labelled` is a relation with one row per
    record (cluster_id, person_id), e.g. another linker's clusters joined to the truth."""
    found, actual, correct = (float(value or 0) for value in con.execute(f"""
        select
            (select sum(n * (n - 1) / 2) from (select count(*) as n from {labelled} group by cluster_id)),
            (select sum(n * (n - 1) / 2) from (select count(*) as n from {labelled} group by person_id)),
            (select sum(n * (n - 1) / 2) from (select count(*) as n from {labelled} group by cluster_id, person_id))
    """).fetchall()[0])
    precision = correct / found if found else 1.0
    recall = correct / actual if actual else 1.0
    return {"pairwise_precision": round(precision, 5), "pairwise_recall": round(recall, 5),
            "pairwise_f1": round(f1(precision, recall), 5)}


def metrics(con: duckdb.DuckDBPyConnection) -> dict:
    """The figures for a warehouse whose eval.ground_truth is loaded."""
    row = con.execute(METRICS_SQL).fetchall()[0]
    values = dict(zip([d[0] for d in con.description], row, strict=True))
    if not values["records"]:
        raise TruthFileError("no record of the truth file is in marts.customer_identity_map: check that its "
                             "source_record_id (and source_system) are the ids the configuration loads")
    reachable = reachable_pairs(con)
    precision = values["true_positives"] / values["predicted"] if values["predicted"] else 1.0
    recall = values["true_positives"] / values["actual"] if values["actual"] else 1.0
    b_precision, b_recall = float(values["precision"]), float(values["recall"])
    return {
        "pairwise_precision": round(precision, 5),
        "pairwise_recall": round(recall, 5),
        "pairwise_f1": round(f1(precision, recall), 5),
        "bcubed_f1": round(f1(b_precision, b_recall), 5),
        "blocking_recall": round(values["found"] / values["true_pairs"], 5) if values["true_pairs"] else 1.0,
        "reachable_recall": round(reachable / values["actual"], 5) if values["actual"] else 1.0,
        "largest_cluster": int(values["largest_cluster"]),
        # the records of the person with the most: a cluster this big is right, not chained
        "largest_true_cluster": int(values["largest_true_cluster"]),
        # the same in distinct profiles (record variants): what chaining would inflate
        "largest_cluster_profiles": int(values["largest_cluster_profiles"]),
        "largest_true_cluster_profiles": int(values["largest_true_cluster_profiles"]),
        "records": int(values["records"]),
        "customers": int(values["customers"]),
        "people": int(values["people"]),
    }
