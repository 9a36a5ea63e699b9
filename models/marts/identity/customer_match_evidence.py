"""One row per (link between two profiles of the same customer, comparison): why they were merged,
comparison by comparison, with each level's label (c360.identity.scoring.evidence_sql)."""

from c360.identity import pipeline
from c360.identity.comparisons import DEFAULT
from c360.identity.scoring import evidence_sql


def model(dbt, session):
    dbt.config(materialized="table")
    identity = dbt.config.get("identity")
    threshold = float(identity["link_threshold"])
    return session.sql(evidence_sql(DEFAULT, pipeline.relation_sql(dbt.ref("int_candidate_pairs_scored")),
                                    pipeline.relation_sql(dbt.ref("customer_identity_map")), threshold))
