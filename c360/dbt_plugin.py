"""dbt-duckdb plugin: every dbt connection (threads, Python models, unit tests) gets the UDFs."""

from dbt.adapters.duckdb.plugins import BasePlugin

from c360.udfs import register


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:  # noqa: ANN001 (DuckDBPyConnection)
        register(conn)
