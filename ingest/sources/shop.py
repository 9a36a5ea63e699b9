"""The shop's order system: a SQL database (SQLite in the demo) read with dlt's sql_database.

Tables are read with the pyarrow backend (the fast path) and merged on their primary
key. Each is incremental on its own cursor: `updated_at` where rows change (customers,
products, orders) and the ever-growing `order_line_id` for append-only order lines. The
database enforces its types and keys, so nothing can fail a contract here; rows are still
counted so the run record reconciles like every other source.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import dlt
import pyarrow as pa
from dlt.sources import DltResource
from dlt.sources.sql_database import sql_table

from c360.privacy import suppression
from ingest.runlog import SystemRun, TableRun, count_rows

# table -> (primary key, incremental cursor)
TABLES = {
    "customers": ("customer_id", "updated_at"),
    "products": ("product_id", "updated_at"),
    "orders": ("order_id", "updated_at"),
    "order_lines": ("order_line_id", "order_line_id"),
}


def shop_resources(database_url: str, run: SystemRun) -> list[DltResource]:
    resources = []
    for table, (key, cursor) in TABLES.items():
        resource = sql_table(
            credentials=database_url,
            table=table,
            backend="pyarrow",
            chunk_size=100_000,
            # Open range: only rows past the last cursor value. A closed range re-reads the
            # boundary rows on every run (dlt does not de-duplicate them for arrow batches).
            incremental=dlt.sources.incremental(cursor, range_start="open"),
            primary_key=key,
            write_disposition="merge",
        )
        resources.append(resource.add_map(_counter(run.table(table), table)))
    return resources


def _counter(stats: TableRun, table: str) -> Callable[[object], object]:
    """A map step that leaves out erased people's rows and counts rows as they pass (one
    argument: dlt passes `meta` to two)."""
    def count(item: object) -> object:
        rows = count_rows(item)
        if isinstance(item, pa.RecordBatch):
            item = pa.Table.from_batches([item])
        suppressed = 0
        if isinstance(item, pa.Table):
            item, suppressed = suppression().split(item, "shop", table)
        stats.rows_read += rows
        stats.rows_loaded += rows - suppressed
        stats.rows_suppressed += suppressed
        return item
    return count


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


class ShopSource:
    """The shop's SQLite database in its folder (see ingest.sources.files.FileSource for the entry)."""

    table_names = tuple(TABLES)

    def resources(self, folder: Path, run: SystemRun) -> list[DltResource]:
        database = folder / "shop.sqlite"
        if not database.exists():
            run.fail(f"shop database {database} not found")
            return []
        return shop_resources(sqlite_url(database), run)

    def serving(self, folder: Path) -> AbstractContextManager[None]:
        return nullcontext()


SOURCE = ShopSource()
