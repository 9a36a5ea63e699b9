"""Given-name nicknames: the project's seed (seeds/name_nicknames.csv: short forms of several
cultures) together with the hand-curated English list of the `nicknames` package (Carlton
Northern and Nick Crews, Apache-2.0, on PyPI), so that Peggy meets Margaret without a rule of ours."""

from __future__ import annotations

import duckdb
import pyarrow as pa
from nicknames import NickNamer


def package_nicknames() -> pa.Table:
    """(nickname, canonical_name) pairs of the `nicknames` package, lower case, letters only."""
    pairs = sorted({(nickname, canonical) for nickname, canonicals in NickNamer().canonical_lookup.items()
                    for canonical in canonicals})
    return pa.table({"nickname": [nickname for nickname, _ in pairs],
                     "canonical_name": [canonical for _, canonical in pairs]})


def nicknames_sql(con: duckdb.DuckDBPyConnection, seed: str) -> duckdb.DuckDBPyRelation:
    """The seed's pairs and the package's, once each, as match keys (letters only)."""
    con.register("package_nicknames", package_nicknames())
    return con.sql(f"""
        select distinct
            regexp_replace(lower(strip_accents(nickname)), '[^a-z]', '', 'g') as nickname,
            regexp_replace(lower(strip_accents(canonical_name)), '[^a-z]', '', 'g') as canonical_name
        from (
            select nickname, canonical_name from {seed}
            union all
            select nickname, canonical_name from package_nicknames
        )
        where nickname <> canonical_name
    """)
