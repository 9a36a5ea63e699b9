"""Profiles grouped into people by guarded merges of the strongest links (c360.identity.clustering)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.profile_clusters(session, pipeline.relation_sql(dbt.ref("int_candidate_pairs_scored")),
                                     pipeline.relation_sql(dbt.ref("int_person_profiles")),
                                     pipeline.relation_sql(dbt.ref("int_match_weights")), settings)
