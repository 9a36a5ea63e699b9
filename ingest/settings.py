"""Where things live: one place for paths, so the Makefile, dbt and ingest agree."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse.duckdb"
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "demo.yml"


def warehouse_path() -> Path:
    """The DuckDB file: `C360_DUCKDB_PATH` if set (as profiles.yml reads it), else the default."""
    path = Path(os.environ.get("C360_DUCKDB_PATH", DEFAULT_WAREHOUSE))
    return path if path.is_absolute() else PROJECT_ROOT / path


def bronze_format() -> str:
    """Where bronze lands: `duckdb` (the warehouse file, the default) or `parquet` (a lakehouse
    folder of Parquet tables, for Spark): `C360_BRONZE`."""
    value = os.environ.get("C360_BRONZE", "duckdb").lower()
    if value not in ("duckdb", "parquet"):
        raise ValueError(f"C360_BRONZE={value!r}: use duckdb (the warehouse file) or parquet (a lakehouse folder)")
    return value


def lake_dir() -> Path:
    """The lakehouse folder Parquet bronze lands in: `C360_LAKE_DIR`, else data/lake (a local folder
    standing in for object storage)."""
    path = Path(os.environ.get("C360_LAKE_DIR", PROJECT_ROOT / "data" / "lake"))
    return path if path.is_absolute() else PROJECT_ROOT / path


def pipelines_dir(warehouse: Path) -> Path:
    """dlt's local working state, kept beside the warehouse it belongs to.

    dlt restores state from the destination when the local copy is missing, but a local copy
    that outlives its warehouse would make incremental sources skip everything; keeping them
    side by side lets `ingest.run` drop the local state when the warehouse is new.
    """
    return warehouse.parent / f".dlt_{warehouse.stem}"


def lakehouse_dir() -> Path:
    """Where Spark keeps its tables and metastore: C360_SPARK_DIR, else data/spark."""
    return Path(os.environ.get("C360_SPARK_DIR", PROJECT_ROOT / "data" / "spark")).resolve()


def machine_memory_mb() -> int:
    """The memory this process may use: the cgroup's limit when one is set, else physical RAM."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        cgroup = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        cgroup = "max"
    return min(physical, int(cgroup) if cgroup.isdigit() else physical) // 2**20


# DuckDB's share of the machine when no limit is set: the process peaks about 1 GB above DuckDB's limit
DEFAULT_MEMORY_SHARE = 0.4


def duckdb_resource_settings() -> dict[str, str]:
    """DuckDB's memory limit and spill folder for the build, from C360_DUCKDB_MEMORY_LIMIT (e.g.
    12GB) and C360_DUCKDB_TEMP_DIR (`make build MEMORY_LIMIT=12GB TEMP_DIR=/big/disk`). The limit
    defaults to DEFAULT_MEMORY_SHARE of the machine's memory, leaving the rest to the Python models' Arrow
    data and the phone workers, which DuckDB does not count; the spill folder to DuckDB's (a .tmp folder
    beside the database)."""
    limit = (os.environ.get("C360_DUCKDB_MEMORY_LIMIT", "").strip()
             or f"{int(machine_memory_mb() * DEFAULT_MEMORY_SHARE)}MB")
    settings = {"memory_limit": limit.replace("'", "''")}
    if temp := os.environ.get("C360_DUCKDB_TEMP_DIR", "").strip():
        settings["temp_directory"] = temp.replace("'", "''")
    return settings
