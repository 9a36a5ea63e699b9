"""Each candidate pair's comparison levels and term-frequency adjustments (c360.identity.comparing)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    return pipeline.compared_pairs(session, pipeline.relation_sql(dbt.ref("int_candidate_pairs_blocked")),
                                   pipeline.relation_sql(dbt.ref("int_person_profiles")))
