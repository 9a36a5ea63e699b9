"""One row per profile (records equal on every matching field), numbered in profile id order,
with its shared-contact flags, shop activity keys and name keys (c360.identity.keys)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.profiles(session, pipeline.relation_sql(dbt.ref("int_person_match_keys")),
                             pipeline.relation_sql(dbt.ref("name_nicknames")), settings,
                             pipeline.relation_sql(dbt.ref("int_person_activity_keys")))
