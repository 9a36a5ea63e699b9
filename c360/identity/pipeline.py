"""Identity resolution's stages on a DuckDB connection: what the dbt models call, one function each.

Each stage takes its inputs as SQL relations (a table name, or `relation_sql(rel)` for a DuckDB
relation such as a dbt model's `dbt.ref(...)`) and returns a DuckDB relation or an Arrow table.
`resolve` chains them, for the unit tests and quick experiments outside dbt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import duckdb
import numpy as np
import pyarrow as pa
import yaml

from c360.identity import clustering
from c360.identity.blocking import candidate_pairs_sql
from c360.identity.comparing import compared_pairs_sql, random_pairs_sql
from c360.identity.comparisons import DEFAULT
from c360.identity.estimation import estimate, weights_table
from c360.identity.frequencies import shares_sql, with_shares_sql
from c360.identity.keys import match_keys_sql, profiles_sql
from c360.identity.names import nicknames_sql
from c360.identity.scoring import scored_pairs_sql
from c360.identity.specification import Specification
from ingest.settings import PROJECT_ROOT


@dataclass(frozen=True)
class Settings:
    """The engine's few settings. Their one home is dbt_project.yml (the identity_* vars, one
    default configuration for every data set); the dbt models get them as the `identity` config."""

    max_block_size: int
    max_name_block_size: int
    random_pairs: int
    link_threshold: float
    max_cluster_profiles: int

    @classmethod
    def from_config(cls, values: Mapping[str, object]) -> Settings:
        return cls(max_block_size=int(values["max_block_size"]),
                   max_name_block_size=int(values["max_name_block_size"]), random_pairs=int(values["random_pairs"]),
                   link_threshold=float(values["link_threshold"]),
                   max_cluster_profiles=int(values["max_cluster_profiles"]))

    @classmethod
    def project_defaults(cls) -> Settings:
        """The identity_* vars of dbt_project.yml, for runs outside dbt (tests, benchmarks)."""
        project_vars = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"]
        return cls.from_config({field.name: project_vars[f"identity_{field.name}"] for field in fields(cls)})


def relation_sql(relation: duckdb.DuckDBPyRelation) -> str:
    return f"({relation.sql_query()})"


def match_keys(con: duckdb.DuckDBPyConnection, records: str, nicknames: str) -> duckdb.DuckDBPyRelation:
    return con.sql(match_keys_sql(records, nicknames))


def profiles(con: duckdb.DuckDBPyConnection, keys: str, settings: Settings, record_activity: str | None = None,
             spec: Specification = DEFAULT) -> duckdb.DuckDBPyRelation:
    """The profiles with their shares. The profiles and each column's shares are written to temporary
    tables of this connection first: as common table expressions of one query, the joins of the
    shares took six times as long (DECISIONLOG.md, Term frequencies in tables)."""
    con.execute(f"create or replace temp table identity_profiles_unshared as "
                f"{profiles_sql(keys, settings.max_block_size, record_activity)}")
    shares = {}
    for column in spec.tf_columns():
        shares[column] = f"temp.main.identity_{column}_shares"
        con.execute(f"create or replace temp table identity_{column}_shares as "
                    f"{shares_sql(spec, column, 'temp.main.identity_profiles_unshared')}")
    return con.sql(with_shares_sql(spec, "temp.main.identity_profiles_unshared", shares))


def candidate_pairs(con: duckdb.DuckDBPyConnection, profile_rows: str, settings: Settings,
                    spec: Specification = DEFAULT) -> duckdb.DuckDBPyRelation:
    return con.sql(candidate_pairs_sql(spec, profile_rows, settings.max_block_size, settings.max_name_block_size))


def compared_pairs(con: duckdb.DuckDBPyConnection, pairs: str, profile_rows: str,
                   spec: Specification = DEFAULT) -> duckdb.DuckDBPyRelation:
    return con.sql(compared_pairs_sql(spec, pairs, profile_rows))


def random_pairs(con: duckdb.DuckDBPyConnection, profile_rows: str, settings: Settings,
                 spec: Specification = DEFAULT) -> duckdb.DuckDBPyRelation:
    return con.sql(random_pairs_sql(spec, profile_rows, settings.random_pairs))


def namesake_pairs(con: duckdb.DuckDBPyConnection, profile_rows: str, settings: Settings,
                   spec: Specification = DEFAULT) -> duckdb.DuckDBPyRelation:
    """Random pairs of profiles equal on each conditional u's `within` column, labelled by comparison."""
    parts = [f"select '{conditional.comparison}' as conditioned_comparison, * from "
             f"({random_pairs_sql(spec, profile_rows, settings.random_pairs, within=conditional.within)})"
             for conditional in spec.conditional_u]
    columns = ", ".join(f"null::integer as {comparison.name}_level" for comparison in spec.comparisons)
    empty = f"select null::varchar as conditioned_comparison, {columns} where false"
    return con.sql(" union all ".join(parts) if parts else empty)


def match_weights(con: duckdb.DuckDBPyConnection, compared: str, random: str, namesakes: str, profile_rows: str,
                  settings: Settings, spec: Specification = DEFAULT) -> pa.Table:
    namesake_relations = {conditional.comparison: con.sql(
        f"select * exclude (conditioned_comparison) from {namesakes} "
        f"where conditioned_comparison = '{conditional.comparison}'") for conditional in spec.conditional_u}
    parameters = estimate(spec, con.sql(f"select * from {compared}"), con.sql(f"select * from {random}"),
                          con.sql(f"select * from {profile_rows}"), settings.max_block_size, namesake_relations)
    return weights_table(spec, parameters)


def scored_pairs(con: duckdb.DuckDBPyConnection, compared: str, weights: str,
                 spec: Specification = DEFAULT) -> duckdb.DuckDBPyRelation:
    return con.sql(scored_pairs_sql(spec, compared, weights))


def contradiction_sql(spec: Specification, threshold: float) -> str:
    """A scored pair that disagrees outright on something a person keeps for life and, all
    evidence weighed, is not a likely match."""
    persistent = " or ".join(f"{comparison.name}_level = 0" for comparison in spec.comparisons
                             if comparison.persistent)
    return f"({persistent}) and match_probability < {threshold}"


def profile_clusters(con: duckdb.DuckDBPyConnection, scored: str, profile_rows: str, weights: str,
                     settings: Settings, spec: Specification = DEFAULT) -> pa.Table:
    """One row per profile with its cluster (named after its smallest profile id)."""
    profile_table = con.sql(f"""
        select
            profile_id,
            profile_number - 1 as profile_number,
            (email_match_key is not null)::int + (phone_e164 is not null)::int
            + (date_of_birth is not null)::int + (postcode_key is not null)::int >= 2 as is_strong
        from {profile_rows}
        order by profile_number
    """).to_arrow_table()
    ids = profile_table.column("profile_id")
    count = len(ids)
    strong = profile_table.column("is_strong").to_numpy(zero_copy_only=False)
    links = con.sql(f"""
        select profile_number_a - 1 as number_a, profile_number_b - 1 as number_b, match_probability
        from {scored}
        where match_probability >= {settings.link_threshold}
        order by match_probability desc, number_a, number_b
    """).to_arrow_table()
    link_a, link_b = links.column("number_a").to_numpy(), links.column("number_b").to_numpy()
    probability = links.column("match_probability").to_numpy()

    # Every pair inside a component of the links, scored like the candidates (which already are): which contradict.
    pair_a, pair_b = clustering.component_pairs(count, link_a, link_b)
    within = pa.table({"profile_number_a": pa.array(pair_a + 1, pa.int64()),
                       "profile_number_b": pa.array(pair_b + 1, pa.int64()),
                       "blocking_rule_mask": pa.array(np.zeros(len(pair_a), dtype=np.int32)),
                       "is_training_sample": pa.array(np.zeros(len(pair_a), dtype=bool))})
    con.register("identity_component_pairs", within)
    try:
        on = ("component_pairs.profile_number_a = scored.profile_number_a "
              "and component_pairs.profile_number_b = scored.profile_number_b")
        unscored = (f"(select component_pairs.* from identity_component_pairs as component_pairs "
                    f"anti join {scored} as scored on {on})")
        newly_scored = scored_pairs_sql(spec, f"({compared_pairs_sql(spec, unscored, profile_rows)})", weights)
        contradiction = contradiction_sql(spec, settings.link_threshold)
        conflicts = con.sql(f"""
            select profile_number_a - 1 as number_a, profile_number_b - 1 as number_b
            from ({newly_scored})
            where {contradiction}
            union all
            select scored.profile_number_a - 1, scored.profile_number_b - 1
            from {scored} as scored
            semi join identity_component_pairs as component_pairs on {on}
            where {contradiction}
        """).to_arrow_table()
    finally:
        con.unregister("identity_component_pairs")

    roots, used = clustering.cluster(count, link_a, link_b, strong, conflicts.column("number_a").to_numpy(),
                                     conflicts.column("number_b").to_numpy(), settings.max_cluster_profiles)
    smallest = np.full(count, count, dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(count))
    cluster_sizes = np.bincount(roots, minlength=count)
    best_link = np.zeros(count)
    np.maximum.at(best_link, link_a[used], probability[used])
    np.maximum.at(best_link, link_b[used], probability[used])
    return pa.table({
        "profile_id": ids,
        "cluster_id": ids.take(pa.array(smallest[roots])),
        "cluster_profile_count": pa.array(cluster_sizes[roots], pa.int64()),
        "best_link_probability": pa.array(np.where(best_link > 0, best_link, np.nan), pa.float64(), from_pandas=True),
        "rejected_links_total": pa.array(np.full(count, int((~used).sum())), pa.int64()),
    })


def resolve(con: duckdb.DuckDBPyConnection, records: str, nickname_seed: str, settings: Settings | None = None,
            spec: Specification = DEFAULT, schema: str = "identity_run", record_activity: str | None = None) -> None:
    """Every stage in turn, each written to a table in `schema` (named like the dbt models).
    `nickname_seed`: (nickname, canonical_name) pairs, completed with the `nicknames` package's."""
    settings = settings or Settings.project_defaults()
    con.execute(f"create schema if not exists {schema}")

    def write(name: str, relation: duckdb.DuckDBPyRelation | pa.Table) -> str:
        if isinstance(relation, pa.Table):
            con.register("identity_stage", relation)
            con.execute(f"create or replace table {schema}.{name} as select * from identity_stage")
            con.unregister("identity_stage")
        else:
            con.execute(f"create or replace table {schema}.{name} as {relation.sql_query()}")
        return f"{schema}.{name}"

    nicknames = write("int_name_nicknames", nicknames_sql(con, nickname_seed))
    keys = write("int_person_match_keys", match_keys(con, records, nicknames))
    profile_rows = write("int_person_profiles", profiles(con, keys, settings, record_activity, spec))
    pairs = write("int_candidate_pairs_blocked", candidate_pairs(con, profile_rows, settings, spec))
    compared = write("int_candidate_pairs_compared", compared_pairs(con, pairs, profile_rows, spec))
    random = write("int_random_pairs_compared", random_pairs(con, profile_rows, settings, spec))
    namesakes = write("int_namesake_pairs_compared", namesake_pairs(con, profile_rows, settings, spec))
    weights = write("int_match_weights", match_weights(con, compared, random, namesakes, profile_rows, settings, spec))
    scored = write("int_candidate_pairs_scored", scored_pairs(con, compared, weights, spec))
    write("int_profile_clusters", profile_clusters(con, scored, profile_rows, weights, settings, spec))
