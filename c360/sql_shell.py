"""`make sql`: a SQL shell with the project's own DuckDB (2.0) on a role's file (c360.roles):
ROLE=analyst (the default), marketing or admin, or ROLE=warehouse for the warehouse itself.

The DuckDB CLI on PyPI lags behind (1.5.x cannot open a file written by DuckDB 2.0), so this is
the CLI the README uses. Each statement opens the warehouse read-only and closes it again, so the
shell never blocks a build.

    make sql                                   # interactive: end statements with ';', .tables, .quit
    make sql Q="select * from marts.kpi_monthly order by month_start desc limit 5"
    echo "select 42;" | .venv/bin/python -m c360.sql_shell
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import duckdb

from c360.roles import RoleError, reader

TABLES = ("select table_schema || '.' || table_name as table_name, table_type from information_schema.tables "
          "where table_schema like 'raw_%' or table_schema in ('staging', 'intermediate', 'marts', 'eval') order by 1")


def run(sql: str, max_rows: int = 40) -> int:
    """Run one statement as $C360_ROLE (c360.roles) and print its result; 1 (with the error on stderr) when it fails."""
    try:
        path, settings, _ = reader()
    except RoleError as error:
        print(str(error), file=sys.stderr)
        return 1
    if not path.exists():
        print(f"no warehouse at {path}: run `make run` first", file=sys.stderr)
        return 1
    try:
        with duckdb.connect(str(path), read_only=True, config=settings) as con:
            relation = con.sql(sql)
            if relation is not None:
                relation.show(max_rows=max_rows, max_width=200)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        print(f"the warehouse {path} is being written (a build or ingest holds it: {lock_holder(error)}); "
              "DuckDB lets no one read a file while it is written. Try again when that finishes.",
              file=sys.stderr)
        return 1
    except duckdb.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def lock_holder(error: Exception) -> str:
    """The writing process as DuckDB names it ("python3.11 (PID 22481)"), or a plain word."""
    match = re.search(r"held in (\S+) \(PID (\d+)\)", str(error))
    return f"{Path(match.group(1)).name}, PID {match.group(2)}" if match else "another process"


def statements(lines) -> list[str]:
    """Split input into statements at the semicolons that end a line."""
    found, buffer = [], []
    for line in lines:
        if not buffer and line.strip() == ".tables":
            found.append(TABLES)
            continue
        buffer.append(line.rstrip("\n"))
        if line.rstrip().endswith(";"):
            found.append("\n".join(buffer).strip().rstrip(";"))
            buffer = []
    if "".join(buffer).strip():
        found.append("\n".join(buffer).strip())
    return found


def interactive() -> int:
    import readline  # noqa: F401  (line editing and history for input())

    path, _, role = reader()
    print(f"Customer 360 SQL on {path} as {role} (read-only). End statements with ';'; .tables; .quit")
    buffer: list[str] = []
    while True:
        try:
            line = input("c360> " if not buffer else "  ...> ")
        except EOFError:
            print()
            return 0
        if not buffer and line.strip() in (".quit", ".exit"):
            return 0
        if not buffer and line.strip() == ".tables":
            run(TABLES, max_rows=500)
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            run("\n".join(buffer).rstrip().rstrip(";"))
            buffer = []


def main() -> int:
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `make sql ... | head` ends quietly
    parser = argparse.ArgumentParser(description="SQL on the Customer 360 warehouse (read-only).")
    parser.add_argument("-c", "--command", help="run this SQL and exit")
    args = parser.parse_args()
    if args.command:
        return run(args.command)
    if not sys.stdin.isatty():
        return max((run(sql) for sql in statements(sys.stdin)), default=0)
    try:
        return interactive()
    except RoleError as error:
        print(str(error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
