"""Real-time identity: resolve one incoming person record against the current identity model, and
look up one customer's 360 row, without a batch run.

`publish` (run by `make build` after the role files) writes a serving index beside the warehouse, a
new DuckDB file that `index.duckdb` then links to: every profile with its customer id (numbered in
surname order, so that a request's candidates sit close together), the block keys each
blocking rule gives it (blocks that could take one more profile within the rule's cap), the
term-frequency share tables, the fitted match weights, nicknames, country codes and gold_cust_360.

`Resolver.resolve` runs the batch's own code on the one record: standardised by the person-file
staging macros (analyses/serving_person_record.sql, compiled at publish), keyed and profiled by
`c360.identity.keys`, shares joined by `frequencies.with_shares_sql`, candidates found by block key,
compared and scored by `comparing` and `scoring`. Each of those stages is a statement prepared once per
cursor that reads only the rows it is handed as JSON (DuckDB keeps such a plan; it plans one that
reads a table again on every run); plain queries between them read the published tables by key.
The block keys, blocks and candidates are read on a helper thread while the shares are joined.
The best-scoring customer at or above the link
threshold is the answer; below it the record gets a provisional id, logged (no PII) and reconciled
with the batch's customer at the next publish. What it does not do: re-estimate weights or
re-cluster (the batch does), or prune namesake pairs (it scores them: a handful of candidates).

    python -m c360.serving publish [--vars '{...}']
    python -m c360.serving check      # resolve a sample of records left out of the index: agreement
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from c360 import udfs
from c360.identity.comparing import compared_pairs_sql, compared_profile_columns
from c360.identity.comparisons import DEFAULT
from c360.identity.frequencies import share_input_columns, shares_sql, with_shares_sql
from c360.identity.keys import PROFILE_COLUMNS, match_keys_sql, profiles_sql
from c360.identity.pipeline import Settings
from c360.identity.scoring import scored_pairs_sql
from c360.identity.specification import Specification
from c360.privacy import hashed, identifier_hash, secret
from ingest.config import PERSON_FIELDS
from ingest.settings import PROJECT_ROOT, warehouse_path

ANALYSIS = "serving_person_record"
# The incoming record's profile number: above every published profile's, so it is always side b.
INCOMING_NUMBER = 2**62
PROVISIONAL_PREFIX = "prov_"
RECORD_KEY_KIND = "record"
PROFILES_ROW_GROUP = 2048
LOOKUP_ROW_GROUP = 16384
# besides the person fields: the shop's references a record carries (a ticket's or payment's order, a shop account)
REFERENCE_FIELDS = ("order_numbers", "shop_account_id")
RECORD_FIELDS = (*PERSON_FIELDS, "source_system", "source_record_id", "identifiers", *REFERENCE_FIELDS)
INCOMING_SCHEMA = pa.schema([*((field, pa.string()) for field in PERSON_FIELDS), ("source_system", pa.string()),
                             ("source_record_id", pa.string()), ("record_id", pa.string()),
                             ("identifiers", pa.list_(pa.string())),
                             ("shop_activity_keys", pa.list_(pa.string())), ("incoming_number", pa.int64())])
# the standardised fields an answer shows, so a caller sees how the record was read
SHOWN_FIELDS = ("first_name", "last_name", "email", "phone_e164", "date_of_birth", "postcode", "country_code")
INCOMING_COLUMNS = [(field.name, "BIGINT" if pa.types.is_integer(field.type) else
                     "VARCHAR[]" if pa.types.is_list(field.type) else "VARCHAR") for field in INCOMING_SCHEMA]
# what a neighbouring profile brings to the incoming record's profile
KEY_COLUMNS = ("profile_id", *PROFILE_COLUMNS, "is_email_local_name_derived", "is_test_account")
ACTIVITY_COLUMNS = [("person_record_id", "VARCHAR"), ("shop_activity_keys", "VARCHAR[]"),
                    ("is_shop_account", "BOOLEAN")]
LEFT_OUT_COLUMNS = [("incoming_number", "BIGINT"), ("profile_number", "BIGINT")]


class ServingError(Exception):
    """No index published, or a request the service cannot read; says what to do."""


def serving_dir() -> Path:
    return warehouse_path().parent / "serving"


def index_path() -> Path:
    """The published index: `C360_SERVING_PATH` if set, else data/serving/index.duckdb."""
    path = Path(os.environ.get("C360_SERVING_PATH", serving_dir() / "index.duckdb"))
    return path if path.is_absolute() else PROJECT_ROOT / path


def provisional_log() -> Path:
    return index_path().parent / "provisional.jsonl"


def record_key(person_record_id: str, salt: str) -> str:
    """A provisional id's record as the log keeps it: a salted hash (a record id may be an e-mail)."""
    return identifier_hash(RECORD_KEY_KIND, person_record_id, salt)


# --- publishing ---------------------------------------------------------------------------------

def compiled_standardise_sql(dbt_vars: str | None = None, target: Path | None = None) -> str:
    """The analysis compiled by dbt with the project's macros (the person-file staging's own). In a
    process of its own: dbt's DuckDB connection would hold the warehouse this process attaches."""
    target = target or PROJECT_ROOT / "target"
    command = [str(Path(sys.executable).parent / "dbt"), "compile", "--select", ANALYSIS, "--quiet",
               "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT), "--target-path", str(target)]
    if dbt_vars:
        command += ["--vars", dbt_vars]
    compiled = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT)
    if compiled.returncode != 0:
        raise ServingError(f"dbt could not compile analyses/{ANALYSIS}.sql:\n{compiled.stdout}{compiled.stderr}")
    files = list((target / "compiled").rglob(f"analyses/{ANALYSIS}.sql"))
    if not files:
        raise ServingError(f"dbt compiled analyses/{ANALYSIS}.sql but wrote no file under target/compiled")
    return files[0].read_text()


def block_key_columns(spec: Specification) -> list[str]:
    """The profile columns `block_keys_sql` reads."""
    return ["profile_number", "is_test_account", *sorted({key for rule in spec.blocking_rules for key in rule.keys})]


def block_keys_sql(spec: Specification, profiles: str) -> str:
    """(block_key, rule_index, profile_number): every blocking rule's keys of each profile, hashed."""
    parts = []
    for index, rule in enumerate(spec.blocking_rules):
        if rule.is_list:
            parts.append(f"select hash({index}, block_value) as block_key, {index} as rule_index, profile_number "
                         f"from (select profile_number, unnest({rule.keys[0]}) as block_value from {profiles} "
                         f"where not is_test_account and {rule.keys[0]} is not null) where block_value is not null")
        else:
            not_null = " and ".join(f"{key} is not null" for key in rule.keys)
            parts.append(f"select hash({index}, {', '.join(rule.keys)}) as block_key, {index} as rule_index, "
                         f"profile_number from {profiles} where not is_test_account and {not_null}")
    return "\n union all \n".join(parts)


def publish(warehouse: Path | None = None, out: Path | None = None, dbt_vars: str | None = None,
            target: Path | None = None, spec: Specification = DEFAULT, settings: Settings | None = None) -> dict:
    """Write the serving index from the warehouse's latest build; returns what it holds. `target`: the dbt
    target folder to compile the standardising analysis in (default the project's)."""
    started = time.perf_counter()
    warehouse = warehouse or warehouse_path()
    out = out or index_path()
    settings = settings or Settings.project_defaults()
    standardise = compiled_standardise_sql(dbt_vars, target)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Each publish is a file of its own and `out` a link to the newest: a running service opens the new
    # file by its own name (DuckDB shares one open database per path within a process).
    building = out.with_name(f"{out.stem}.{datetime.now(UTC):%Y%m%dT%H%M%S%f}.duckdb")
    caps = " ".join(f"when {index} then {settings.max_name_block_size if rule.name_only else settings.max_block_size}"
                    for index, rule in enumerate(spec.blocking_rules))
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        # Numbered anew, in surname order: a request reads its candidates by number, and the name blocking
        # rules key on the surname, so their candidates sit in a few row groups rather than one each.
        con.execute("""
            create temp table numbered_profiles as
            select
                profiles.* replace (row_number() over (
                    order by profiles.last_key nulls last, profiles.first_canonical nulls last, profiles.profile_id
                ) as profile_number),
                customers.customer_id
            from warehouse.intermediate.int_person_profiles as profiles
            left join (
                select profile_id, min(customer_id) as customer_id
                from warehouse.marts.customer_identity_map
                group by profile_id
            ) as customers on profiles.profile_id = customers.profile_id
            order by profile_number
        """)
        # The tables read by sorted key are written first, in row groups of 16,384 rows, the profiles
        # then in row groups of 2,048 (see DECISIONLOG): DuckDB skips a row group by its minimum and
        # maximum, a request's profiles are scattered over the file, and checking each of many row
        # groups costs more than reading a few larger ones where one key's rows sit together.
        # (A checkpoint merges small row groups up to the attached size, never splits larger ones.)
        con.execute(f"attach '{building}' as serving (row_group_size {LOOKUP_ROW_GROUP})")
        con.execute("use serving")
        # a block already at its rule's cap would exceed it with the incoming profile: the batch would not use it
        con.execute(f"""
            create table block_keys as
            with keyed as ({block_keys_sql(spec, 'numbered_profiles')})
            select block_key, rule_index, profile_number
            from keyed
            qualify count(*) over (partition by block_key) < case rule_index {caps} end
            order by block_key
        """)
        for column in spec.tf_columns():
            con.execute(f"create table shares_{column} as select * from "
                        f"({shares_sql(spec, column, 'numbered_profiles')}) order by value, country")
        con.execute("""
            create table contact_profiles as
            select contact, profile_number from (
                select email_match_key as contact, profile_number from numbered_profiles
                where email_match_key is not null
                union all
                select phone_e164, profile_number from numbered_profiles
                where phone_e164 is not null
            )
            order by contact
        """)
        has_orders = con.execute("select count(*) from information_schema.tables where table_catalog = 'warehouse' "
                                 "and table_schema = 'staging' and table_name = 'stg_shop__orders'").fetchall()[0][0]
        con.execute("create table order_accounts as select distinct order_number, shop_customer_id "
                    + ("from warehouse.staging.stg_shop__orders where order_number is not null "
                       "order by order_number" if has_orders else
                       "from (select null::varchar as order_number, null::varchar as shop_customer_id) where false"))
        con.execute("use memory")
        con.execute("detach serving")
        con.execute(f"attach '{building}' as serving (row_group_size {PROFILES_ROW_GROUP})")
        con.execute("use serving")
        con.execute("create table profiles as select * from numbered_profiles order by profile_number")
        con.execute("drop table numbered_profiles")
        con.execute("create table match_weights as select * from warehouse.intermediate.int_match_weights")
        con.execute("create table nicknames as select * from warehouse.intermediate.int_name_nicknames")
        con.execute("create table serving_country_codes as select * from warehouse.staging.country_codes")
        con.execute("create table gold_cust_360 as select * from warehouse.marts.gold_cust_360 order by customer_id")
        con.execute("create index gold_cust_360_customer on gold_cust_360 (customer_id)")
        con.execute("create table identity_map as select person_record_id, profile_id, customer_id "
                    "from warehouse.marts.customer_identity_map")
        reconciled = _reconcile_provisional(con)
        con.execute("drop table identity_map")
        con.execute("create table meta (key varchar, value varchar)")
        meta = {"published_at": datetime.now(UTC).isoformat(timespec="seconds"), "warehouse": str(warehouse),
                "link_threshold": str(settings.link_threshold), "max_block_size": str(settings.max_block_size),
                "standardise_sql": standardise}
        con.executemany("insert into meta values (?, ?)", list(meta.items()))
        counts = con.execute("select (select count(*) from profiles), (select count(*) from block_keys), "
                             "(select count(*) from gold_cust_360)").fetchone()
        con.execute("detach warehouse")
        con.execute("use memory")
        con.execute("detach serving")
    building.chmod(0o600)  # it holds contact details, like the warehouse
    link = out.with_name(f".{out.name}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(building.name)
    os.replace(link, out)
    for older in out.parent.glob(f"{out.stem}.*.duckdb"):  # a service still reading one keeps it open until it moves on
        if older != building:
            older.unlink()
    return {"path": str(out), "profiles": counts[0], "block_keys": counts[1], "customers": counts[2],
            "provisional_reconciled": reconciled, "seconds": round(time.perf_counter() - started, 2)}


def _reconcile_provisional(con: duckdb.DuckDBPyConnection) -> int:
    """Provisional ids given since the records' systems were loaded: each gets the customer the batch
    put its record in (table provisional_ids); the rest stay provisional until their record lands."""
    con.execute("create table provisional_ids (provisional_id varchar, record_key varchar, "
                "issued_at varchar, customer_id varchar)")
    log = provisional_log()
    if not log.exists():
        return 0
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    if not entries:
        return 0
    con.register("provisional_log", pa.Table.from_pylist(
        [{"provisional_id": e["provisional_id"], "record_key": e.get("record_key"), "issued_at": e["issued_at"]}
         for e in entries]))
    # the log's keys hashed the same way in SQL, over every record the batch holds
    con.execute(f"""
        insert into provisional_ids
        select provisional_log.provisional_id, provisional_log.record_key, provisional_log.issued_at,
            record_customers.customer_id
        from provisional_log
        left join (
            select {hashed(RECORD_KEY_KIND, 'person_record_id', secret())} as record_key, customer_id
            from identity_map
        ) as record_customers on provisional_log.record_key = record_customers.record_key
    """)
    con.unregister("provisional_log")
    return con.execute("select count(*) from provisional_ids where customer_id is not null").fetchone()[0]


# --- resolving ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    customer_id: str
    is_provisional: bool
    confidence: float | None
    evidence: dict
    candidates_compared: int
    standardised: dict

    def as_json(self) -> dict:
        return {"customer_id": self.customer_id, "is_provisional": self.is_provisional,
                "confidence": self.confidence, "candidates_compared": self.candidates_compared,
                "evidence": self.evidence, "standardised": self.standardised}


class Resolver:
    """The published index, opened read-only; one DuckDB cursor per thread (safe for a threaded server)."""

    def __init__(self, path: Path | None = None, spec: Specification = DEFAULT) -> None:
        self.path = (path or index_path()).resolve()
        if not self.path.exists():
            raise ServingError(f"no serving index at {self.path}: run `make build` (it publishes one after "
                               f"the role files), or `python -m c360.serving publish`")
        self.spec = spec
        self.con = duckdb.connect(str(self.path), read_only=True)
        self.meta = dict(self.con.execute("select key, value from meta").fetchall())
        self.threshold = float(self.meta["link_threshold"])
        self.max_block_size = int(self.meta["max_block_size"])
        self.salt = secret()
        self._local = threading.local()
        self._log_lock = threading.Lock()
        self.labels = {comparison.name: comparison.labels() for comparison in spec.comparisons}
        self.share_tables = {column: f"shares_{column}" for column in spec.tf_columns()}
        # a request's stages, in order, with the number of JSON row sets each is given
        self._stage_params = {"keyed": 1, "profiled": 3, "shared": 1 + len(self.share_tables), "blocked": 1,
                              "scored": 5}
        self._share_input = ["profile_number", *share_input_columns(spec)]
        self._block_input = block_key_columns(spec)
        self._stage_sql: dict[str, str] = {}
        self._stage_columns: dict[str, list[tuple[str, str]]] = {}
        self._stage_lock = threading.Lock()
        # one thread serves the service, whose worker resolves one pass at a time
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="serving-blocks")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self.con.cursor()
            udfs.register(cursor)
            self._prepare_stages(cursor)
            self._local.cursor = cursor
        return cursor

    def close(self) -> None:
        self._helper.shutdown()
        self.con.close()

    def warm(self) -> float:
        """Reads every published table a request reads by key once, so that their blocks sit in DuckDB's
        buffer pool (a request's rows are scattered over row groups, and a cold one is read from the
        file), and prepares the helper thread's statements, which the first request would wait for.
        Returns the seconds it took."""
        started = time.perf_counter()
        with self.con.cursor() as cursor:
            for table in ("profiles", "block_keys", "contact_profiles", *self.share_tables.values()):
                columns = [column[0] for column in cursor.execute(f"select * from {table} limit 0").description]
                cursor.execute(f"select {', '.join(f'max({column})' for column in columns)} from {table}").fetchall()
        self._helper.submit(self.cursor).result()
        return round(time.perf_counter() - started, 2)

    # --- the stages, prepared once per cursor ---

    def _prepare_stages(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Prepares every stage on the cursor. The first cursor also learns each stage's output columns
        (run on no rows), which the next stage's input is declared with."""
        with self._stage_lock:
            for stage, params in self._stage_params.items():
                if stage not in self._stage_sql:
                    self._stage_sql[stage] = getattr(self, f"_{stage}_sql")(cursor)
                cursor.execute(f"prepare serving_{stage} as {self._stage_sql[stage]}")
                if stage not in self._stage_columns:
                    empty = _execute_stage(cursor, stage, [[]] * params)
                    self._stage_columns[stage] = [(column[0], str(column[1])) for column in empty.description]
                    empty.fetchall()

    @staticmethod
    def _table_columns(cursor: duckdb.DuckDBPyConnection, table: str,
                       names: list[str] | None = None) -> list[tuple[str, str]]:
        described = cursor.execute(f"select * from {table} limit 0").description
        columns = {column[0]: str(column[1]) for column in described}
        return [(name, columns[name]) for name in (names or list(columns))]

    def _stage_input(self, stage: str, names: list[str] | None = None) -> list[tuple[str, str]]:
        """Columns of a stage's output, as the next stage declares its input."""
        return [(name, type_) for name, type_ in self._stage_columns[stage] if names is None or name in names]

    def _keyed_sql(self, cursor: duckdb.DuckDBPyConnection) -> str:
        """Standardised by the person-file staging macros, then keyed: one row per incoming record, with
        what the answer shows of the record in `serving_record`."""
        shown = ", ".join(f"{field} := incoming_record.{field}" for field in SHOWN_FIELDS)
        return f"""
            with
            serving_incoming as ({_rows_sql('$1', INCOMING_COLUMNS)}),
            serving_country_codes as ({self._constant_rows_sql(cursor, 'serving_country_codes')}),
            serving_nicknames as ({self._constant_rows_sql(cursor, 'nicknames')}),
            incoming_record as (
                select
                    standardised.* replace (
                        'incoming:' || serving_incoming.incoming_number as person_record_id,
                        nullif(serving_incoming.shop_activity_keys, []) as shop_activity_keys,
                        standardised.source_system = 'shop' as is_shop_account
                    ),
                    serving_incoming.source_system || ':' || serving_incoming.record_id as source_person_record_id,
                    serving_incoming.incoming_number
                from ({self.meta["standardise_sql"]}) as standardised
                inner join serving_incoming on standardised.source_record_id = serving_incoming.source_record_id
            ),
            -- each incoming record is a profile of its own, however alike two of them are
            incoming_keys as (
                select keys.* replace (keys.person_record_id as profile_id), incoming_record.incoming_number
                from ({match_keys_sql('incoming_record', 'serving_nicknames', '$2::date')}) as keys
                inner join incoming_record on keys.person_record_id = incoming_record.person_record_id
            )
            select
                incoming_keys.*,
                struct_pack(
                    person_record_id := incoming_record.person_record_id,
                    source_person_record_id := incoming_record.source_person_record_id,
                    shop_activity_keys := incoming_record.shop_activity_keys,
                    is_shop_account := incoming_record.is_shop_account,
                    {shown}
                ) as serving_record
            from incoming_keys
            inner join incoming_record on incoming_keys.incoming_number = incoming_record.incoming_number
        """

    def _profiled_sql(self, cursor: duckdb.DuckDBPyConnection) -> str:
        """Profiled among the published profiles holding the same e-mail or phone (the shared-contact
        flags weigh them), numbered by the incoming number."""
        keys = self._stage_input("keyed", [*KEY_COLUMNS, "incoming_number"])
        key_columns = ", ".join(KEY_COLUMNS[1:])
        return f"""
            with
            serving_keys as ({_rows_sql('$1', keys)}),
            serving_neighbours as ({_rows_sql('$2', self._table_columns(cursor, 'profiles', list(KEY_COLUMNS)))}),
            serving_activity as ({_rows_sql('$3', ACTIVITY_COLUMNS)}),
            serving_neighbourhood as (
                select profile_id as person_record_id, profile_id, {key_columns} from serving_keys
                union all
                select profile_id, profile_id, {key_columns} from serving_neighbours
            )
            select profiled.* exclude (profile_number), serving_keys.incoming_number as profile_number
            from ({profiles_sql('serving_neighbourhood', self.max_block_size, 'serving_activity')}) as profiled
            inner join serving_keys on profiled.profile_id = serving_keys.profile_id
        """

    def _shared_sql(self, cursor: duckdb.DuckDBPyConnection) -> str:
        """The published term-frequency shares of its values, by profile number. Given only the columns
        the shares are found by: a stage's fixed cost grows with the width of the rows it carries."""
        shares = {column: f"serving_shares_{column}" for column in self.share_tables}
        share_ctes = "".join(f"{shares[column]} as ({_rows_sql(f'${number}', self._table_columns(cursor, table))}),\n"
                             for number, (column, table) in enumerate(self.share_tables.items(), start=2))
        return f"""
            with
            serving_profiled as ({_rows_sql('$1', self._stage_input('profiled', self._share_input))}),
            {share_ctes}
            serving_profiles as ({with_shares_sql(self.spec, 'serving_profiled', shares)})
            select * exclude ({', '.join(share_input_columns(self.spec))}) from serving_profiles
        """

    def _blocked_sql(self, cursor: duckdb.DuckDBPyConnection) -> str:
        """Its block keys, from the profile's keys (the blocking rules read no shares, so the blocks and
        candidates are read while the shares are joined)."""
        return f"""
            with serving_profiles as ({_rows_sql('$1', self._stage_input('profiled', self._block_input))})
            select block_key, rule_index, profile_number
            from ({block_keys_sql(self.spec, 'serving_profiles')})
        """

    def _scored_sql(self, cursor: duckdb.DuckDBPyConnection) -> str:
        """Every candidate sharing a block compared and scored with the published weights; the best
        candidate of each incoming record, with its customer and the count compared."""
        compared_columns = compared_profile_columns(self.spec)
        incoming = [(name, type_) for name, type_ in {**dict(self._stage_input("profiled")),
                                                        **dict(self._stage_input("shared"))}.items()
                    if name in compared_columns]
        blocks = self._table_columns(cursor, "block_keys")
        candidates = self._table_columns(cursor, "profiles", [*compared_columns, "customer_id"])
        levels = ", ".join(f"scored.{c.name}_level, scored.{c.name}_weight" for c in self.spec.comparisons)
        scored = scored_pairs_sql(self.spec, f"({compared_pairs_sql(self.spec, 'serving_pairs', 'serving_rows')})",
                                  "serving_match_weights")
        return f"""
            with
            serving_incoming_profiles as ({_rows_sql('$1', incoming)}),
            serving_incoming_blocks as ({_rows_sql('$2', blocks)}),
            serving_published_blocks as ({_rows_sql('$3', blocks)}),
            serving_candidates as ({_rows_sql('$4', candidates)}),
            serving_left_out as ({_rows_sql('$5', LEFT_OUT_COLUMNS)}),
            serving_match_weights as ({self._constant_rows_sql(cursor, 'match_weights')}),
            serving_pairs as (
                select
                    published.profile_number as profile_number_a,
                    incoming.profile_number as profile_number_b,
                    bit_or(1 << published.rule_index)::integer as blocking_rule_mask,
                    false as is_training_sample
                from serving_incoming_blocks as incoming
                inner join serving_published_blocks as published on incoming.block_key = published.block_key
                where not exists (
                    select 1 from serving_left_out
                    where serving_left_out.incoming_number = incoming.profile_number
                        and serving_left_out.profile_number = published.profile_number
                )
                group by all
            ),
            serving_rows as (
                select * exclude (customer_id) from serving_candidates
                union all by name
                select * from serving_incoming_profiles
            )
            select
                scored.profile_number_b as incoming_number,
                serving_candidates.customer_id,
                scored.match_probability,
                {levels},
                count(*) over (partition by scored.profile_number_b) as compared
            from ({scored}) as scored
            inner join serving_candidates on scored.profile_number_a = serving_candidates.profile_number
            qualify row_number() over (
                partition by scored.profile_number_b
                order by scored.match_probability desc, serving_candidates.customer_id
            ) = 1
        """

    def _constant_rows_sql(self, cursor: duckdb.DuckDBPyConnection, table: str) -> str:
        """A published lookup table written into the statement as values, so that it reads no table (and
        its rows are read once, when the statement is prepared)."""
        columns = self._table_columns(cursor, table)
        rows = cursor.execute(f"select * from {table}").fetchall()
        if not rows:
            return f"select * from {table} where false"
        values = ",\n".join("(" + ", ".join("null" if value is None else _quoted(str(value)) for value in row) + ")"
                            for row in rows)
        names = ", ".join(f"serving_value_{number}" for number in range(len(columns)))
        cast = ", ".join(f"cast(serving_value_{number} as {type_}) as {name}"
                         for number, (name, type_) in enumerate(columns))
        return f"select {cast} from (values {values}) as serving_values({names})"

    # --- resolving ---

    def incoming_rows(self, records: list[dict]) -> pa.Table:
        """The records' canonical person fields as text, one row each (dates are read by the staging
        macros: ISO, YYYYMMDD, 16 Apr 1962 and the other formats parse_birth_date knows)."""
        rows = []
        for number, record in enumerate(records):
            if not isinstance(record, dict):
                raise ServingError(f"record {number}: a JSON object of person fields, not {type(record).__name__}")
            unknown = sorted(set(record) - set(RECORD_FIELDS))
            if unknown:
                raise ServingError(f"record {number}: unknown fields {unknown}; a person record has: "
                                   f"{', '.join(RECORD_FIELDS)} (identifiers: a list of 'kind:value')")
            identifiers = record.get("identifiers") or None
            if identifiers is not None and not (isinstance(identifiers, list) and all(
                    isinstance(identifier, str) and ":" in identifier for identifier in identifiers)):
                raise ServingError(f"record {number}: identifiers is a list of 'kind:value' texts, "
                                   f"e.g. [\"loyalty:L-1234\"]")
            row = {field: None if record.get(field) in (None, "") else str(record[field]) for field in PERSON_FIELDS}
            row["source_system"] = str(record.get("source_system") or "serving")
            # the call's own number stands in for the id while resolving: two records may send one id
            row["source_record_id"] = str(INCOMING_NUMBER + number)
            row["record_id"] = str(record.get("source_record_id") or uuid.uuid4().hex)
            row["identifiers"] = identifiers
            orders = record.get("order_numbers") or []
            if not isinstance(orders, list):
                raise ServingError(f"record {number}: order_numbers is a list of the orders the record is about")
            account = record.get("shop_account_id")
            row["shop_activity_keys"] = [f"order:{order}" for order in orders] + (
                [f"account:{account}"] if account not in (None, "") else [])
            row["incoming_number"] = INCOMING_NUMBER + number
            rows.append(row)
        return self._with_order_accounts(pa.Table.from_pylist(rows, schema=INCOMING_SCHEMA))

    def _with_order_accounts(self, rows: pa.Table) -> pa.Table:
        """An order's key brings the account that placed it, as the batch ties a ticket to its order's account."""
        orders = {key[len("order:"):] for keys in rows.column("shop_activity_keys").to_pylist() for key in keys
                  if key.startswith("order:")}
        if not orders:
            return rows
        placed_by = dict(self.cursor().execute(f"select order_number, shop_customer_id from order_accounts "
                                               f"where order_number in {_literal_list(orders)}").fetchall())
        keys = [sorted({*record_keys, *(f"account:{placed_by[key[6:]]}" for key in record_keys
                                        if key.startswith("order:") and placed_by.get(key[6:]) is not None)})
                for record_keys in rows.column("shop_activity_keys").to_pylist()]
        index = rows.column_names.index("shop_activity_keys")
        return rows.set_column(index, "shop_activity_keys", pa.array(keys, pa.list_(pa.string())))

    def resolve(self, record: dict, log: bool = True) -> Answer:
        return self.resolve_many([record], log=log)[0]

    def resolve_many(self, records: list[dict], leave_out_profiles: list[str] | None = None,
                     log: bool = True) -> list[Answer]:
        """The customer each record belongs to, in one pass (each record is resolved on its own: records
        of one call are not compared with each other). `leave_out_profiles`: per record, a published
        profile to resolve without (agreement with the batch on records it already holds)."""
        if not records:
            return []
        cursor = self.cursor()
        return self._resolved(cursor, self.incoming_rows(records), leave_out_profiles or [None] * len(records), log)

    def _resolved(self, cursor: duckdb.DuckDBPyConnection, incoming: pa.Table, left_out_ids: list[str | None],
                  log: bool) -> list[Answer]:
        keyed = _run_stage(cursor, "keyed", [incoming.to_pylist()])
        records = {row["incoming_number"]: row.pop("serving_record") for row in keyed}
        # a record resolved with its own profile left out: that profile is nobody's neighbour or candidate
        leaving_out = {profile for profile in left_out_ids if profile is not None}
        left_out = _read(cursor, f"select profile_id, profile_number from profiles where profile_id in "
                                 f"{_literal_list(leaving_out)}", leaving_out)
        number_of = {row["profile_id"]: row["profile_number"] for row in left_out}
        left_out_pairs = [{"incoming_number": INCOMING_NUMBER + index, "profile_number": number_of[profile]}
                          for index, profile in enumerate(left_out_ids) if profile in number_of]
        # the shared-contact flags weigh every published profile holding the same e-mail or phone
        contacts = {row[column] for row in keyed for column in ("email_match_key", "phone_e164")} - {None}
        neighbours = {row["profile_number"] for row in _read(
            cursor, f"select profile_number from contact_profiles where contact in {_literal_list(contacts)}",
            contacts)}
        neighbours -= set(number_of.values())
        neighbour_rows = _read(cursor, f"select {', '.join(KEY_COLUMNS)} from profiles "
                                       f"where profile_number in {_literal_list(neighbours)}", neighbours)
        activity = [{"person_record_id": record["person_record_id"], "shop_activity_keys": record["shop_activity_keys"],
                     "is_shop_account": record["is_shop_account"]}
                    for record in records.values() if record["shop_activity_keys"] is not None]
        key_names = [*KEY_COLUMNS, "incoming_number"]
        profiled = _run_stage(cursor, "profiled", [[{name: row[name] for name in key_names} for row in keyed],
                                                   neighbour_rows, activity])
        # the blocks and candidates are found on a second cursor while this one joins the shares
        blocks_and_candidates = self._helper.submit(
            self._blocks_and_candidates, [{name: row[name] for name in self._block_input} for row in profiled])
        # only the share rows of the values at hand, read by value (the tables are sorted on it)
        shares = {column: [] for column in self.share_tables}
        wanted = {column: {str(row[column]) for row in profiled if row[column] is not None}
                  for column in self.share_tables}
        share_reads = [f"select '{column}' as serving_column, * from {table} where value in "
                       f"{_literal_list(wanted[column])}" for column, table in self.share_tables.items()]
        if share_reads:
            for row in _read(cursor, " union all ".join(share_reads)):
                shares[row.pop("serving_column")].append(row)
        shares_of = {row.pop("profile_number"): row for row in _run_stage(
            cursor, "shared", [[{name: row[name] for name in self._share_input} for row in profiled],
                               *shares.values()])}
        shared = [{**row, **shares_of[row["profile_number"]]} for row in profiled]
        incoming_blocks, published_blocks, candidates = blocks_and_candidates.result()
        compared_columns = compared_profile_columns(self.spec)
        best_rows = _run_stage(cursor, "scored", [[{name: row[name] for name in compared_columns} for row in shared],
                                                  incoming_blocks, published_blocks, candidates, left_out_pairs])
        best_by_number = {row["incoming_number"]: row for row in best_rows}
        answers = []
        for number in range(incoming.num_rows):
            incoming_number = INCOMING_NUMBER + number
            row = best_by_number.get(incoming_number)
            record = records[incoming_number]
            shown = {key: str(record[key]) for key in SHOWN_FIELDS if record.get(key) is not None}
            if row is not None and row["match_probability"] is not None and row["match_probability"] >= self.threshold:
                evidence = {}
                for comparison in self.spec.comparisons:
                    level, weight = row[f"{comparison.name}_level"], row[f"{comparison.name}_weight"]
                    evidence[comparison.name] = {
                        "level": "missing" if level is None else self.labels[comparison.name][level],
                        "weight": None if weight is None else round(weight, 3)}
                answers.append(Answer(row["customer_id"], False, round(row["match_probability"], 6), evidence,
                                      row["compared"], shown))
                continue
            provisional = f"{PROVISIONAL_PREFIX}{uuid.uuid4().hex[:16]}"
            if log:
                self._log_provisional(provisional, record["source_person_record_id"])
            answers.append(Answer(provisional, True, None if row is None else round(row["match_probability"], 6), {},
                                  0 if row is None else row["compared"], shown))
        return answers

    def _blocks_and_candidates(self, block_inputs: list[dict]) -> tuple[list[dict], list[dict], str]:
        """The incoming profiles' block keys (from their `block_key_columns`), the published profiles
        sharing them, and those candidates' compared columns as JSON; on the helper thread's own cursor."""
        cursor = self.cursor()
        incoming_blocks = _run_stage(cursor, "blocked", [block_inputs])
        # the published blocks are read by key (a literal list: the sorted file is skipped where it cannot match)
        wanted_blocks = {block["block_key"] for block in incoming_blocks}
        published_blocks = _read(cursor, f"select * from block_keys where block_key in "
                                         f"{_literal_list(wanted_blocks)}", wanted_blocks)
        candidate_numbers = {block["profile_number"] for block in published_blocks}
        candidates = _read_as_json(cursor, f"select {', '.join(compared_profile_columns(self.spec))}, customer_id "
                                           f"from profiles where profile_number in {_literal_list(candidate_numbers)}",
                                   candidate_numbers)
        return incoming_blocks, published_blocks, candidates

    def _log_provisional(self, provisional_id: str, person_record_id: str) -> None:
        entry = {"provisional_id": provisional_id, "record_key": record_key(person_record_id, self.salt),
                 "issued_at": datetime.now(UTC).isoformat(timespec="seconds"),
                 "index_published_at": self.meta["published_at"]}
        with self._log_lock, provisional_log().open("a") as log:
            log.write(json.dumps(entry) + "\n")

    def customer(self, customer_id: str) -> dict | None:
        """One customer's 360 row; a provisional id reconciled at the last publish gives its customer's."""
        with self.con.cursor() as cursor:  # no functions to register: a server thread may ask once only
            return self._customer(cursor, customer_id)

    def _customer(self, cursor: duckdb.DuckDBPyConnection, customer_id: str) -> dict | None:
        reconciled = cursor.execute("select customer_id from provisional_ids where provisional_id = ? "
                                    "and customer_id is not null", [customer_id]).fetchone() \
            if customer_id.startswith(PROVISIONAL_PREFIX) else None
        wanted = reconciled[0] if reconciled else customer_id
        found = cursor.execute("select * from gold_cust_360 where customer_id = ?", [wanted])
        rows = found.fetchall()
        if not rows:
            return None
        row = {column[0]: _json_value(value) for column, value in zip(found.description, rows[0], strict=True)}
        if reconciled:
            row["reconciled_from"] = customer_id
        return row


def _run_stage(cursor: duckdb.DuckDBPyConnection, stage: str, inputs: list[list[dict] | str]) -> list[dict]:
    result = _execute_stage(cursor, stage, inputs)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _read(cursor: duckdb.DuckDBPyConnection, sql: str, *needed: set) -> list[dict]:
    """The rows of a query on the published tables; none without a query when a list it reads by is empty."""
    if not all(needed):
        return []
    result = cursor.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _read_as_json(cursor: duckdb.DuckDBPyConnection, sql: str, *needed: set) -> str:
    """The same, as one JSON text made by DuckDB, for rows a stage is only handed on."""
    if not all(needed):
        return "[]"
    return cursor.execute(f"select coalesce(to_json(list(serving_row)), '[]') "
                          f"from ({sql}) as serving_row").fetchone()[0]


def _execute_stage(cursor: duckdb.DuckDBPyConnection, stage: str,
                   inputs: list[list[dict] | str]) -> duckdb.DuckDBPyConnection:
    """Runs a prepared stage on its inputs (each a list of rows, or their JSON text), sent as JSON text."""
    texts = [_quoted(rows if isinstance(rows, str) else json.dumps(rows, default=str)) for rows in inputs]
    if stage == "keyed":  # the day after which no one is born, typed (a value of another type would re-plan)
        texts.append(f"date '{datetime.now(UTC).date().isoformat()}'")
    return cursor.execute(f"execute serving_{stage}({', '.join(texts)})")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rows_sql(source: str, columns: list[tuple[str, str]]) -> str:
    """The rows of a JSON array (`source`: a statement's parameter or a literal) as a relation of `columns`.
    A statement that reads rows this way reads no table, so DuckDB keeps its plan between runs (it binds
    and optimises a plan that reads a table again on every run)."""
    structure = json.dumps([dict(columns)])
    return (f"select unnest(serving_row) from "
            f"(select unnest(from_json({source}::varchar, {_quoted(structure)})) as serving_row)")


def _literal_list(values: set[int] | set[str]) -> str:
    """Values as a SQL list for `in`: a filter DuckDB checks against each row group's min and max (the
    published tables are sorted on the columns it is used on), where a join would read every row."""
    if not values:
        return "(null)"
    return "(" + ", ".join(str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"
                           for value in sorted(values)) + ")"


def _json_value(value: object) -> object:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return str(value)  # dates, timestamps, decimals


# --- agreement with the batch -------------------------------------------------------------------

def agreement(resolver: Resolver, warehouse: Path | None = None, sample: int = 1000, seed: int = 7,
              batch: int = 200) -> dict:
    """Resolve `sample` records of the warehouse, each with its own profile left out, and compare with the
    batch: the same customer when the batch put other profiles in it, a new (provisional) one when not."""
    warehouse = warehouse or warehouse_path()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            select
                records.source_system, records.source_record_id, records.first_name, records.last_name,
                records.email, records.phone_e164, records.date_of_birth, records.address_line1, records.city,
                records.state, records.postcode, records.country_code, records.identifiers,
                records.shop_activity_keys,
                identity_map.profile_id, identity_map.customer_id,
                count(distinct identity_map.profile_id) over (partition by identity_map.customer_id) as profiles
            from intermediate.int_person_records_unioned as records
            inner join marts.customer_identity_map as identity_map
                on records.person_record_id = identity_map.person_record_id
            where not coalesce(records.is_test_account, false)
            order by records.person_record_id
        """).fetchall()
    random.Random(seed).shuffle(rows)
    rows = rows[:sample]
    started = time.perf_counter()
    agreed, disagreements = 0, []
    for first in range(0, len(rows), batch):
        chunk = rows[first:first + batch]
        # a ticket or payment sends the order it is about; a shop account its id
        records = [{"source_system": row[0], "source_record_id": row[1], "first_name": row[2], "last_name": row[3],
                    "email": row[4], "phone": row[5], "date_of_birth": row[6], "address_line1": row[7],
                    "city": row[8], "state": row[9], "postcode": row[10], "country": row[11],
                    "identifiers": row[12],
                    "order_numbers": [key[len("order:"):] for key in row[13] or [] if key.startswith("order:")],
                    "shop_account_id": row[1] if row[0] == "shop" else None} for row in chunk]
        answers = resolver.resolve_many(records, leave_out_profiles=[row[14] for row in chunk], log=False)
        for row, answer in zip(chunk, answers, strict=True):
            expected_new = row[16] == 1
            if answer.is_provisional == expected_new and (expected_new or answer.customer_id == row[15]):
                agreed += 1
            else:
                disagreements.append({"record": f"{row[0]}:{row[1]}", "batch": "new" if expected_new else row[15],
                                      "service": "new" if answer.is_provisional else answer.customer_id,
                                      "confidence": answer.confidence})
    return {"records": len(rows), "agreement": round(agreed / len(rows), 4) if rows else None,
            "seconds": round(time.perf_counter() - started, 1), "disagreements": disagreements}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The real-time service's index: publish it, or check it.")
    commands = parser.add_subparsers(dest="command", required=True)
    publish_command = commands.add_parser("publish", help="write the serving index from the warehouse")
    publish_command.add_argument("--vars", default=None, help="the dbt vars the build used")
    check_command = commands.add_parser("check", help="agreement with the batch on records left out one by one")
    check_command.add_argument("--sample", type=int, default=1000)
    args = parser.parse_args(argv)
    try:
        if args.command == "publish":
            result = publish(dbt_vars=args.vars)
            print(f"serving index: {result['profiles']:,} profiles, {result['customers']:,} customers, "
                  f"{result['provisional_reconciled']} provisional ids reconciled, {result['seconds']} s "
                  f"-> {result['path']} (make serve answers from it)", file=sys.stderr)
        else:
            resolver = Resolver()
            result = agreement(resolver, sample=args.sample)
            print(json.dumps({**result, "disagreements": result["disagreements"][:20]}))
    except ServingError as error:
        print(f"serving: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
