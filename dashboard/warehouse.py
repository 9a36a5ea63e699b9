"""Read-only, short-lived access to the warehouse for the dashboard, as a role (c360.roles).

The dashboard reads the file of $C360_ROLE (`make dashboard ROLE=...`; default: the least
privileged role, whose PII is masked); ROLE=warehouse reads the warehouse itself.

Each query opens the DuckDB file read-only and closes it again, so the dashboard never holds a
lock: a `make build` can run beside it, and while the build holds the file the dashboard says so
instead of failing. Results are cached per query and warehouse modification time, so a finished
rebuild shows at once.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from c360.roles import RoleError, reader


class WarehouseUnavailableError(RuntimeError):
    """The warehouse cannot be read right now; the message tells the user what to do."""


def warehouse_path() -> Path:
    """The file the dashboard reads: the role's file (or the warehouse for ROLE=warehouse)."""
    try:
        return reader()[0]
    except RoleError as error:
        raise WarehouseUnavailableError(str(error)) from error


def reading() -> str:
    """What the dashboard reads, for the sidebar: the file and the role."""
    try:
        path, _, role = reader()
    except RoleError as error:
        return str(error)
    return f"{path} (role: {role})"


def warehouse_version(path: Path | None = None) -> float:
    """Modification time of the file read (0 when missing): the cache key of every query."""
    try:
        path = path or warehouse_path()
    except WarehouseUnavailableError:
        return 0.0
    return path.stat().st_mtime if path.exists() else 0.0


def query(sql: str, params: list | tuple | None = None, path: Path | None = None) -> pd.DataFrame:
    """Run one read-only query and return a DataFrame, or raise WarehouseUnavailableError with advice."""
    settings = {}
    if path is None:
        try:
            path, settings, _ = reader()
        except RoleError as error:
            raise WarehouseUnavailableError(str(error)) from error
    if not path.exists():
        raise WarehouseUnavailableError(f"No warehouse at {path}. Run `make run` to build the demo, then reload.")
    for attempt in range(3):
        try:
            con = duckdb.connect(str(path), read_only=True, config=settings)
            break
        except duckdb.IOException as error:  # a build holds the write lock
            if "lock" not in str(error).lower() or attempt == 2:
                raise WarehouseUnavailableError(
                    f"The warehouse {path} is being rebuilt (locked by another process). "
                    "The dashboard will read it again once the build has finished: reload in a moment."
                ) from error
            time.sleep(0.3)
    try:
        table = con.sql(sql, params=list(params or [])).to_arrow_table()
    except duckdb.CatalogException as error:
        identity_only = con.execute(
            "select count(*) filter (where table_name = 'dim_customers') = 1 "
            "and count(*) filter (where table_name = 'gold_cust_360') = 0 "
            "from information_schema.tables where table_schema = 'marts'").fetchall()[0][0]
        if identity_only:
            raise WarehouseUnavailableError(
                "This page needs the gold layer, which is built from orders, payments, support, web, e-mail and "
                "marketing sources. This warehouse was built from person records only: its customers and how "
                "their records were merged are on the Customer 360 page.") from error
        raise WarehouseUnavailableError(
            f"The warehouse has no such table yet ({str(error).splitlines()[0]}). Run `make build`."
        ) from error
    finally:
        con.close()
    # Money is DECIMAL in the warehouse; charts need numbers, not Python Decimal objects.
    for index, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(index, field.name, table.column(index).cast(pa.float64()))
    return table.to_pandas()
