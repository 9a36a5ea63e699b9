"""The run configuration: which source systems to ingest, from where, plus bring-your-own person files.

The YAML file (default `config/demo.yml`) is validated up front so a typo fails with a
message that names the key and the file, before anything is loaded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.settings import PROJECT_ROOT

DEMO_SYSTEMS = ("crm_a", "crm_b", "shop", "payments", "support", "web", "email", "marketing")

# The canonical person fields a bring-your-own file can map its columns onto (DESIGN.md);
# full_name is split into first and last name by silver where those are not given.
PERSON_FIELDS = (
    "first_name", "last_name", "full_name", "email", "phone", "date_of_birth", "address_line1",
    "address_line2", "city", "state", "postcode", "country", "created_at", "updated_at",
)

# Columns a person file may declare a date format for (strftime codes, e.g. "%d/%m/%Y").
DATE_FIELDS = ("date_of_birth", "created_at", "updated_at")
FILE_FORMATS = ("csv", "parquet", "jsonl")
# Encodings DuckDB's CSV reader decodes itself (others would need a transcoding step).
ENCODINGS = ("utf-8", "latin-1", "utf-16")

# raw_<system> must not land beside the audit (raw_ingest) or shadow the dbt layers.
RESERVED_SYSTEMS = ("ingest", "staging", "intermediate", "marts", "snapshots", "main", "information_schema")

_SYSTEM_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_IDENTIFIER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


class ConfigError(ValueError):
    """A configuration problem the user can fix: the message says what and where."""


def _reject_unknown(keys: object, allowed: tuple[str, ...] | set[str], label: str) -> None:
    """Unknown keys fail with the nearest allowed one suggested (`delimeter` -> `delimiter`)."""
    unknown = sorted(set(keys) - set(allowed))  # type: ignore[arg-type]
    if not unknown:
        return
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(str(key), list(allowed), n=1)
        hints.append(f"{key!r} (did you mean {close[0]!r}?)" if close else repr(key))
    raise ConfigError(f"{label}: unknown keys {', '.join(hints)}; allowed: {', '.join(sorted(allowed))}")


@dataclass(frozen=True)
class DemoConfig:
    enabled: bool = True
    data_dir: Path = PROJECT_ROOT / "data" / "demo"
    people: int = 3000
    seed: int = 42
    batch: int = 1
    systems: tuple[str, ...] = DEMO_SYSTEMS

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"


@dataclass(frozen=True)
class PersonFile:
    """An extra file of person records (e.g. a CRM export) and how its columns map to ours."""

    system: str
    path: Path | None  # the file, or None when the records are in a SQL table
    id_column: str
    # canonical field -> the file's column, or its columns joined with a space in order
    # (a house number and a street held apart: address_line1: [street_number, street])
    columns: dict[str, tuple[str, ...]]
    format: str  # one of FILE_FORMATS
    # extra identifiers a person keeps across systems (loyalty number, national id):
    # name -> the file's column; compared as identifiers by identity resolution
    identifiers: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None  # CSV only; None: detected from the file
    encoding: str | None = None  # CSV only; None: UTF-8, or Latin-1 when the bytes are not UTF-8
    # canonical date field -> its strftime format; undeclared ones are inferred per file
    date_formats: dict[str, str] = field(default_factory=dict)
    table: tuple[str, str] | None = None  # (SQLAlchemy URL, table name) instead of a file


@dataclass(frozen=True)
class ExportFile:
    """A company's own export of one kind of activity (orders, payments, support tickets) and
    how its columns map onto that kind's contract (ingest/contracts.py)."""

    system: str
    kind: str
    path: Path | None  # the file, or None when the records are in a SQL table
    # the column(s) whose value is the record's id; several when only together they name it (an
    # e-mail platform's activity: campaign, address, action and time)
    id_columns: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]  # contract field -> the file's column(s)
    format: str
    # orders only: the line-item fields found on the same rows (a row per line item)
    lines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the person on each row (buyer, payer, requester) as a person record of this system
    person: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # or the person record the row names: (system, the file's column holding its id)
    customer: tuple[str, str] | None = None
    currency: str | None = None  # when the file has no currency column
    # fields every row of the file has the same value of (an ad platform's spend is paid_search)
    values: dict[str, str] = field(default_factory=dict)
    decimal: str = "."  # the decimal separator of its amounts
    delimiter: str | None = None
    encoding: str | None = None
    date_formats: dict[str, str] = field(default_factory=dict)
    table: tuple[str, str] | None = None  # (SQLAlchemy URL, table name) instead of a file


@dataclass(frozen=True)
class RunConfig:
    source_file: Path
    demo: DemoConfig
    person_files: tuple[PersonFile, ...] = field(default_factory=tuple)
    exports: tuple[ExportFile, ...] = field(default_factory=tuple)

    @property
    def systems(self) -> list[str]:
        demo = list(self.demo.systems) if self.demo.enabled else []
        return (demo + [person_file.system for person_file in self.person_files]
                + [export.system for export in self.exports])


def _resolve(path: str | Path, base: Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def load_config(path: str | Path) -> RunConfig:
    """Read and validate a run configuration; relative paths are relative to the project root."""
    config_path = _resolve(path, PROJECT_ROOT)
    if not config_path.exists():
        raise ConfigError(f"config file {config_path} does not exist")
    try:
        raw = yaml.safe_load(config_path.read_text()) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{config_path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path}: expected a mapping at the top level")
    _reject_unknown(raw, ("demo", "person_files", "exports"), str(config_path))
    demo = _load_demo(raw.get("demo") or {}, config_path)
    person_files = tuple(
        _load_person_file(entry, index, config_path)
        for index, entry in enumerate(raw.get("person_files") or [])
    )
    exports = tuple(_load_export(entry, index, config_path) for index, entry in enumerate(raw.get("exports") or []))
    systems = [f.system for f in person_files] + [e.system for e in exports]
    clashes = {s for s in systems if systems.count(s) > 1 or (demo.enabled and s in demo.systems)}
    if clashes:
        raise ConfigError(f"{config_path}: person_files and exports system names must be unique and differ "
                          f"from the demo systems; clashing: {sorted(clashes)}")
    people = set(systems) | (set(demo.systems) if demo.enabled else set())
    for export in exports:
        if export.customer and export.customer[0] not in people:
            raise ConfigError(f"{config_path}: exports '{export.system}': customer.system {export.customer[0]!r} "
                              f"is not a configured system; configured: {sorted(people)}")
    if not demo.enabled and not person_files and not exports:
        raise ConfigError(f"{config_path}: the demo is switched off and no person_files or exports are "
                          "given: there is nothing to ingest")
    return RunConfig(source_file=config_path, demo=demo, person_files=person_files, exports=exports)


def _load_demo(raw: dict[str, Any], where: Path) -> DemoConfig:
    _reject_unknown(raw, ("enabled", "data_dir", "people", "seed", "batch", "systems"), f"{where}: demo")
    systems = tuple(raw.get("systems") or DEMO_SYSTEMS)
    bad = [s for s in systems if s not in DEMO_SYSTEMS]
    if bad:
        raise ConfigError(f"{where}: demo.systems: unknown systems {bad}; known: {list(DEMO_SYSTEMS)}")
    people = int(raw.get("people", DemoConfig.people))
    if people < 10:
        raise ConfigError(f"{where}: demo.people must be at least 10, got {people}")
    return DemoConfig(
        enabled=bool(raw.get("enabled", True)),
        data_dir=_resolve(raw.get("data_dir", DemoConfig.data_dir), PROJECT_ROOT),
        people=people,
        seed=int(raw.get("seed", DemoConfig.seed)),
        batch=int(raw.get("batch", DemoConfig.batch)),
        systems=systems,
    )


def _load_person_file(raw: Any, index: int, where: Path) -> PersonFile:
    label = f"{where}: person_files[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{label}: expected a mapping with system, path, id_column, columns")
    missing = [key for key in ("system", "id_column", "columns") if key not in raw]
    if missing:
        raise ConfigError(f"{label}: missing keys {missing}")
    _reject_unknown(raw, ("system", "path", "table", "id_column", "columns", "identifiers", "format", "delimiter",
                          "encoding", "date_formats"), label)
    system = _system_name(raw, label)
    mapped = _mapping(raw["columns"], PERSON_FIELDS, f"{label}: columns (canonical fields)")
    identifiers = raw.get("identifiers") or {}
    if not isinstance(identifiers, dict) or not all(
            _IDENTIFIER_NAME.match(str(name)) and isinstance(column, str) for name, column in identifiers.items()):
        raise ConfigError(f"{label}: identifiers must map a name (lower-case letters, digits, underscores) to "
                          "one of the file's columns, e.g. {loyalty_number: member_card}")
    path, table = _location(raw, label, where)
    options = _file_options(raw, path, label, DATE_FIELDS)
    return PersonFile(system=system, path=path, table=table, id_column=str(raw["id_column"]), columns=mapped,
                      identifiers={str(name): column for name, column in identifiers.items()}, **options)


def _system_name(raw: dict, label: str) -> str:
    system = str(raw["system"])
    if not _SYSTEM_NAME.match(system):
        raise ConfigError(f"{label}: system {system!r} must be lower-case letters, digits and "
                          "underscores (it becomes the schema raw_<system>)")
    if system in RESERVED_SYSTEMS:
        raise ConfigError(f"{label}: system {system!r} is reserved (raw_{system} or {system} is a schema the "
                          f"project writes); pick another name, e.g. {system}_export")
    return system


def _mapping(raw: Any, allowed: tuple[str, ...], label: str) -> dict[str, tuple[str, ...]]:
    """{field: column or [columns]} checked against the allowed fields."""
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{label}: map fields to the file's columns, e.g. {{{allowed[0]}: <column>}}")
    _reject_unknown(raw, allowed, label)
    mapped = {}
    for name, source in raw.items():
        sources = tuple(str(column) for column in source) if isinstance(source, list) else (str(source),)
        if not sources or not all(sources):
            raise ConfigError(f"{label}.{name}: give a column name or a list of column names")
        mapped[str(name)] = sources
    return mapped


def _location(raw: dict, label: str, where: Path) -> tuple[Path | None, tuple[str, str] | None]:
    """A file (`path`, relative to the configuration) or a SQL table (`table: {url, name}`)."""
    if ("path" in raw) == ("table" in raw):
        raise ConfigError(f"{label}: give path (a file) or table ({{url: <SQLAlchemy URL>, name: <table>}}), "
                          "one of the two")
    if "path" in raw:
        return _resolve(raw["path"], where.parent), None
    table = raw["table"]
    if not isinstance(table, dict) or set(table) != {"url", "name"}:
        raise ConfigError(f"{label}: table must be {{url: sqlite:///shop.db (or postgresql://...), name: <table>}}")
    url = str(table["url"])
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):  # relative to the configuration
        url = "sqlite:///" + str(_resolve(url.removeprefix("sqlite:///"), where.parent))
    return None, (url, str(table["name"]))


def _file_options(raw: dict, path: Path | None, label: str, date_fields: tuple[str, ...]) -> dict[str, Any]:
    """format, delimiter, encoding and date_formats: what a file says about how it is written."""
    suffix = path.suffix.lstrip(".").lower() if path else "csv"  # a table is read as text, like a CSV
    file_format = str(raw.get("format") or {"txt": "csv", "tsv": "csv", "ndjson": "jsonl"}.get(suffix, suffix))
    if file_format not in FILE_FORMATS:
        raise ConfigError(f"{label}: format {file_format!r} not supported; use one of {', '.join(FILE_FORMATS)} "
                          "(set format: when the file name does not say)")
    delimiter = raw.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise ConfigError(f"{label}: delimiter must be one character, e.g. ';' or '\\t'; got {delimiter!r}")
    encoding = raw.get("encoding")
    if encoding is not None:
        encoding = str(encoding).lower().replace("_", "-")
        encoding = {"utf8": "utf-8", "latin1": "latin-1", "iso-8859-1": "latin-1", "utf16": "utf-16"}.get(
            encoding, encoding)
    if encoding is not None and encoding not in ENCODINGS:
        raise ConfigError(f"{label}: encoding {raw.get('encoding')!r} not supported; use one of "
                          f"{', '.join(ENCODINGS)} (Windows-1252 files read as latin-1 except for a few symbols)")
    date_formats = raw.get("date_formats") or {}
    if not isinstance(date_formats, dict):
        raise ConfigError(f"{label}: date_formats must map a date field to a format, e.g. "
                          f"{{{date_fields[0]}: '%d/%m/%Y'}}")
    _reject_unknown(date_formats, date_fields, f"{label}: date_formats")
    for name, pattern in date_formats.items():
        if not isinstance(pattern, str) or "%" not in pattern:
            raise ConfigError(f"{label}: date_formats.{name}: {pattern!r} is not a strftime format such as "
                              "'%d/%m/%Y', '%Y%m%d' or '%d %b %Y'")
    return {"format": file_format, "delimiter": delimiter, "encoding": encoding,
            "date_formats": {str(name): str(pattern) for name, pattern in date_formats.items()}}


def _load_export(raw: Any, index: int, where: Path) -> ExportFile:
    from ingest.contracts import EXPORT_KINDS, kinds

    label = f"{where}: exports[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{label}: expected a mapping with system, kind, path, id_column, columns")
    missing = [key for key in ("system", "kind", "id_column", "columns") if key not in raw]
    if missing:
        raise ConfigError(f"{label}: missing keys {missing}")
    _reject_unknown(raw, ("system", "kind", "path", "table", "id_column", "columns", "lines", "person", "customer",
                          "currency", "values", "decimal", "format", "delimiter", "encoding", "date_formats"), label)
    system = _system_name(raw, label)
    kind_name = str(raw["kind"])
    if kind_name not in EXPORT_KINDS:
        close = difflib.get_close_matches(kind_name, EXPORT_KINDS, n=1)
        raise ConfigError(f"{label}: kind {kind_name!r} is not one of {', '.join(EXPORT_KINDS)}"
                          + (f" (did you mean {close[0]!r}?)" if close else ""))
    kind = kinds()[kind_name]
    columns = _mapping(raw["columns"], kind.mappable, f"{label}: columns ({kind_name} fields)")
    lines = {}
    if raw.get("lines"):
        if kind_name != "orders":
            raise ConfigError(f"{label}: lines: only orders have line items")
        line_fields = tuple(f for f in kinds()["order_lines"].mappable if f not in ("order_line_id", "order_id"))
        lines = _mapping(raw["lines"], line_fields, f"{label}: lines (order line fields)")
    person = _mapping(raw["person"], PERSON_FIELDS, f"{label}: person (person fields)") if raw.get("person") else {}
    if (raw.get("person") or raw.get("customer")) and "customer_system" not in kind.fields:
        raise ConfigError(f"{label}: {kind_name} belong to no person (refunds reach theirs through the payment); "
                          "leave out person and customer")
    customer = None
    if raw.get("customer"):
        entry = raw["customer"]
        if not isinstance(entry, dict) or set(entry) != {"system", "column"}:
            raise ConfigError(f"{label}: customer must be {{system: <a person system>, column: <the file's column "
                              "holding that system's record id>}")
        if person:
            raise ConfigError(f"{label}: give person (the row's own person details) or customer (a record "
                              "elsewhere), not both")
        customer = (str(entry["system"]), str(entry["column"]))
    decimal = str(raw.get("decimal", "."))
    if decimal not in (".", ","):
        raise ConfigError(f"{label}: decimal must be '.' or ','; got {decimal!r}")
    currency = raw.get("currency")
    if currency is not None and not re.fullmatch(r"[A-Za-z]{3}", str(currency)):
        raise ConfigError(f"{label}: currency must be an ISO 4217 code such as EUR; got {currency!r}")
    values = raw.get("values") or {}
    if not isinstance(values, dict):
        raise ConfigError(f"{label}: values must map fields to one value each, e.g. {{channel: paid_search}}")
    _reject_unknown(values, kind.mappable, f"{label}: values ({kind_name} fields)")
    id_columns = _mapping({kind.id_field: raw["id_column"]}, (kind.id_field,), f"{label}: id_column")[kind.id_field]
    path, table = _location(raw, label, where)
    date_fields = kind.fields_of_type("timestamp", "date") + (("created_at",) if lines else ())
    options = _file_options(raw, path, label, date_fields + tuple(f for f in DATE_FIELDS if f in person))
    return ExportFile(system=system, kind=kind_name, path=path, table=table, id_columns=id_columns,
                      columns=columns,
                      lines=lines, person=person, customer=customer,
                      values={str(name): str(value) for name, value in values.items()},
                      currency=str(currency).upper() if currency else None, decimal=decimal, **options)


def dbt_vars(config: RunConfig, landed: list[str] | None = None) -> dict[str, object]:
    """The vars dbt needs to build only what was ingested (see dbt_project.yml); `landed` limits
    them to the systems whose bronze tables exist."""
    def keep(system: str) -> bool:
        return landed is None or system in landed
    activity: dict[str, list[str]] = {}
    for export in config.exports:
        if keep(export.system):
            activity.setdefault(export.kind, []).append(export.system)
            if export.lines:
                activity.setdefault("order_lines", []).append(export.system)
    return {
        "source_systems": [s for s in config.demo.systems if keep(s)] if config.demo.enabled else [],
        "person_file_systems": [f.system for f in config.person_files if keep(f.system)]
        + [e.system for e in config.exports if e.person and keep(e.system)],
        "activity_systems": activity,
    }


if __name__ == "__main__":
    import json
    import sys

    from ingest.run import landed_systems
    from ingest.settings import warehouse_path

    # `python -m ingest.config CONFIG` prints the dbt vars for that configuration and the systems
    # that have landed in the warehouse (used by the Makefile).
    run_config = load_config(sys.argv[1] if len(sys.argv) > 1 else "config/demo.yml")
    landed = landed_systems(run_config, warehouse_path())
    missing = [system for system in run_config.systems if system not in landed]
    if missing:
        print(f"dbt: leaving out {', '.join(missing)}: not in the warehouse (see the ingest summary)",
              file=sys.stderr)
    print(json.dumps(dbt_vars(run_config, landed)))
