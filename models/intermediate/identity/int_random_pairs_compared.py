"""Comparison levels of deterministic random profile pairs, for the u probabilities (c360.identity.comparing)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.random_pairs(session, pipeline.relation_sql(dbt.ref("int_person_profiles")), settings)
