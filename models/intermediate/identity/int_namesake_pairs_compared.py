"""Comparison levels of random pairs of namesakes (profiles with the same surname), for the
conditional u of the address between people who share a surname (c360.identity.comparing)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.namesake_pairs(session, pipeline.relation_sql(dbt.ref("int_person_profiles")), settings)
