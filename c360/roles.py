"""Role files: one read-only DuckDB file per role with PII masked for that role.

DuckDB has no users or grants, so the file is the access boundary: `make build` publishes
`data/roles/<role>.duckdb` for every role in config/roles.yml, each a fresh file of real tables
(not views over the warehouse), written beside and swapped in when complete. Which columns hold
PII comes from the dbt column meta (`pii: contact` for contact details, `pii: sensitive` for
the rest). In untagged text columns, a value shaped like an e-mail or a phone number (a record id
that is an e-mail) is masked too; a pseudonymised role's file is then scanned, and any such
value left (in a list or a struct) stops the publish, naming the column to tag.

    python -m c360.roles publish [--manifest target/manifest.json]
    python -m c360.roles check ROLE      # scan a published file for e-mail and phone shapes
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from c360.privacy import secret
from ingest.settings import PROJECT_ROOT, warehouse_path

POLICIES = ("hashed", "contactable", "clear")
EMAIL_SHAPE = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
PHONE_SHAPE = r"(^|[^0-9A-Za-z])\+[1-9][0-9]{7,14}($|[^0-9])"  # E.164 as silver writes it


class RoleError(Exception):
    """A role configuration, a missing role file or PII found where none may be; says what to do."""


@dataclass(frozen=True)
class Role:
    name: str
    pii: str  # one of POLICIES
    external_access: bool


@dataclass(frozen=True)
class RolesConfig:
    default_role: str
    tables: tuple[str, ...]
    roles: dict[str, Role]
    path: Path


def roles_config_path() -> Path:
    path = Path(os.environ.get("C360_ROLES_CONFIG", PROJECT_ROOT / "config" / "roles.yml"))
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_roles(path: Path | None = None) -> RolesConfig:
    path = path or roles_config_path()
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise RoleError(f"cannot read the roles configuration {path}: {error}") from error
    roles = {}
    for name, spec in (raw.get("roles") or {}).items():
        spec = spec or {}
        if spec.get("pii") not in POLICIES:
            raise RoleError(f"{path}: role '{name}' has pii: {spec.get('pii')!r}; use one of {', '.join(POLICIES)}")
        roles[name] = Role(name, spec["pii"], bool(spec.get("external_access", False)))
    if not roles:
        raise RoleError(f"{path} declares no roles")
    default = raw.get("default_role") or min(roles.values(), key=lambda role: POLICIES.index(role.pii)).name
    if default not in roles:
        raise RoleError(f"{path}: default_role '{default}' is not one of the roles ({', '.join(roles)})")
    return RolesConfig(default, tuple(raw.get("tables") or ("marts.*",)), roles, path)


def roles_dir() -> Path:
    return warehouse_path().parent / "roles"


def role_file(role: str) -> Path:
    return roles_dir() / f"{role}.duckdb"


def pii_columns(manifest: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(schema, table) -> {column: 'contact' | 'sensitive'} from the dbt manifest's column meta."""
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError) as error:
        raise RoleError(f"cannot read dbt's manifest {manifest} ({error}): run `make build` first") from error
    found: dict[tuple[str, str], dict[str, str]] = {}
    for node in [*data.get("nodes", {}).values(), *data.get("sources", {}).values()]:
        table = node.get("identifier") or node.get("alias") or node.get("name")
        for column, spec in (node.get("columns") or {}).items():
            kind = (spec.get("meta") or {}).get("pii")
            if kind:
                found.setdefault((node["schema"], table), {})[column] = "contact" if kind == "contact" else "sensitive"
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _token(quoted: str, salt: str) -> str:
    return f"'pii_' || left(sha256('{salt}|mask|' || lower(trim({quoted}))), 16)"


def untagged_expression(column: str, data_type: str, role: Role, salt: str) -> str:
    """An untagged column as `role` may see it: a text value shaped like an e-mail or a phone
    number (a record id that is an e-mail, say) becomes its token, everything else stays."""
    quoted = f"source.{_quoted(column)}"
    if role.pii == "clear" or data_type.upper() != "VARCHAR":
        return quoted
    shaped = (f"regexp_matches({quoted}, '{EMAIL_SHAPE.replace(chr(39), chr(39) * 2)}') "
              f"or regexp_matches({quoted}, '{PHONE_SHAPE}')")
    return f"case when {shaped} then {_token(quoted, salt)} else {quoted} end"


def masked_expression(column: str, data_type: str, kind: str, role: Role, salt: str, consent: str | None) -> str:
    """A tagged column as `role` may see it."""
    quoted = f"source.{_quoted(column)}"
    if data_type.upper() == "VARCHAR":
        hidden = f"case when {quoted} is null then null else {_token(quoted, salt)} end"
    else:
        hidden = f"cast(null as {data_type})"
    if role.pii == "clear":
        return quoted
    if role.pii == "contactable" and kind == "contact" and consent is not None:
        return f"case when {consent} then {quoted} else {hidden} end"
    return hidden


def _published_tables(con: duckdb.DuckDBPyConnection, patterns: tuple[str, ...]) -> list[tuple[str, str]]:
    tables = con.execute("select table_schema, table_name from information_schema.tables "
                         "where table_catalog = 'warehouse' order by 1, 2").fetchall()
    return [(schema, table) for schema, table in tables
            if any(fnmatch.fnmatchcase(f"{schema}.{table}", pattern) for pattern in patterns)]


def _consent_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Who may be contacted, by customer and by person record (nobody, without a gold layer)."""
    has_gold = con.execute("select count(*) from information_schema.tables where table_catalog = 'warehouse' "
                           "and table_schema = 'marts' and table_name = 'gold_cust_360'").fetchall()[0][0]
    if has_gold:
        con.execute("create temp table consent_by_customer as select customer_id, is_contactable "
                    "from warehouse.marts.gold_cust_360")
        con.execute("create temp table consent_by_record as select identity.person_record_id, "
                    "customers.is_contactable from warehouse.marts.customer_identity_map as identity "
                    "join consent_by_customer as customers using (customer_id)")
    else:
        con.execute("create temp table consent_by_customer (customer_id varchar, is_contactable boolean)")
        con.execute("create temp table consent_by_record (person_record_id varchar, is_contactable boolean)")


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, pii: dict[str, str], role: Role,
                salt: str) -> None:
    columns = con.execute("select column_name, data_type from information_schema.columns where table_catalog = "
                          "'warehouse' and table_schema = ? and table_name = ? order by ordinal_position",
                          [schema, table]).fetchall()
    names = {name for name, _ in columns}
    joins, consent = "", None
    if role.pii == "contactable" and pii:
        if "customer_id" in names:
            joins, consent = ("left join consent_by_customer as consent using (customer_id)",
                              "coalesce(consent.is_contactable, false)")
        elif "person_record_id" in names:
            joins, consent = ("left join consent_by_record as consent using (person_record_id)",
                              "coalesce(consent.is_contactable, false)")
    selects = [f"{masked_expression(name, data_type, pii[name], role, salt, consent)} as {_quoted(name)}"
               if name in pii else f"{untagged_expression(name, data_type, role, salt)} as {_quoted(name)}"
               for name, data_type in columns]
    con.execute(f"create schema if not exists {_quoted(schema)}")
    con.execute(f"create table {_quoted(schema)}.{_quoted(table)} as select {', '.join(selects)} "
                f"from warehouse.{_quoted(schema)}.{_quoted(table)} as source {joins}")


def pii_findings(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """`schema.table.column: N values shaped like an e-mail / a phone` for every text-bearing column
    of `catalog` (lists and structs read as their text)."""
    columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                          "where table_catalog = ? and (data_type = 'VARCHAR' or data_type like '%[]' "
                          "or data_type like 'STRUCT%' or data_type = 'JSON') order by 1, 2, 3", [catalog]).fetchall()
    findings = []
    for schema, table, column in columns:
        text = f"cast({_quoted(column)} as varchar)"
        emails, phones = con.execute(
            f"select count(*) filter (where regexp_matches({text}, $email)), "
            f"count(*) filter (where regexp_matches({text}, $phone)) "
            f"from {_quoted(catalog)}.{_quoted(schema)}.{_quoted(table)}",
            {"email": EMAIL_SHAPE, "phone": PHONE_SHAPE}).fetchall()[0]
        if emails or phones:
            findings.append(f"{schema}.{table}.{column}: {emails:,} values shaped like an e-mail, "
                            f"{phones:,} like a phone number")
    return findings


def publish(manifest: Path | None = None, config: RolesConfig | None = None,
            warehouse: Path | None = None) -> dict[str, dict]:
    """Publish every role's file; {role: {path, tables, seconds}}."""
    config = config or load_roles()
    warehouse = warehouse or warehouse_path()
    pii = pii_columns(manifest or PROJECT_ROOT / "target" / "manifest.json")
    salt = secret()
    roles_dir().mkdir(parents=True, exist_ok=True)
    published = {}
    for role in config.roles.values():
        started = time.perf_counter()
        final, building = role_file(role.name), roles_dir() / f".{role.name}.building.duckdb"
        building.unlink(missing_ok=True)
        with duckdb.connect(str(building)) as con:
            con.execute(f"attach '{warehouse}' as warehouse (read_only)")
            tables = _published_tables(con, config.tables)
            _consent_tables(con)
            for schema, table in tables:
                _copy_table(con, schema, table, pii.get((schema, table), {}), role, salt)
            con.execute("detach warehouse")
            catalog = con.execute("select current_database()").fetchall()[0][0]
            findings = pii_findings(con, catalog) if role.pii == "hashed" else []
        if findings:
            building.unlink()
            raise RoleError(f"role '{role.name}' would see personal data in columns not tagged as PII: "
                            + "; ".join(findings) + ". Tag each in its model's yml (meta: {pii: contact} or "
                            "{pii: sensitive}) and build again; nothing was published for this role.")
        building.chmod(0o444)
        os.replace(building, final)
        published[role.name] = {"path": str(final), "tables": len(tables),
                                "seconds": round(time.perf_counter() - started, 2)}
    return published


# Not a role: the warehouse file itself (every layer, bronze included), for whoever owns the files.
OWNER = "warehouse"


def reader(role: str | None = None) -> tuple[Path, dict, str]:
    """(the file to read, DuckDB settings for the connection, the role) for `role`, else $C360_ROLE
    (`make ... ROLE=`), else
    the configured default (the least privileged). External file access is off unless the role has it."""
    config = load_roles()
    name = role or os.environ.get("C360_ROLE") or config.default_role
    if name == OWNER:
        return warehouse_path(), {}, name
    if name not in config.roles:
        raise RoleError(f"ROLE={name}: no such role in {config.path} (roles: {', '.join(config.roles)}; "
                        f"ROLE={OWNER} reads the warehouse itself)")
    path = role_file(name)
    if not path.exists():
        if not warehouse_path().exists():
            raise RoleError(f"No warehouse at {warehouse_path()}. Run `make run` to build the demo.")
        raise RoleError(f"no file for role '{name}' at {path}: run `make build` (it publishes the role files)")
    settings = {} if config.roles[name].external_access else {"enable_external_access": False,
                                                              "lock_configuration": True}
    return path, settings, name


def connect(role: str | None = None) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A read-only connection for `role` (see `reader`): (connection, role)."""
    path, settings, name = reader(role)
    return duckdb.connect(str(path), read_only=True, config=settings), name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish or check the per-role DuckDB files.")
    commands = parser.add_subparsers(dest="command", required=True)
    publishing = commands.add_parser("publish", help="publish every role's file from the warehouse")
    publishing.add_argument("--manifest", type=Path, default=PROJECT_ROOT / "target" / "manifest.json")
    checking = commands.add_parser("check", help="scan a role's file for e-mail and phone shaped values")
    checking.add_argument("role")
    args = parser.parse_args(argv)
    try:
        if args.command == "publish":
            for name, done in publish(args.manifest).items():
                print(f"role file: {done['path']} ({name}, {done['tables']} tables, {done['seconds']:.1f}s)")
            return 0
        con, name = connect(args.role)
        with con:
            findings = pii_findings(con, con.execute("select current_database()").fetchall()[0][0])
        print("\n".join(findings) or f"{name}: no e-mail or phone shaped values")
        return 1 if findings else 0
    except RoleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
