"""One row per (nickname, canonical given name): the project's seed and the `nicknames` package's
hand-curated English list (c360.identity.names)."""

from c360.identity import pipeline
from c360.identity.names import nicknames_sql


def model(dbt, session):
    dbt.config(materialized="table")
    return nicknames_sql(session, pipeline.relation_sql(dbt.ref("name_nicknames")))
