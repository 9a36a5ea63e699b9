"""Skip `make build` when nothing is new: the fingerprint of what the last successful build read.

A second `make run` on unchanged exports ingests nothing (ingest is file-incremental), yet a full
`dbt build` and the publish steps would rebuild identical tables. Before building, `make build`
compares what the warehouse is built from with what the last successful build was built from:

- bronze: every data table of every `raw_*` schema, its row count and max(`_dlt_load_id`); left
  out are dlt's own `_dlt_*` tables and `raw_ingest.source_runs`, which gain rows on every ingest
  even when nothing new was read;
- the project, by content: the dbt project (models, macros, seeds, snapshots, tests, analyses, the
  dbt and profile files), the `c360` package the Python models and the publish steps import,
  pyproject.toml, the roles configuration, the run configuration (CONFIG), the suppression list;
- the dbt vars and the warehouse file's path;

and checks that the last build's outputs are still there (every model, seed and snapshot in the
manifest, marts.gold_cust_360, the role files and the serving index). Nothing changed: the build
is skipped, and so is `make docs` when the docs were generated after that build.

Only bronze changed: the build is incremental (the event tables read what is new). What turns
rows into tables changed (the dbt project, `c360`, pyproject.toml, the dbt vars), or no earlier
build is recorded: the build starts from scratch (`dbt build --full-refresh`), since rows an
incremental table already holds would otherwise keep the old logic. `dbt-args` prints the flag.

    python -m c360.build_state check [--config CONFIG] [--vars DBT_VARS] [--force] [--docs]
        exit 0: nothing new, skip; exit 1: build (the line printed says why)
    python -m c360.build_state dbt-args          # --full-refresh when the check asked for it
    python -m c360.build_state forget            # a build's first step
    python -m c360.build_state record [--docs]   # after its last step (or after the docs)

The record lives in the dbt target folder (target/last_build.json), so `make clean` forgets it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from c360.privacy import suppression_file
from c360.roles import load_roles, role_file, roles_config_path
from ingest.settings import PROJECT_ROOT, warehouse_path

STATE_FILE = "last_build.json"
# What `check` found when it decided to build (or to generate the docs), for `record` after success:
# the inputs the build read, not what is there when it ends (a model edited while dbt runs is then
# seen as changed next time).
PENDING_FILES = {"build": "last_build.pending.json", "docs": "last_docs.pending.json"}
DOCS_FILE = "static_index.html"
# Written by `check` when the build must start from scratch (the reason), removed when it need not.
FULL_REFRESH_FILE = "full_refresh.pending"
# Files whose change leaves no effect on how rows are built (the run configuration and the roles say
# what is read and published, tests and analyses read the tables): they never force a build from scratch.
NOT_BUILD_LOGIC = ("config/", "data/", "tests/", "analyses/")

# What the build reads from the project, besides bronze (paths relative to the project).
PROJECT_FOLDERS = ("models", "macros", "seeds", "snapshots", "tests/dbt", "analyses", "c360")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "pyproject.toml")
IGNORED_FOLDERS = {"__pycache__", ".ipynb_checkpoints"}
# Commands of their own that no model, plugin or publish step imports: editing them rebuilds nothing.
# A module not named here counts (a new one too).
NOT_READ_BY_THE_BUILD = {"c360/build_state.py", "c360/erase.py", "c360/evaluate.py", "c360/orchestrate.py",
                         "c360/serve.py", "c360/sql_shell.py", "c360/summary.py"}

# Always expected after a build, even when the manifest cannot be read.
GOLD = "marts.gold_cust_360"
# Gains a row on every ingest run, even when nothing new was read.
RUN_RECORD = "raw_ingest.source_runs"
FINGERPRINT_KEYS = ("warehouse", "bronze", "files", "vars")


class BuildStateError(Exception):
    """The state file or the warehouse cannot be read; the build then runs."""


# --- the fingerprint -----------------------------------------------------------------------

def bronze_fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """{"raw_x.table": [rows, max _dlt_load_id or None]} for every bronze data table."""
    tables = con.execute(
        r"""select tables.table_schema, tables.table_name, bool_or(columns.column_name = '_dlt_load_id')
            from information_schema.tables as tables
            inner join information_schema.columns as columns
                on columns.table_catalog = tables.table_catalog
                and columns.table_schema = tables.table_schema
                and columns.table_name = tables.table_name
            where tables.table_catalog = current_database()
                and tables.table_type = 'BASE TABLE'
                and tables.table_schema like 'raw\_%' escape '\'
                and tables.table_name not like '\_dlt\_%' escape '\'
            group by all
            order by all""").fetchall()
    parts = []
    for schema, table, has_load_id in tables:
        if f"{schema}.{table}" == RUN_RECORD:
            continue
        name = f"{schema}.{table}".replace("'", "''")
        load_id = 'max("_dlt_load_id")::varchar' if has_load_id else "null::varchar"
        parts.append(f"select '{name}' as name, count(*) as row_count, {load_id} as load_id "
                     f'from "{schema}"."{table}"')
    if not parts:
        return {}
    # one query for every table: a count(*) is cheap in DuckDB; a round trip per table is not free
    rows = con.execute(" union all ".join(parts)).fetchall()
    return {name: [row_count, load_id] for name, row_count, load_id in sorted(rows)}


def _label(path: Path, project: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(project)) if path.is_relative_to(project) else str(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def project_files(project: Path, config: Path | None) -> dict[str, str]:
    """{path: content digest} of what the build reads from the project and its configuration.
    Content, not modification times: a checkout or a copy changes every one of those and nothing else."""
    project = project.resolve()
    paths = [project / name for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        # hidden files (editor swap files) and compiled Python are not read by the build
        paths += [path for path in (project / folder).rglob("*")
                  if path.is_file() and not path.name.startswith(".") and path.suffix != ".pyc"
                  and not IGNORED_FOLDERS & set(path.relative_to(project).parts)
                  and path.relative_to(project).as_posix() not in NOT_READ_BY_THE_BUILD]
    paths.append(roles_config_path())
    if config is not None:
        paths.append(config if config.is_absolute() else Path.cwd() / config)
    # erasures add to it; ingest and the role publish read it
    paths.append(suppression_file())
    return {_label(path, project): _digest(path) for path in sorted(set(paths)) if path.is_file()}


def fingerprint(con: duckdb.DuckDBPyConnection, warehouse: Path, project: Path, config: Path | None,
                dbt_vars: str) -> dict:
    """What a build reads: the warehouse's path, bronze, the project's files and the dbt vars."""
    return {"warehouse": str(warehouse.resolve()), "bronze": bronze_fingerprint(con),
            "files": project_files(project, config), "vars": dbt_vars}


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {f"{schema}.{name}" for schema, name in con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database()").fetchall()}


def published_files() -> list[Path]:
    """The files a DuckDB build publishes besides the warehouse: one per role, the serving index."""
    from c360.serving import index_path  # imported here: it takes a second, a check does not need it

    return [*(role_file(name) for name in load_roles().roles), index_path()]


def manifest_outputs(manifest: Path) -> list[str]:
    """schema.name of every model, seed and snapshot the build wrote (the manifest dbt just wrote)."""
    try:
        nodes = json.loads(manifest.read_text())["nodes"].values()
    except (OSError, ValueError, KeyError):
        return []
    return sorted(f"{node['schema']}.{node.get('alias') or node['name']}" for node in nodes
                  if node.get("resource_type") in ("model", "seed", "snapshot")
                  and node.get("config", {}).get("materialized") != "ephemeral")


# --- comparing -------------------------------------------------------------------------------

def differences(old: dict, new: dict, limit: int = 3) -> list[str]:
    """What changed between two fingerprints, in words (at most `limit` per kind)."""
    said: list[str] = []
    if old.get("warehouse") != new["warehouse"]:
        said.append(f"another warehouse ({new['warehouse']})")
    for kind in ("bronze", "files"):
        before, after = old.get(kind, {}), new[kind]
        changed = [f"{name} new" for name in after if name not in before]
        changed += [f"{name} gone" for name in before if name not in after]
        for name in (name for name in after if name in before and before[name] != after[name]):
            if kind == "bronze" and before[name][0] != after[name][0]:
                changed.append(f"{name} {before[name][0]:,} -> {after[name][0]:,} rows")
            else:
                changed.append(f"{name} {'new load' if kind == 'bronze' else 'edited'}")
        if changed:
            more = f" and {len(changed) - limit} more" if len(changed) > limit else ""
            said.append(f"{kind}: {', '.join(changed[:limit])}{more}")
    if old.get("vars") != new["vars"]:
        said.append("dbt vars")
    return said


def full_refresh_reason(state: dict | None, current: dict, project: Path) -> str | None:
    """Why the build must start from scratch, or None: an incremental build is right when only
    bronze changed (and when the run configuration, the roles or the suppression list did: they
    change what is read or published, not how rows are built)."""
    if state is None:
        return "no earlier build recorded"
    before, after = state["inputs"].get("files", {}), current["files"]
    logic = [name for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)
             and not name.startswith(NOT_BUILD_LOGIC) and not Path(name).is_absolute()
             and (project / name).resolve() not in (suppression_file().resolve(), roles_config_path().resolve())]
    if logic:
        return f"{', '.join(logic[:3])}{' and more' if len(logic) > 3 else ''} changed"
    if state["inputs"].get("vars") != current["vars"]:
        return "the dbt vars changed"
    return None


def missing_outputs(state: dict, present: set[str], target: Path, docs: bool) -> list[str]:
    """What the last build wrote that is no longer there: relations, published files (and the docs)."""
    outputs = state.get("outputs", {})
    missing = [f"table {name}" for name in sorted({GOLD, *outputs.get("relations", [])} - present)]
    missing += [f"file {name}" for name in outputs.get("files", []) if not Path(name).exists()]
    if docs and not (target / DOCS_FILE).exists():
        missing.append(f"docs {target / DOCS_FILE}")
    return missing


def _read_json(path: Path, *keys: str) -> dict | None:
    """The file's object, None when there is none; an unreadable one (or one without `keys`) is an error."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise BuildStateError(f"cannot read {path} ({error})") from error
    if not isinstance(data, dict) or any(key not in data for key in keys):
        raise BuildStateError(f"{path} is not a build record (no {', '.join(keys)})")
    return data


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_text(json.dumps(data, indent=1, sort_keys=True))
    part.replace(path)


def _when(state: dict) -> str:
    return state.get("built_at", "?").replace("T", " ").replace("Z", " UTC")


def _current(warehouse: Path, project: Path, config: Path | None, dbt_vars: str) -> tuple[dict, set[str]]:
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return fingerprint(con, warehouse, project, config, dbt_vars), relations(con)
    except duckdb.Error as error:
        raise BuildStateError(f"cannot read the warehouse {warehouse} ({error})") from error


def check(config: Path | None = None, dbt_vars: str = "", project: Path = PROJECT_ROOT,
          target: Path | None = None, force: bool = False, docs: bool = False) -> tuple[bool, str]:
    """(unchanged, why). Unchanged: the last successful build (with docs: the docs generated after
    it) is what a build would give now. Otherwise what was found waits for `record`. Writes nothing
    else: `make -n build` runs the check."""
    target = target or project / "target"
    warehouse = warehouse_path()
    what = "docs" if docs else "build"
    try:
        state, unreadable = _read_json(target / STATE_FILE, "inputs", "built_at"), None
    except BuildStateError as error:
        state, unreadable = None, str(error)
    if not warehouse.exists():
        return False, f"{what}: no warehouse at {warehouse}: {'generating' if docs else 'building'}"
    current, present = _current(warehouse, project, config, dbt_vars)
    if force:
        reason = "FORCE=1"
    elif state is None:
        reason = unreadable or f"no earlier build recorded in {target / STATE_FILE}"
    elif changed := differences(state["inputs"], current):
        reason = f"changed since the last build at {_when(state)}: {'; '.join(changed)}"
    elif docs and state.get("docs_built_at") != state["built_at"]:
        reason = f"not generated since the last build at {_when(state)}"
    elif missing := missing_outputs(state, present, target, docs):
        reason = f"missing since the last build at {_when(state)}: {', '.join(missing[:3])}"
    elif docs:
        return True, (f"docs: nothing new since the last build at {_when(state)}: "
                      f"{target / DOCS_FILE} is current; FORCE=1 regenerates")
    else:
        return True, (f"build: nothing new since the last build at {_when(state)} "
                      "(bronze, models, configuration unchanged): skipped; FORCE=1 rebuilds")
    _write_json(target / PENDING_FILES[what], current)
    if docs:
        return False, f"{what}: {reason}: generating"
    if from_scratch := full_refresh_reason(state, current, project):
        (target / FULL_REFRESH_FILE).write_text(from_scratch + "\n")
        return False, f"build: {reason}: building from scratch ({from_scratch})"
    (target / FULL_REFRESH_FILE).unlink(missing_ok=True)
    return False, f"build: {reason}: building incrementally"


def dbt_args(project: Path = PROJECT_ROOT, target: Path | None = None) -> list[str]:
    """The flags `check` asked the build for: --full-refresh when it must start from scratch."""
    return ["--full-refresh"] if (target or project / "target").joinpath(FULL_REFRESH_FILE).exists() else []


def record(project: Path = PROJECT_ROOT, target: Path | None = None, docs: bool = False) -> dict | None:
    """After a successful build: the inputs `check` found, the build's outputs and when. With docs:
    the docs were generated on the last build's inputs. None: nothing to record (no `check` before,
    or the docs were generated on other inputs than the last build's)."""
    target = target or project / "target"
    pending = target / PENDING_FILES["docs" if docs else "build"]
    try:
        inputs = _read_json(pending, *FINGERPRINT_KEYS)
    finally:
        pending.unlink(missing_ok=True)
        if not docs:
            target.joinpath(FULL_REFRESH_FILE).unlink(missing_ok=True)
    if inputs is None:
        return None
    if docs:
        state = _read_json(target / STATE_FILE, "inputs", "built_at")
        if state is None or differences(state["inputs"], inputs):
            return None
        state["docs_built_at"] = state["built_at"]
    else:
        outputs = {"relations": manifest_outputs(target / "manifest.json"),
                   "files": [str(path) for path in published_files() if path.exists()]}
        state = {"inputs": inputs, "outputs": outputs, "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    _write_json(target / STATE_FILE, state)
    return state


def forget(project: Path = PROJECT_ROOT, target: Path | None = None) -> None:
    """Before a build's first step: one that fails half way leaves no record that would skip the
    next build. After docs on another target (TARGET=spark), which rewrite the dbt artefacts."""
    (target or project / "target").joinpath(STATE_FILE).unlink(missing_ok=True)


def main(argv: list[str] | None = None, project: Path = PROJECT_ROOT) -> int:
    parser = argparse.ArgumentParser(description="Skip the build when nothing is new since the last one.")
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser("check", help="exit 0 when nothing is new (skip), 1 when a build is needed")
    checking.add_argument("--config", type=Path, help="the run configuration (CONFIG); its content counts")
    checking.add_argument("--vars", default="", help="the dbt vars the build passes (DBT_VARS)")
    checking.add_argument("--force", action="store_true", help="build anyway (FORCE=1)")
    checking.add_argument("--docs", action="store_true", help="the docs site rather than the build")
    recording = commands.add_parser("record", help="after a successful build (or docs): what `check` found")
    recording.add_argument("--docs", action="store_true", help="the docs site rather than the build")
    commands.add_parser("forget", help="drop the record: the next build and docs run in full")
    commands.add_parser("dbt-args", help="print --full-refresh when the check found the build must start from scratch")
    args = parser.parse_args(argv)
    what = "docs" if getattr(args, "docs", False) else "build"
    try:
        if args.command == "check":
            unchanged, why = check(args.config, args.vars, project, force=args.force, docs=args.docs)
            print(why)
            return 0 if unchanged else 1
        if args.command == "record":
            if record(project, docs=args.docs) is None and not args.docs:
                print("build: not recorded (no check found what it read); the next make build runs in full",
                      file=sys.stderr)
            return 0
        if args.command == "dbt-args":
            print(" ".join(dbt_args(project)))
            return 0
        forget(project)
        return 0
    except BuildStateError as error:
        if args.command == "check":
            print(f"{what}: {error}: {'generating' if args.docs else 'building'}", file=sys.stderr)
            return 1
        # the build itself succeeded; without a record the next one simply runs in full
        print(f"{what}: not recorded ({error}); the next make {what} runs in full", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
