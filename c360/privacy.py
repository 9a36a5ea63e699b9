"""Who a bronze row belongs to, and the suppression list that keeps erased people out.

One predicate serves erasure (`c360.erase`: which bronze rows are the person's) and ingest
(which incoming rows belong to someone erased): a row belongs to the people behind a set of
salted hashes when any of these hashes is in the set:
- an e-mail in a column named like `email` (trimmed, lower case);
- a phone in a column named like `phone` or `mobile` (its last 9 digits: the number without
  country code or trunk prefix, however the source wrote it);
- the row's own key, for person-record tables and the tables other rows point at;
- the key it points at (an order's customer, an order line's order: BELONGS_TO), or the person
  record an export row names (`customer_system`, `customer_record_id`).

The list (`<privacy dir>/suppression.csv`) holds only salted SHA-256 hashes, never the values;
the salt is a random secret in the same folder, made on first use. No build rebuilds either:
they live beside the warehouse (`C360_PRIVACY_DIR`, default `<warehouse folder>/privacy`) and
`make clean` keeps them.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.settings import PROJECT_ROOT, warehouse_path

# Bronze tables whose rows are person records: (system, table) -> the column silver calls
# source_record_id. A person file or an export's buyers land as `person_records`.
PERSON_RECORD_TABLES = {
    ("crm_a", "contacts"): "id",
    ("crm_b", "contacts"): "contactid",
    ("shop", "customers"): "customer_id",
    ("email", "subscribers"): "subscriber_id",
    ("payments", "payments"): "id",
    ("support", "tickets"): "ticket_id",
}
PERSON_FILE_TABLE, PERSON_FILE_KEY = "person_records", "source_record_id"

# Rows that belong to whoever owns the row they point at: (system, table, column) -> (system, table, key).
BELONGS_TO = {
    ("shop", "orders", "customer_id"): ("shop", "customers", "customer_id"),
    ("shop", "order_lines", "order_id"): ("shop", "orders", "order_id"),
    ("payments", "refunds", "payment_id"): ("payments", "payments", "id"),
    ("web", "events", "customer_id"): ("shop", "customers", "customer_id"),
    ("email", "events", "subscriber_id"): ("email", "subscribers", "subscriber_id"),
}

EMAIL_PATTERN = r"[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}"


def privacy_dir() -> Path:
    """Where the suppression list, its salt and the erasure log live (`C360_PRIVACY_DIR`)."""
    configured = os.environ.get("C360_PRIVACY_DIR")
    if not configured:
        return warehouse_path().parent / "privacy"
    path = Path(configured)
    return path if path.is_absolute() else PROJECT_ROOT / path


def secret() -> str:
    """The salt of every hash: random, made once, readable by its owner only."""
    path = privacy_dir() / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalised_name(name: str) -> str:
    """A column name compared case- and punctuation-blind (`Id`, `customer_id`, `CustomerId`)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def table_key(system: str, table: str) -> str | None:
    """The key column of a person-record table or of a table other rows point at."""
    if (system, table) in PERSON_RECORD_TABLES:
        return PERSON_RECORD_TABLES[(system, table)]
    if table == PERSON_FILE_TABLE:
        return PERSON_FILE_KEY
    pointed_at = {(to_system, to_table): key for to_system, to_table, key in BELONGS_TO.values()}
    return pointed_at.get((system, table))


def person_table_of(system: str) -> tuple[str, str]:
    """The bronze table holding `system`'s person records and its id column."""
    for (record_system, table), key in PERSON_RECORD_TABLES.items():
        if record_system == system:
            return table, key
    return PERSON_FILE_TABLE, PERSON_FILE_KEY


# --- the hashed forms, in SQL so they run set-based over whole tables ---------------------

def email_sql(column: str) -> str:
    return f"nullif(lower(trim(cast({column} as varchar))), '')"


def phone_sql(column: str) -> str:
    digits = f"regexp_replace(cast({column} as varchar), '[^0-9]', '', 'g')"
    return f"case when length({digits}) >= 7 then right({digits}, 9) end"


def hashed(kind: str, value_sql: str, salt: str) -> str:
    """sha256(salt|kind|value): `kind` is email, phone or `key|<system>|<table>`."""
    return f"sha256('{salt}|{kind}|' || {value_sql})"


def key_kind(system: str, table: str) -> str:
    return f"key|{system}|{table}"


def identifier_hash(kind: str, value: str, salt: str) -> str:
    """`hashed` in Python, for a value already in its compared form (lower-case e-mail, 9 digits)."""
    return hashlib.sha256(f"{salt}|{kind}|{value}".encode()).hexdigest()


@dataclass(frozen=True)
class Column:
    name: str
    is_text: bool


def belongs_condition(columns: list[Column], system: str, table: str, salt: str,
                      hashes: str = "suppressed") -> str | None:
    """SQL true for rows of `system.table` that belong to the people in `hashes` (a relation
    with one column `hash`), or None when nothing in the table can tie a row to a person."""
    by_name = {normalised_name(column.name): column for column in columns}
    tests = []

    def quoted(column: Column) -> str:
        return '"' + column.name.replace('"', '""') + '"'

    for column in columns:
        name = normalised_name(column.name)
        if column.is_text and "email" in name:
            tests.append(hashed("email", email_sql(quoted(column)), salt))
        elif "phone" in name or "mobile" in name:
            tests.append(hashed("phone", phone_sql(quoted(column)), salt))
    own_key = table_key(system, table)
    if own_key and normalised_name(own_key) in by_name:
        tests.append(hashed(key_kind(system, table), f"cast({quoted(by_name[normalised_name(own_key)])} as varchar)",
                            salt))
    for (from_system, from_table, column), (to_system, to_table, _) in BELONGS_TO.items():
        if (from_system, from_table) == (system, table) and normalised_name(column) in by_name:
            tests.append(hashed(key_kind(to_system, to_table),
                                f"cast({quoted(by_name[normalised_name(column)])} as varchar)", salt))
    if "customersystem" in by_name and "customerrecordid" in by_name:
        # an export row names its person record: hash it with that system's person table
        system_column = quoted(by_name["customersystem"])
        record_column = quoted(by_name["customerrecordid"])
        cases = " ".join(f"when {system_column} = '{s}' then '{key_kind(s, t)}'"
                         for (s, t) in PERSON_RECORD_TABLES)
        kind = f"case {cases} else 'key|' || {system_column} || '|{PERSON_FILE_TABLE}' end"
        tests.append(f"sha256('{salt}|' || {kind} || '|' || cast({record_column} as varchar))")
    if not tests:
        return None
    return " or ".join(f"coalesce({test} in (select hash from {hashes}), false)" for test in tests)


def raw_record_condition(column: str, salt: str, hashes: str = "suppressed") -> str:
    """For a quarantined record kept as text: true when an e-mail in it is in `hashes`."""
    pattern = EMAIL_PATTERN.replace("'", "''")
    found = f"regexp_extract_all(lower({column}), '{pattern}')"
    return (f"coalesce(list_has_any(list_transform({found}, lambda found: {hashed('email', 'found', salt)}), "
            f"(select list(hash) from {hashes})), false)")


# --- the list ------------------------------------------------------------------------------

SUPPRESSION_FIELDS = ("hash", "kind", "added_at", "request_id")


def suppression_file() -> Path:
    return privacy_dir() / "suppression.csv"


def suppression_hashes() -> list[str]:
    path = suppression_file()
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [row["hash"] for row in csv.DictReader(handle)]


def add_to_suppression_list(entries: list[tuple[str, str]], request_id: str) -> int:
    """Append (hash, kind) pairs not listed yet; the number added."""
    path = suppression_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    known = set(suppression_hashes())
    new = {hash_: kind for hash_, kind in entries if hash_ not in known}
    fresh = not path.exists()
    with path.open("a", newline="") as handle:
        writer = csv.writer(handle)
        if fresh:
            writer.writerow(SUPPRESSION_FIELDS)
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        writer.writerows((hash_, kind, added_at, request_id) for hash_, kind in sorted(new.items()))
    return len(new)


# --- ingest: incoming rows of erased people never land ---------------------------------------

class Suppression:
    """The list as ingest reads it, loaded once per run; empty lists cost nothing."""

    def __init__(self) -> None:
        self.hashes = pa.table({"hash": pa.array(suppression_hashes(), pa.string())})
        self.salt = secret() if self.hashes.num_rows else ""

    def __bool__(self) -> bool:
        return self.hashes.num_rows > 0

    def split(self, rows: pa.Table, system: str, table: str) -> tuple[pa.Table, int]:
        """(the rows that belong to no one erased, how many were left out)."""
        if not self or rows.num_rows == 0:
            return rows, 0
        columns = [Column(field.name, pa.types.is_string(field.type) or pa.types.is_large_string(field.type))
                   for field in rows.schema]
        condition = belongs_condition(columns, system, table, self.salt)
        if condition is None:
            return rows, 0
        with duckdb.connect() as con:
            con.register("incoming", rows)
            con.register("suppressed", self.hashes)
            kept = con.sql(f"select * from incoming where not ({condition})").to_arrow_table()
        return kept.cast(rows.schema), rows.num_rows - kept.num_rows

    def leave_out(self, clean: pa.Table, rejects: pa.Table, system: str, table: str) -> tuple[pa.Table, pa.Table, int]:
        """Clean and quarantined rows without erased people's: (clean, rejects, how many left out)."""
        clean, from_clean = self.split(clean, system, table)
        rejects, from_rejects = self.split_rejects(rejects)
        return clean, rejects, from_clean + from_rejects

    def split_rejects(self, rejects: pa.Table) -> tuple[pa.Table, int]:
        """Quarantined records (raw text) that name an erased person's e-mail are left out too."""
        if not self or rejects.num_rows == 0:
            return rejects, 0
        with duckdb.connect() as con:
            con.register("incoming", rejects)
            con.register("suppressed", self.hashes)
            kept = con.sql(f"select * from incoming where raw_record is null or not "
                           f"({raw_record_condition('raw_record', self.salt)})").to_arrow_table()
        return kept.cast(rejects.schema), rejects.num_rows - kept.num_rows


_loaded: dict[tuple[Path, int], Suppression] = {}


def suppression() -> Suppression:
    """The list as it is on disk now (read again only when the file changed)."""
    path = suppression_file()
    version = (path, path.stat().st_mtime_ns if path.exists() else 0)
    if version not in _loaded:
        _loaded.clear()
        _loaded[version] = Suppression()
    return _loaded[version]
