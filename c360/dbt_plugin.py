"""dbt-duckdb plugin: every dbt connection (threads, Python models, unit tests) gets the UDFs and
the memory limit and spill directory of the environment (`ingest.settings.duckdb_resource_settings`)."""

from dbt.adapters.duckdb.plugins import BasePlugin

from c360.udfs import register
from ingest.settings import duckdb_resource_settings


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:  # noqa: ANN001 (DuckDBPyConnection)
        register(conn)
        for name, value in duckdb_resource_settings().items():
            conn.execute(f"set {name} = '{value}'")
