"""`make erase`: one person out of every layer and every file the project writes, and kept out.

    python -m c360.erase --config config/demo.yml (--email E | --phone P | --customer C | --record system:id)
                         [--request REF] [--yes]

1. Find the person: the customers the selector names, and every person record of theirs.
2. Show what will go (records per system, customers, bronze rows per table) and ask.
3. Add the salted hashes of their e-mails, phones and record keys to the suppression list first,
   so a crash later still keeps their records out of the next ingest.
4. Delete their bronze rows (c360.privacy's predicate, followed to a fixpoint: an order, then its
   lines), their quarantined records, and their rows in tables no build rebuilds (the identity
   history snapshot, the evaluation truth).
5. Rebuild silver, identity and gold with dbt from scratch (incremental tables too), so aggregates
   lose their contribution.
6. Compact the warehouse into a fresh file (DuckDB keeps deleted values in freed blocks),
   republish the role files and the real-time service's index, drop dlt's local load packages, the
   lake's rows and Spark's tables.
7. Check that none of their e-mails, phones or names unique to them is left in any table, and log
   the erasure (when, which request, counts; no personal data) in <privacy dir>/erasure_log.jsonl.

E-mails and phones that other customers' records share are kept (they are those customers' too)
and said so in the preview.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from c360.privacy import (
    Column,
    add_to_suppression_list,
    belongs_condition,
    hashed,
    identifier_hash,
    key_kind,
    person_table_of,
    phone_sql,
    privacy_dir,
    raw_record_condition,
    secret,
    table_key,
)
from ingest.config import ConfigError, dbt_vars, load_config
from ingest.runlog import say
from ingest.settings import DEFAULT_CONFIG, PROJECT_ROOT, lake_dir, lakehouse_dir, pipelines_dir, warehouse_path

SELECTORS = ("email", "phone", "customer", "record")


class EraseError(Exception):
    """The erasure cannot go ahead; the message says why and what to do."""


@dataclass
class Person:
    customer_ids: list[str]
    records: list[tuple[str, str]]  # (source_system, source_record_id)
    emails: list[str] = field(default_factory=list)  # only theirs
    phones: list[str] = field(default_factory=list)  # last 9 digits, only theirs
    names: list[str] = field(default_factory=list)  # lower case, names no other customer has
    shared: list[str] = field(default_factory=list)  # kinds of identifiers kept because others share them

    @property
    def person_record_ids(self) -> list[str]:
        return [f"{system}:{record}" for system, record in self.records]


def find_person(con: duckdb.DuckDBPyConnection, kind: str, value: str) -> Person:
    """The customers `kind = value` names and all their records, from the built identity map."""
    present = {name for (name,) in con.execute(
        "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
    if not {"marts.customer_identity_map", "intermediate.int_person_records_unioned"} <= present:
        raise EraseError("the warehouse has no identity map yet: run `make run` (or `make build`) first")
    records = "intermediate.int_person_records_unioned"
    match = {
        "email": ("lower(trim(records.email)) = lower(trim($value)) "
                  "or records.email_match_key = lower(trim($value))"),
        "phone": f"{phone_sql('records.phone_e164')} = {phone_sql('$value')}",
        "customer": "identity.customer_id = $value",
        "record": "identity.source_system || ':' || identity.source_record_id = $value",
    }[kind]
    customers = [row[0] for row in con.execute(
        f"select distinct identity.customer_id from marts.customer_identity_map as identity "
        f"join {records} as records using (person_record_id) where {match} order by 1", {"value": value}).fetchall()]
    if not customers:
        raise EraseError(f"no person record with {kind} {value!r} in marts.customer_identity_map; check the value "
                         "(a record is system:id, e.g. crm_b:f4fee990-...) or build first if it arrived since")
    con.execute("create or replace temp table erased_customers as select unnest($ids) as customer_id",
                {"ids": customers})
    con.execute(f"""create or replace temp table erased_records as
        select identity.person_record_id, identity.source_system, identity.source_record_id, records.email,
               {phone_sql('records.phone_e164')} as phone, lower(records.first_name) as first_name,
               lower(records.last_name) as last_name
        from marts.customer_identity_map as identity join erased_customers using (customer_id)
        left join {records} as records using (person_record_id)""")
    con.execute(f"""create or replace temp table other_records as
        select records.email, {phone_sql('records.phone_e164')} as phone, lower(records.first_name) as first_name,
               lower(records.last_name) as last_name
        from {records} as records
        where person_record_id not in (select person_record_id from erased_records)""")

    def exclusive(column: str) -> tuple[list[str], int]:
        theirs = {row[0] for row in con.execute(
            f"select distinct {column} from erased_records where {column} is not null").fetchall()}
        others = {row[0] for row in con.execute(
            f"select distinct {column} from other_records where {column} in "
            f"(select {column} from erased_records)").fetchall()}
        return sorted(theirs - others), len(theirs & others)

    emails, shared_emails = exclusive("email")
    phones, shared_phones = exclusive("phone")
    first_names, _ = exclusive("first_name")
    last_names, _ = exclusive("last_name")
    shared = [f"{count} {what} other customers' records also carry" for count, what in
              ((shared_emails, "e-mail(s)"), (shared_phones, "phone(s)")) if count]
    return Person(customers, [(s, r) for s, r in con.execute(
        "select source_system, source_record_id from erased_records order by 1, 2").fetchall()],
        emails, phones, sorted({*first_names, *last_names}), shared)


# --- bronze ---------------------------------------------------------------------------------

def _bronze_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[Column]]]:
    """(schema, table, columns) of every bronze data table (raw_<system>, dlt's own tables left out)."""
    rows = con.execute(
        "select table_schema, table_name, list(column_name order by ordinal_position), "
        "list(data_type = 'VARCHAR' order by ordinal_position) from information_schema.columns "
        "where table_schema like 'raw\\_%' escape '\\' and table_name not like '\\_dlt\\_%' escape '\\' "
        "and table_schema <> 'raw_ingest' group by all order by 1, 2").fetchall()
    return [(schema, table, [Column(n, t) for n, t in zip(names, texts, strict=True)]) for schema, table, names, texts
            in rows]


def seed_hashes(con: duckdb.DuckDBPyConnection, person: Person, salt: str) -> None:
    """The `erased` hashes to start from: their own e-mails and phones, and their person records' keys."""
    rows = [(identifier_hash("email", email.strip().lower(), salt), "email") for email in person.emails]
    rows += [(identifier_hash("phone", phone, salt), "phone") for phone in person.phones]
    rows += [(identifier_hash(key_kind(system, person_table_of(system)[0]), record, salt), "record")
             for system, record in person.records]
    con.execute("create or replace temp table erased (hash varchar, kind varchar)")
    if rows:
        con.executemany("insert into erased values (?, ?)", rows)


def follow_owned_rows(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str, list[Column]]], salt: str,
                      prefix: str = "") -> dict[tuple[str, str], str]:
    """Add the keys of every row the person owns to `erased` until nothing new turns up (an order
    is theirs through its customer, its lines through the order); the condition per table."""
    conditions = {}
    for schema, table, columns in tables:
        condition = belongs_condition(columns, schema.removeprefix("raw_"), table, salt, hashes="erased")
        if condition:
            conditions[(schema, table)] = condition
    while True:
        before = con.execute("select count(*) from erased").fetchall()[0][0]
        for (schema, table), condition in conditions.items():
            system, key = schema.removeprefix("raw_"), table_key(schema.removeprefix("raw_"), table)
            columns = {column.name for column in next(c for s, t, c in tables if (s, t) == (schema, table))}
            if key is None or key not in columns:
                continue
            con.execute(f"""insert into erased
                select distinct {hashed(key_kind(system, table), f'cast("{key}" as varchar)', salt)}, 'record'
                from {prefix}"{schema}"."{table}" where {condition}
                except select hash, 'record' from erased""")
        if con.execute("select count(*) from erased").fetchall()[0][0] == before:
            return conditions


def bronze_plan(con: duckdb.DuckDBPyConnection, conditions: dict, salt: str, prefix: str = "") -> dict[str, int]:
    """Rows per bronze table that will go (the quarantine's records by the e-mails in them)."""
    plan = {}
    for (schema, table), condition in conditions.items():
        count = con.execute(f'select count(*) from {prefix}"{schema}"."{table}" where {condition}').fetchall()[0][0]
        if count:
            plan[f"{schema}.{table}"] = count
    return plan


# --- the steps after the bronze rows are gone ---------------------------------------------

def delete_beyond_bronze(con: duckdb.DuckDBPyConnection, person: Person) -> dict[str, int]:
    """Their rows in every non-bronze table keyed by customer or person record: the snapshot and the
    evaluation truth, which no build rebuilds, and the built layers in case the rebuild fails."""
    deleted = {}
    tables = con.execute(
        "select columns.table_schema, columns.table_name, list(columns.column_name) "
        "from information_schema.columns as columns join information_schema.tables as tables "
        "using (table_catalog, table_schema, table_name) where tables.table_type = 'BASE TABLE' "
        "and columns.table_schema not like 'raw\\_%' escape '\\' group by all").fetchall()
    for schema, table, columns in tables:
        tests = []
        if "customer_id" in columns:
            tests.append("cast(customer_id as varchar) in (select customer_id from erased_customers)")
        if "person_record_id" in columns:
            tests.append("cast(person_record_id as varchar) in (select person_record_id from erased_records)")
        if {"source_system", "source_record_id"} <= set(columns):
            tests.append("(source_system, source_record_id) in (select (source_system, source_record_id) "
                         "from erased_records)")
        if not tests:
            continue
        count = con.execute(f'delete from "{schema}"."{table}" where {" or ".join(tests)}').fetchall()[0][0]
        if count:
            deleted[f"{schema}.{table}"] = count
    return deleted


def delete_quarantined(con: duckdb.DuckDBPyConnection, salt: str) -> int:
    """Their quarantined records; the run record moves them from quarantined to suppressed so it
    still reconciles (rows read = loaded + quarantined + suppressed)."""
    present = con.execute("select count(*) from information_schema.tables "
                          "where table_schema = 'raw_ingest' and table_name = 'quarantine'").fetchall()[0][0]
    if not present:
        return 0
    condition = raw_record_condition("raw_record", salt, hashes="erased")
    con.execute(f"create or replace temp table erased_quarantine as select run_id, source_system, source_table "
                f"from raw_ingest.quarantine where {condition}")
    count = con.execute("select count(*) from erased_quarantine").fetchall()[0][0]
    if count:
        con.execute(f"delete from raw_ingest.quarantine where {condition}")
        con.execute("""update raw_ingest.source_runs as runs
            set rows_quarantined = runs.rows_quarantined - gone.rows,
                rows_suppressed = coalesce(runs.rows_suppressed, 0) + gone.rows
            from (select run_id, source_system, source_table, count(*) as rows from erased_quarantine group by all)
                as gone
            where runs.run_id = gone.run_id and runs.source_system = gone.source_system
              and runs.table_name = gone.source_table""")
    return count


def rebuild(config_path: Path, dbt_args: list[str]) -> float:
    """dbt build on what is left (the same vars as `make build`), from scratch: the incremental
    event tables would keep the rows of theirs they staged; seconds."""
    from ingest.run import landed_systems

    config = load_config(config_path)
    vars_ = dbt_vars(config, landed_systems(config, warehouse_path()))
    started = time.perf_counter()
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run([str(dbt), "build", "--quiet", "--full-refresh", "--vars", json.dumps(vars_), *dbt_args],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise EraseError("the rebuild after the erasure failed; their bronze rows, snapshot rows and built rows "
                         "are already gone, and the suppression list keeps them out. Fix the build and run "
                         "`make build FULL_REFRESH=1`, then `python -m c360.erase compact`. dbt said:\n"
                         + result.stdout[-3000:])
    return time.perf_counter() - started


def compact(warehouse: Path) -> float:
    """Copy the warehouse into a fresh file and swap it in: deleted rows leave their bytes in
    freed blocks, a copy has none. Seconds."""
    started = time.perf_counter()
    fresh = warehouse.with_name(f".{warehouse.stem}.compacting.duckdb")
    fresh.unlink(missing_ok=True)
    with duckdb.connect() as con:
        # the source keeps its own name: views written by dbt name their catalog
        con.execute(f"attach '{warehouse}' as \"{warehouse.stem}\" (read_only)")
        con.execute(f"attach '{fresh}' as compacted")
        con.execute(f"copy from database \"{warehouse.stem}\" to compacted")
    os.replace(fresh, warehouse)
    warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
    return time.perf_counter() - started


def drop_load_packages(bronze: Path) -> int:
    """dlt's local copies of what it loaded (and anything pending): the data is in bronze already."""
    removed = 0
    for pipeline in pipelines_dir(bronze).glob("*"):
        for folder in ("load/loaded", "load/normalized", "load/new", "normalize/extracted", "extract"):
            for package in (pipeline / folder).glob("*"):
                shutil.rmtree(package) if package.is_dir() else package.unlink()
                removed += 1
        (pipeline / "trace.pickle").unlink(missing_ok=True)
    return removed


def erase_from_lake(person: Person, salt: str) -> dict[str, int]:
    """The same rows out of the Parquet bronze (TARGET=spark), each touched table rewritten."""
    lake = lake_dir()
    folders = [folder for folder in lake.glob("raw_*/*") if any(folder.glob("*.parquet"))]
    if not folders:
        return {}
    with duckdb.connect() as con:
        for folder in folders:
            con.execute(f'create schema if not exists "{folder.parent.name}"')
            con.execute(f"""create view "{folder.parent.name}"."{folder.name}" as
                select * from read_parquet('{folder}/*.parquet', union_by_name = true)""")
        seed_hashes(con, person, salt)
        conditions = follow_owned_rows(con, _bronze_tables(con), salt)
        plan = bronze_plan(con, conditions, salt)
        for name in plan:
            schema, table = name.split(".")
            folder = lake / schema / table
            rewritten = folder / "_erasing.parquet"
            con.execute(f"""copy (select * from "{schema}"."{table}" where not ({conditions[(schema, table)]}))
                to '{rewritten}' (format parquet)""")
            for file in folder.glob("*.parquet"):
                if file != rewritten:
                    file.unlink()
            rewritten.rename(folder / f"{int(time.time())}.erased.parquet")
    drop_load_packages(lake)
    return plan


def leftovers(con: duckdb.DuckDBPyConnection, catalog: str, person: Person) -> list[str]:
    """`schema.table.column` wherever one of their e-mails, phones or names unique to them is left."""
    found = []
    columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                          "where table_catalog = $catalog and data_type = 'VARCHAR'", {"catalog": catalog}).fetchall()
    for schema, table, column in columns:
        quoted, name = '"' + column + '"', column.lower()
        # e-mails anywhere; phones and names where a column says it holds one (a surname can be a city)
        tests = [(f"lower(trim({quoted})) in (select unnest($emails))", "emails", person.emails)]
        if "phone" in name or "mobile" in name:
            tests.append((f"{phone_sql(quoted)} in (select unnest($phones))", "phones", person.phones))
        if "name" in name:
            tests.append((f"lower(trim({quoted})) in (select unnest($names))", "names", person.names))
        tests = [test for test in tests if test[2]]
        if not tests:
            continue
        count = con.execute(f'select count(*) from "{catalog}"."{schema}"."{table}" '
                            f"where {' or '.join(sql for sql, _, _ in tests)}",
                            {parameter: values for _, parameter, values in tests}).fetchall()[0][0]
        if count:
            found.append(f"{schema}.{table}.{column} ({count})")
    return found


def log_erasure(entry: dict) -> Path:
    path = privacy_dir() / "erasure_log.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write(json.dumps(entry) + "\n")
    return path


def erase(kind: str, value: str, config_path: Path, request_id: str | None = None, confirm=None,
          dbt_args: list[str] | None = None) -> dict:
    """Erase the person `kind = value`; `confirm(preview) -> bool` decides after the preview.
    Returns the log entry (no personal data)."""
    started = time.perf_counter()
    warehouse = warehouse_path()
    if not warehouse.exists():
        raise EraseError(f"no warehouse at {warehouse}: nothing to erase from")
    request_id = request_id or f"erasure-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    salt = secret()
    with duckdb.connect(str(warehouse)) as con:
        person = find_person(con, kind, value)
        tables = _bronze_tables(con)
        seed_hashes(con, person, salt)
        conditions = follow_owned_rows(con, tables, salt)
        plan = bronze_plan(con, conditions, salt)
        by_system: dict[str, int] = {}
        for system, _ in person.records:
            by_system[system] = by_system.get(system, 0) + 1
        preview = {"customers": len(person.customer_ids), "records_by_system": by_system, "bronze_rows": plan,
                   "shared_identifiers_kept": person.shared}
        if confirm is not None and not confirm(preview):
            raise EraseError("not confirmed: nothing was changed")
        hashes = con.execute("select distinct hash, kind from erased").fetchall()
        added = add_to_suppression_list(hashes, request_id)
        con.execute("begin")
        for (schema, table), condition in conditions.items():
            if f"{schema}.{table}" in plan:
                con.execute(f'delete from "{schema}"."{table}" where {condition}')
        quarantined = delete_quarantined(con, salt)
        beyond = delete_beyond_bronze(con, person)
        con.execute("commit")
    say(f"[erase] {sum(plan.values()):,} bronze rows, {quarantined:,} quarantined records and "
        f"{sum(beyond.values()):,} built or history rows deleted; rebuilding silver, identity and gold ...")
    rebuild_seconds = rebuild(config_path, dbt_args or [])
    compact_seconds = compact(warehouse)
    from c360.roles import RoleError, publish
    try:
        manifest = Path(next((arg for flag, arg in zip(dbt_args or [], (dbt_args or [])[1:], strict=False)
                              if flag == "--target-path"), PROJECT_ROOT / "target")) / "manifest.json"
        publish(manifest)
    except RoleError as error:
        raise EraseError(f"the role files could not be republished ({error}); "
                         "remove data/roles until they are") from error
    from c360.serving import index_path
    from c360.serving import publish as publish_serving
    if index_path().exists():  # the real-time service's copy of profiles and 360 rows
        flags = dict(zip(dbt_args or [], (dbt_args or [])[1:], strict=False))
        publish_serving(dbt_vars=flags.get("--vars"),
                        target=Path(flags["--target-path"]) if "--target-path" in flags else None)
    packages = drop_load_packages(warehouse)
    lake_rows = erase_from_lake(person, salt)
    if lakehouse_dir().exists():
        shutil.rmtree(lakehouse_dir())  # Spark's tables are built from the lake: the next Spark build remakes them
    left = []
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        left += leftovers(con, "warehouse", person)
        from c360.roles import roles_dir
        for path in [*sorted(roles_dir().glob("*.duckdb")), *[p for p in [index_path()] if p.exists()]]:
            con.execute(f"attach '{path}' as \"{path.stem}\" (read_only)")
            left += [f"{path.name}: {where}" for where in leftovers(con, path.stem, person)]
    entry = {
        "request_id": request_id, "erased_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "selected_by": kind, "customers": len(person.customer_ids), "records_by_system": by_system,
        "bronze_rows": plan, "quarantined_records": quarantined, "history_and_built_rows": beyond,
        "lake_rows": lake_rows, "suppression_entries_added": added, "dlt_packages_removed": packages,
        "shared_identifiers_kept": person.shared, "rebuild_seconds": round(rebuild_seconds, 1),
        "compact_seconds": round(compact_seconds, 1), "seconds": round(time.perf_counter() - started, 1),
        "verified": not left,
    }
    log_erasure(entry)
    if left:
        raise EraseError(f"after erasure their data is still in: {', '.join(left)}; logged as unverified "
                         f"({request_id})")
    return entry


def ask(preview: dict) -> bool:
    say(f"[erase] will erase {preview['customers']} customer(s) with their person records "
        f"{preview['records_by_system']}")
    for table, rows in preview["bronze_rows"].items():
        say(f"[erase]   {table}: {rows:,} rows")
    for kept in preview["shared_identifiers_kept"]:
        say(f"[erase]   kept: {kept}")
    if not sys.stdin.isatty():
        say("[erase] not confirmed: run again with YES=1 (make) or --yes to go ahead")
        return False
    return input("Type ERASE to go ahead: ").strip() == "ERASE"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Erase one person from every layer and keep them out.")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    for kind in SELECTORS:
        parser.add_argument(f"--{kind}", help=f"the person's {kind}" + (" (system:id)" if kind == "record" else ""))
    parser.add_argument("--request", help="the request's reference, kept in the erasure log")
    parser.add_argument("--yes", action="store_true", help="go ahead without asking")
    args, dbt_args = parser.parse_known_args(argv)
    chosen = [(kind, getattr(args, kind)) for kind in SELECTORS if getattr(args, kind)]
    if len(chosen) != 1:
        say("erase: name the person by exactly one of EMAIL=, PHONE=, CUSTOMER= or RECORD=system:id")
        return 2
    try:
        entry = erase(*chosen[0], args.config, args.request, None if args.yes else ask, dbt_args)
    except (EraseError, ConfigError) as error:
        say(f"erase: {error}")
        return 1
    say(f"[erase] done in {entry['seconds']:.1f}s (rebuild {entry['rebuild_seconds']:.1f}s, compaction "
        f"{entry['compact_seconds']:.1f}s); {entry['suppression_entries_added']} suppression entries added; "
        f"logged as {entry['request_id']} in {privacy_dir() / 'erasure_log.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
