"""Fellegi-Sunter parameters estimated from the data: one row per (comparison, level), plus the
prior and the conditional rows (c360.identity.estimation)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.match_weights(session, pipeline.relation_sql(dbt.ref("int_candidate_pairs_compared")),
                                  pipeline.relation_sql(dbt.ref("int_random_pairs_compared")),
                                  pipeline.relation_sql(dbt.ref("int_namesake_pairs_compared")),
                                  pipeline.relation_sql(dbt.ref("int_person_profiles")), settings)
