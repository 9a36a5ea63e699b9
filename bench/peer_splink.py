"""Open-source peer linker for the identity benchmarks: Splink 5 (DuckDB backend) with its documented recipe.

    python -m bench.peer_splink RECORDS.parquet CLUSTERS.parquet [--tuned]

`resolve_with_splink` runs Splink on the same canonical person records our engine resolves (`make bench`
exports them from int_person_records_unioned), so that its clusters, seconds and peak memory can be set
beside ours; the command line runs one recipe in its own process and prints one JSON line. Splink is a
bench-only dependency (`pip install -e ".[bench]"`, which `make bench` runs; it leaves the pinned duckdb
2.0.0 alone). Two recipes, both taken from
Splink's own documentation (tutorial "04 Estimating model parameters", the febrl3/febrl4 examples and the
"deduplicate 50k synthetic" example), are kept apart so a reader can tell what was tuned:

- documented (tuned=False): NameComparison on first and last name (term frequencies on),
  DateOfBirthComparison, a postcode comparison, EmailComparison, exact phone, exact address line;
  blocking on the 50k example's composite rules (plus exact e-mail and phone); the prior from
  deterministic rules at recall 0.6; u from 1e6 random pairs; EM on first+last name and on date of
  birth; predict at match probability 0.2; clusters at 0.95.
- tuned (tuned=True): the same model and blocking with fuzzy phone (Damerau-Levenshtein <= 1) and
  address (Jaro-Winkler 0.9, 0.8) levels, u from 1e7 pairs (the febrl4 example's advice) and EM on every
  strong key (names, date of birth, postcode, e-mail, phone); the same thresholds. The febrl examples'
  single-column blocking rules are left out on purpose: they lift recall on FEBRL but cost precision on
  our demo data, and they do not scale to a million records.

Comparisons, blocking rules and EM sessions only use columns present with some non-null value (FEBRL
has no e-mail or phone). A declared identifier (FEBRL's social security number, when the run maps it)
gets the febrl examples' treatment: a Damerau-Levenshtein comparison and an exact blocking rule.
Splink's logging and warnings are silenced unless PEER_SPLINK_VERBOSE is set.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

VERBOSE_ENV = "PEER_SPLINK_VERBOSE"
LINK_TYPES = ("dedupe_only", "link_only", "link_and_dedupe")
# Canonical text columns, cleaned as Splink's data-preparation guide asks: trimmed, lower case, one space.
TEXT_COLUMNS = ("first_name", "last_name", "email", "address_line1", "city", "state", "identifier")
# A UK postcode gets Splink's PostcodeComparison (sector, district, area levels); any other postcode
# (FEBRL's Australian four digits, US ZIP codes) gets the febrl4 example's Damerau-Levenshtein comparison.
UK_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
PREDICT_THRESHOLD = 0.2  # the febrl3/febrl4 examples' predict threshold
CLUSTER_THRESHOLD = 0.95  # the documented clustering threshold (quickstart-style 50k example)
RECALL_OF_DETERMINISTIC_RULES = 0.6  # the 50k example's guess for the rules below

# Blocking for predictions: the 50k synthetic example's composite rules, less its birth_place rule (the febrl
# examples' single-column rules explode on a million records), plus exact e-mail and phone.
PREDICTION_RULES: list[tuple[str, ...]] = [
    ("substr(first_name,1,3)", "substr(last_name,1,4)"),
    ("last_name", "date_of_birth"),
    ("first_name", "date_of_birth"),
    ("postcode", "first_name"),
    ("postcode", "last_name"),
    ("substr(postcode,1,3)", "date_of_birth"),
    ("substr(postcode,1,3)", "first_name"),
    ("substr(postcode,1,3)", "last_name"),
    ("substr(first_name,1,2)", "substr(last_name,1,2)", "year(date_of_birth)"),
    ("email",),
    ("phone",),
    ("identifier",),
]
# The prior: the 50k example's deterministic rules, plus exact e-mail (as in the tutorial) and phone.
DETERMINISTIC_RULES: list[tuple[str, ...]] = [
    ("first_name", "last_name", "date_of_birth"),
    ("substr(first_name,1,2)", "last_name", "substr(postcode,1,2)"),
    ("date_of_birth", "postcode"),
    ("email",),
    ("phone",),
]
DOCUMENTED_EM: list[tuple[str, ...]] = [("first_name", "last_name"), ("date_of_birth",)]
TUNED_EM: list[tuple[str, ...]] = [*DOCUMENTED_EM, ("postcode",), ("email",), ("phone",)]


@contextmanager
def _quiet() -> Iterator[None]:
    """Splink logs every EM iteration and warns about its own defaults: keep a benchmark's output clean."""
    if os.environ.get(VERBOSE_ENV):
        yield
        return
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        splink_logger.setLevel(level)


def _prepare(con: duckdb.DuckDBPyConnection, records: pa.Table) -> dict[str, int]:
    """Load the canonical columns into table peer_input (missing ones as nulls, dates of birth as DATE)
    and return each column's non-null count: a column without values must stay out of the model."""
    if "record_id" not in records.column_names:
        raise ValueError("records need a record_id column")

    def has(column: str) -> bool:
        return column in records.column_names and not pa.types.is_null(records.schema.field(column).type)

    def text(column: str, expression: str) -> str:
        return f"{expression} as {column}" if has(column) else f"cast(null as varchar) as {column}"

    def cleaned(column: str, case: str = "lower") -> str:
        return f"nullif(regexp_replace({case}(trim(cast({column} as varchar))), '\\s+', ' ', 'g'), '')"

    source_system = "cast(source_system as varchar)" if has("source_system") else "'records'"
    selects = ["cast(record_id as varchar) as record_id", f"{source_system} as source_system"]
    selects += [text(column, cleaned(column)) for column in TEXT_COLUMNS]
    selects.append(text("postcode", cleaned("postcode", "upper")))
    selects.append(text("phone", "nullif(regexp_replace(cast(phone as varchar), '[^0-9]', '', 'g'), '')"))
    dob = records.schema.field("date_of_birth").type if has("date_of_birth") else pa.null()
    if pa.types.is_date(dob) or pa.types.is_timestamp(dob):
        selects.append("cast(date_of_birth as date) as date_of_birth")
    elif pa.types.is_string(dob) or pa.types.is_large_string(dob):
        selects.append("try_cast(nullif(trim(date_of_birth), '') as date) as date_of_birth")
    else:
        selects.append("cast(null as date) as date_of_birth")

    con.register("peer_raw", records)
    con.execute(f"create or replace table peer_input as select {', '.join(selects)} from peer_raw")
    con.unregister("peer_raw")
    columns = [column for column in con.table("peer_input").columns if column != "record_id"]
    # fetchall, not fetchone: duckdb 2.0 refuses further work on a connection holding an unfinished result
    counts = con.sql(f"select {', '.join(f'count({column})' for column in columns)} from peer_input").fetchall()[0]
    return dict(zip(columns, counts, strict=True))


def _present(counts: dict[str, int], *columns: str) -> bool:
    """A comparison or rule is usable only when every column it reads has some value."""
    return all(counts.get(column, 0) > 0 for column in columns)


def _comparisons(counts: dict[str, int], tuned: bool, uk_postcodes: bool) -> list[Any]:
    """Splink's out-of-the-box person comparisons for the columns at hand."""
    import splink.comparison_library as cl

    comparisons: list[Any] = [
        cl.NameComparison(column).configure(term_frequency_adjustments=True)
        for column in ("first_name", "last_name")
        if _present(counts, column)
    ]
    if _present(counts, "date_of_birth"):
        comparisons.append(cl.DateOfBirthComparison("date_of_birth", input_is_string=False))
    if _present(counts, "postcode"):
        if uk_postcodes:
            comparisons.append(cl.PostcodeComparison("postcode"))
        else:
            postcode = cl.DamerauLevenshteinAtThresholds("postcode", [1, 2])
            comparisons.append(postcode.configure(term_frequency_adjustments=True))
    elif _present(counts, "city"):  # the tutorial's location column, when there is no postcode to use
        comparisons.append(cl.ExactMatch("city").configure(term_frequency_adjustments=True))
    if _present(counts, "email"):
        comparisons.append(cl.EmailComparison("email"))
    if _present(counts, "phone"):
        phone = cl.DamerauLevenshteinAtThresholds("phone", [1]) if tuned else cl.ExactMatch("phone")
        comparisons.append(phone.configure(term_frequency_adjustments=True))
    if _present(counts, "address_line1"):
        address = cl.JaroWinklerAtThresholds("address_line1", [0.9, 0.8]) if tuned else cl.ExactMatch("address_line1")
        comparisons.append(address.configure(term_frequency_adjustments=True))
    if _present(counts, "identifier"):
        comparisons.append(cl.DamerauLevenshteinAtThresholds("identifier", [1]))
    return comparisons


def _rules(counts: dict[str, int], candidates: list[tuple[str, ...]]) -> list[Any]:
    """block_on rules whose columns are all present (a rule on an all-null column blocks nothing)."""
    from splink import block_on

    def columns(rule: tuple[str, ...]) -> list[str]:
        return [column for column in counts if any(re.search(rf"\b{column}\b", part) for part in rule)]

    return [block_on(*rule) for rule in candidates if _present(counts, *columns(rule))]


def _em(linker: Any, rule: Any) -> bool:
    """One EM session; False, with the model as it was before it, when Splink 5 rejects the session.

    Splink 5 raises when EM drives an m probability to exactly 0 (below its 1e-300 floor) or when a training
    rule yields no pairs, after the session has already narrowed the linker's live model settings to the
    comparisons it trains: without the restore, every later step would run on a model with comparisons missing.
    """
    from splink.internals.exceptions import SplinkException

    saved = linker._settings_obj.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    except (ValueError, SplinkException):
        linker._settings_obj.core_model_settings = saved
        return False
    return True


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resolve_with_splink(records: pa.Table, link_type: str = "dedupe_only", tuned: bool = False) -> dict[str, Any]:
    """Cluster canonical person records with Splink 5: {"clusters", "seconds", "peak_rss_mb"}.

    clusters holds every input record (singletons included) as (record_id, cluster_id) strings. link_only
    and link_and_dedupe link the datasets told apart by source_system (at least two). seconds is the wall
    time of the Splink part (registration, training, prediction, clustering, fetching the clusters), not
    of loading the canonical columns. peak_rss_mb is this process's peak so far: run one recipe per process
    when peaks are compared.
    """
    if link_type not in LINK_TYPES:
        raise ValueError(f"link_type must be one of {LINK_TYPES}, not {link_type!r}")
    try:
        from splink import DuckDBAPI, Linker, SettingsCreator
    except ImportError as error:  # not a project dependency: only the benchmark needs it
        raise ImportError("the Splink peer needs `pip install splink==5.0.0`") from error

    con = duckdb.connect()
    counts = _prepare(con, records)
    uk_postcodes = False
    if counts.get("postcode"):
        share = con.sql("select avg(cast(regexp_matches(postcode, ?) as int)) from peer_input", params=[UK_POSTCODE])
        uk_postcodes = (share.fetchall()[0][0] or 0) > 0.5
    sources = [row[0] for row in con.sql("select distinct source_system from peer_input order by 1").fetchall()]
    if link_type != "dedupe_only" and len(sources) < 2:
        raise ValueError(f"{link_type} needs records from at least two source_system values")

    with _quiet():
        started = time.perf_counter()
        if records.num_rows < 2:  # nothing to compare; Splink's samplers need pairs
            table = con.sql("select record_id, record_id as cluster_id from peer_input").to_arrow_table()
            con.close()
            return {"clusters": table, "seconds": time.perf_counter() - started, "peak_rss_mb": _peak_rss_mb()}
        db_api = DuckDBAPI(connection=con)
        if link_type == "dedupe_only":
            inputs: Any = db_api.register("peer_input")
        else:
            inputs = []
            for i, source in enumerate(sources):
                con.execute(
                    f"create table peer_input_{i} as select * exclude (source_system) from peer_input "
                    "where source_system is not distinct from ?",
                    [source],
                )
                inputs.append(db_api.register(f"peer_input_{i}", dataset_display_name=f"source_{i}"))
        settings = SettingsCreator(
            link_type=link_type,
            unique_id_column_name="record_id",
            comparisons=_comparisons(counts, tuned, uk_postcodes),
            blocking_rules_to_generate_predictions=_rules(counts, PREDICTION_RULES),
        )
        linker = Linker(inputs, settings, log_level=logging.INFO if os.environ.get(VERBOSE_ENV) else None)

        deterministic = _rules(counts, DETERMINISTIC_RULES)
        if deterministic:
            linker.training.estimate_probability_two_random_records_match(
                deterministic, recall=RECALL_OF_DETERMINISTIC_RULES
            )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e7 if tuned else 1e6, seed=1)
        em_failed = [rule for rule in _rules(counts, TUNED_EM if tuned else DOCUMENTED_EM) if not _em(linker, rule)]

        predictions = linker.inference.predict(threshold_match_probability=PREDICT_THRESHOLD)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=CLUSTER_THRESHOLD
        )
        table = (
            clusters.as_duckdbpyrelation()
            .select("cast(record_id as varchar) as record_id, cast(cluster_id as varchar) as cluster_id")
            .to_arrow_table()
        )
        seconds = time.perf_counter() - started
    con.close()
    result = {"clusters": table, "seconds": seconds, "peak_rss_mb": _peak_rss_mb()}
    if em_failed:  # worth a footnote beside the numbers: the model ran with fewer trained m values
        result["em_sessions_failed"] = [rule.get_blocking_rule("duckdb").blocking_rule_sql for rule in em_failed]
    return result


def main(argv: list[str] | None = None) -> int:
    """One recipe on one records file (meant for its own process, so that the peak memory is its own):
    the clusters to a Parquet file, the figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("records", type=Path, help="canonical person records (Parquet)")
    parser.add_argument("clusters", type=Path, help="where to write (record_id, cluster_id)")
    parser.add_argument("--tuned", action="store_true", help="the tuned recipe instead of the documented one")
    parser.add_argument("--link-type", default="dedupe_only", choices=LINK_TYPES)
    args = parser.parse_args(argv)
    result = resolve_with_splink(pq.read_table(args.records), link_type=args.link_type, tuned=args.tuned)
    pq.write_table(result.pop("clusters"), args.clusters)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
