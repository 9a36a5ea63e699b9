"""Each candidate pair's match weight and probability, comparison by comparison (c360.identity.scoring)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    return pipeline.scored_pairs(session, pipeline.relation_sql(dbt.ref("int_candidate_pairs_compared")),
                                 pipeline.relation_sql(dbt.ref("int_match_weights")))
