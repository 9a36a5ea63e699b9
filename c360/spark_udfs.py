"""The Python UDFs of `c360.udfs` on Apache Spark: the same Arrow functions, registered as Spark
Arrow UDFs (`pyspark.sql.functions.arrow_udf`, Arrow batches in and out), so SQL on Spark calls
`phone_e164(...)`, `metaphone(...)` and the rest by the names the dbt models use on DuckDB."""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql.functions import arrow_udf

from c360.udfs import UDFS

SPARK_TYPES = {"VARCHAR": "string", "DOUBLE": "double"}


def register(spark: SparkSession) -> None:
    """Add every UDF to `spark`'s SQL functions (registering again replaces them)."""
    for name, (function, _parameters, returns) in UDFS.items():
        spark.udf.register(name, arrow_udf(function, SPARK_TYPES[returns]))
