"""Python functions DuckDB calls where SQL cannot do the job: phone parsing and phonetic keys.

Each is vectorised over Arrow arrays and meant to run once per distinct value (callers
select distinct values first): phonenumbers costs about 45 us a call, jellyfish about
1-3 us, so a per-pair use would dominate identity resolution. `register(con)` adds them to
a DuckDB connection; the dbt plugin (`c360.dbt_plugin`) calls it for every dbt connection.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import jellyfish
import pyarrow as pa

from c360.phones import parse_here, parse_many


def _text_udf(function: Callable[[str], str]) -> Callable[[pa.Array], pa.Array]:
    def apply(values: pa.Array) -> pa.Array:
        return pa.array([function(v) if v else None for v in values.to_pylist()], pa.string())
    return apply


def _phone_udf(raw: pa.Array, region: pa.Array) -> pa.Array:
    return pa.array(parse_here(list(zip(raw.to_pylist(), region.to_pylist(), strict=True))), pa.string())


def _phone_udf_in_workers(raw: pa.Array, region: pa.Array) -> pa.Array:
    return pa.array(parse_many(list(zip(raw.to_pylist(), region.to_pylist(), strict=True))), pa.string())


def _jaro_winkler(left: pa.Array, right: pa.Array) -> pa.Array:
    # jellyfish's function has a hidden third argument (long_tolerance): wrap it, two arguments only.
    return pa.array([jellyfish.jaro_winkler_similarity(a, b) if a is not None and b is not None else None
                     for a, b in zip(left.to_pylist(), right.to_pylist(), strict=True)], pa.float64())


UDFS: dict[str, tuple[Callable, list[str], str]] = {
    "phone_e164": (_phone_udf, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    "metaphone": (_text_udf(jellyfish.metaphone), ["VARCHAR"], "VARCHAR"),
    "nysiis": (_text_udf(jellyfish.nysiis), ["VARCHAR"], "VARCHAR"),
    "soundex": (_text_udf(jellyfish.soundex), ["VARCHAR"], "VARCHAR"),
    "jellyfish_jaro_winkler": (_jaro_winkler, ["VARCHAR", "VARCHAR"], "DOUBLE"),
}


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Add every UDF to `con` (idempotent per connection). DuckDB's phone_e164 parses large calls in
    worker processes; Spark registers UDFS as they are (its Python workers are the parallelism)."""
    existing = {name for (name,) in con.execute(
        "select function_name from duckdb_functions() where function_type = 'scalar'").fetchall()}
    for name, (function, parameters, returns) in UDFS.items():
        if name not in existing:
            function = _phone_udf_in_workers if function is _phone_udf else function
            con.create_function(name, function, parameters, returns, type="arrow", null_handling="special")
