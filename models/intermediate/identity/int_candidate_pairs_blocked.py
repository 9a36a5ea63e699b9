"""Candidate pairs of profiles found by the specification's blocking rules (c360.identity.blocking)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.candidate_pairs(session, pipeline.relation_sql(dbt.ref("int_person_profiles")), settings)
