"""The project on Apache Spark: a local session set up as dbt-spark's `session` connection expects,
the Python UDFs registered on it, and dbt run inside the same process.

dbt-spark's `session` method takes the active SparkSession (`getOrCreate`), so whatever this
module configures (warehouse folder, metastore, UDFs) is what the dbt models see.

    python -m c360.spark seed          # any dbt command, on the `spark` target
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pyspark.sql import SparkSession
from pyspark.sql.functions import arrow_udf
from pyspark.sql.pandas.types import from_arrow_schema

from c360.udfs import UDFS
from ingest.run import LOG_DATASET, QUARANTINE_COLUMNS
from ingest.settings import PROJECT_ROOT, lake_dir, lakehouse_dir

SPARK_TYPES = {"VARCHAR": "string", "DOUBLE": "double"}
# pyspark warns about pandas 3 when it converts; the project hands Spark Arrow, never pandas
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


def strip_accents(text: pa.Array) -> pa.Array:
    """DuckDB's strip_accents, which Spark lacks: decomposed (NFD), the combining marks dropped."""
    return pc.replace_substring_regex(pc.utf8_normalize(text, "NFD"), r"\p{Mn}", "")


def register_udfs(spark: SparkSession) -> None:
    """The functions of `c360.udfs` as Spark Arrow UDFs, under the names the models call on DuckDB,
    and DuckDB built-ins Spark lacks."""
    for name, (function, _parameters, returns) in UDFS.items():
        spark.udf.register(name, arrow_udf(function, SPARK_TYPES[returns]))
    spark.udf.register("strip_accents", arrow_udf(strip_accents, "string"))


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
             # the driver holds what the Python models read (local mode: the executors too)
             .config("spark.driver.memory", os.environ.get("C360_SPARK_DRIVER_MEMORY", "6g"))
             .config("spark.ui.showConsoleProgress", "false")  # dbt's own lines show the progress
             .config("spark.sql.session.timeZone", "UTC")  # timestamps read and shown as UTC, as on DuckDB
             # string literals as written, as on DuckDB: a regex's \s stays \s
             .config("spark.sql.parser.escapedStringLiterals", "true")
             .config("spark.sql.shuffle.partitions", os.environ.get("C360_SPARK_SHUFFLE_PARTITIONS", "4"))
             .config("spark.sql.warehouse.dir", str(home / "warehouse"))
             # the metastore (Derby) and its log in the lakehouse folder, not the working directory
             .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                     f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true")
             # a deep stack: the name macros nest, and Spark analyses nested expressions recursively
             .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={home} -Xss64m "
                     f"-Dlog4j2.configurationFile={Path(__file__).with_name('log4j2.properties').as_uri()}")
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


MATERIALIZATION_MARK = "# --- Autogenerated dbt materialization code. --- #"


class DriverPythonJob:
    """dbt-spark's Python job helper for the `session` connection (dbt-spark's own helpers submit to
    Databricks only): the model runs on the driver over an in-memory DuckDB connection, its refs read
    from Spark as Arrow and its result written back as a Parquet table. The models are the ones DuckDB
    runs, unchanged: their cores take and return Arrow-backed relations."""

    def __init__(self, parsed_model: dict, credentials: object) -> None:
        self.relation = f"{parsed_model['schema']}.{parsed_model['alias']}"

    def submit(self, compiled_code: str) -> None:
        from c360.udfs import register

        spark = SparkSession.builder.getOrCreate()  # the session dbt runs on (dbt threads have no active one)
        namespace: dict = {}
        exec(compile(compiled_code.split(MATERIALIZATION_MARK)[0], self.relation, "exec"), namespace)
        with duckdb.connect() as con:
            register(con)

            def load(relation: str) -> duckdb.DuckDBPyRelation:
                view = relation.replace("`", "").replace(".", "__")
                con.register(view, spark.table(relation).toArrow())
                return con.table(view)

            result = namespace["model"](namespace["dbtObj"](load), con)
            if isinstance(result, duckdb.DuckDBPyRelation):
                result = result.to_arrow_table()
            elif not isinstance(result, pa.Table):
                result = pa.Table.from_pandas(result, preserve_index=False)
        # Spark infers no schema from zero rows: it is given the Arrow one
        frame = spark.createDataFrame(result) if result.num_rows else spark.createDataFrame(
            [], from_arrow_schema(result.schema))
        frame.write.mode("overwrite").format("parquet").option("overwriteSchema", "true").saveAsTable(self.relation)


def use_driver_python_jobs() -> None:
    """Python models on the `session` connection run through DriverPythonJob (dbt's extension point
    for Python models: the adapter's submission helpers, chosen by `submission_method`)."""
    from dbt.adapters.spark.impl import SparkAdapter

    if getattr(SparkAdapter, "_c360_driver_jobs", False):
        return
    helpers = SparkAdapter.python_submission_helpers.fget
    SparkAdapter.python_submission_helpers = property(lambda self: {**helpers(self), "session": DriverPythonJob})
    SparkAdapter.default_python_submission_method = property(lambda self: "session")
    SparkAdapter._c360_driver_jobs = True


def run_dbt(args: list[str], spark: SparkSession | None = None) -> bool:
    """`dbt <args> --target spark` in this process, on `spark` (a new local session if None)."""
    from dbt.cli.main import dbtRunner

    spark = spark or session()
    use_driver_python_jobs()
    register_bronze(spark)
    result = dbtRunner().invoke([*args, "--target", "spark", "--project-dir", str(PROJECT_ROOT),
                                 "--profiles-dir", str(PROJECT_ROOT)])
    return bool(result.success)


PUBLISHED_SCHEMAS = ("staging", "intermediate", "marts")


def copy_to_duckdb(spark: SparkSession) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding every bronze, staging, intermediate and mart table of `spark`
    (Spark's views as views), for what reads the warehouse in DuckDB SQL: the run's summary."""
    con = duckdb.connect()
    schemas = [row[0] for row in spark.sql("show databases").collect()]
    for schema in [name for name in schemas if name.startswith("raw_") or name in PUBLISHED_SCHEMAS]:
        con.execute(f"create schema if not exists {schema}")
        for row in spark.sql(f"show tables in {schema}").where("not isTemporary").collect():
            name = f"{schema}.{row.tableName}"
            kind = spark.sql(f"describe table extended {name}").where("col_name = 'Type'").collect()
            data = spark.table(name).toArrow()
            if kind and kind[0].data_type == "VIEW":
                con.register(f"view_{schema}_{row.tableName}", data)
                con.execute(f"create view {name} as select * from view_{schema}_{row.tableName}")
            else:
                con.execute(f"create table {name} as select * from data")
    return con


def print_summary(spark: SparkSession) -> None:
    from c360.summary import print_summary as summarise

    summarise(copy_to_duckdb(spark), f"Customer 360 on Spark: tables in {lakehouse_dir() / 'warehouse'}, "
              f"bronze in {lake_dir()}", next_steps=False)
    print("\nWhere to look next:")
    print("  SQL on the tables: python -m c360.spark sql \"select * from marts.gold_cust_360 limit 5\"")
    print("  the same project on DuckDB (dashboard, make sql): make run")


def main(argv: list[str] | None = None) -> int:
    """`python -m c360.spark <dbt command>`; `summary` prints what the run built; `sql "<query>"` runs one query."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["summary"]:
        spark = session()
        register_bronze(spark)
        print_summary(spark)
        return 0
    if args[:1] == ["sql"]:
        spark = session()
        register_bronze(spark)
        spark.sql(" ".join(args[1:])).show(truncate=False)
        return 0
    return 0 if run_dbt(args) else 1


if __name__ == "__main__":
    sys.exit(main())
