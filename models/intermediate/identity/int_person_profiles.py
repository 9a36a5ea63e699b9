"""One row per profile (records equal on every matching field), numbered in profile id order,
with its shared-contact flags, shop activity keys, term frequencies and list keys (c360.identity.keys)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    settings = pipeline.Settings.from_config(dbt.config.get("identity"))
    return pipeline.profiles(session, pipeline.relation_sql(dbt.ref("int_person_match_keys")), settings,
                             pipeline.relation_sql(dbt.ref("int_person_activity_keys")))
