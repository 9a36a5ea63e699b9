"""One row per person record with its match keys and profile id (c360.identity.keys)."""

from c360.identity import pipeline


def model(dbt, session):
    dbt.config(materialized="table")  # calls the phonetic-key UDFs
    return pipeline.match_keys(session, pipeline.relation_sql(dbt.ref("int_person_records_unioned")),
                               pipeline.relation_sql(dbt.ref("int_name_nicknames")))
