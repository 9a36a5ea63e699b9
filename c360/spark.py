"""The project on Apache Spark: a local session set up as dbt-spark's `session` connection expects,
the Python UDFs registered on it, and dbt run inside the same process.

dbt-spark's `session` method takes the active SparkSession (`getOrCreate`), so whatever this
module configures (warehouse folder, metastore, UDFs) is what the dbt models see.

    python -m c360.spark seed          # any dbt command, on the `spark` target
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql.functions import arrow_udf

from c360.udfs import UDFS
from ingest.run import LOG_DATASET, QUARANTINE_COLUMNS
from ingest.settings import PROJECT_ROOT, lake_dir

SPARK_TYPES = {"VARCHAR": "string", "DOUBLE": "double"}


def lakehouse_dir() -> Path:
    """Where Spark keeps its tables and metastore: C360_SPARK_DIR, else data/spark."""
    return Path(os.environ.get("C360_SPARK_DIR", PROJECT_ROOT / "data" / "spark")).resolve()


def register_udfs(spark: SparkSession) -> None:
    """The functions of `c360.udfs` as Spark Arrow UDFs, under the names the models call on DuckDB."""
    for name, (function, _parameters, returns) in UDFS.items():
        spark.udf.register(name, arrow_udf(function, SPARK_TYPES[returns]))


def session(master: str | None = None) -> SparkSession:
    """A Spark session with the project's UDFs: `master` or C360_SPARK_MASTER, else local[2]."""
    home = lakehouse_dir()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers import c360 from this environment
    paths = [str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    spark = (SparkSession.builder.master(master or os.environ.get("C360_SPARK_MASTER", "local[2]"))
             .appName("customer360")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")  # timestamps read and shown as UTC, as on DuckDB
             .config("spark.sql.shuffle.partitions", os.environ.get("C360_SPARK_SHUFFLE_PARTITIONS", "4"))
             .config("spark.sql.warehouse.dir", str(home / "warehouse"))
             # the metastore (Derby) and its log in the lakehouse folder, not the working directory
             .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                     f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true")
             .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={home}")
             .enableHiveSupport()
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    register_udfs(spark)
    return spark


def register_bronze(spark: SparkSession, lake: Path | None = None) -> list[str]:
    """Every Parquet table dlt landed in the lakehouse folder (C360_BRONZE=parquet) as a Spark table
    `raw_<system>.<table>` over its folder, re-read on each call (a new load adds files); returns them."""
    lake = lake or lake_dir()
    tables = []
    for folder in sorted(path for path in lake.glob("raw_*/*") if path.is_dir() and not path.name.startswith("_")):
        if not any(folder.glob("*.parquet")):
            continue
        name = f"{folder.parent.name}.{folder.name}"
        spark.sql(f"create database if not exists {folder.parent.name}")
        spark.sql(f"drop table if exists {name}")  # an external table: its files stay
        spark.sql(f"create table {name} using parquet options (mergeSchema 'true') location '{folder.as_uri()}'")
        tables.append(name)
    quarantine = f"{LOG_DATASET}.quarantine"
    if quarantine not in tables:  # dlt writes no file for no rows; the table is part of the contract
        columns = ", ".join(f"{column} {'bigint' if spec['data_type'] == 'bigint' else 'string'}"
                            for column, spec in QUARANTINE_COLUMNS.items())
        spark.sql(f"create database if not exists {LOG_DATASET}")
        spark.sql(f"drop table if exists {quarantine}")
        spark.sql(f"create table {quarantine} ({columns}, _dlt_load_id string, _dlt_id string) using parquet")
    return tables


def run_dbt(args: list[str], spark: SparkSession | None = None) -> bool:
    """`dbt <args> --target spark` in this process, on `spark` (a new local session if None)."""
    from dbt.cli.main import dbtRunner

    spark = spark or session()
    register_bronze(spark)
    result = dbtRunner().invoke([*args, "--target", "spark", "--project-dir", str(PROJECT_ROOT),
                                 "--profiles-dir", str(PROJECT_ROOT)])
    return bool(result.success)


def main(argv: list[str] | None = None) -> int:
    return 0 if run_dbt(list(sys.argv[1:] if argv is None else argv)) else 1


if __name__ == "__main__":
    sys.exit(main())
