"""The canonical contracts of activity, read from the dbt properties that declare them.

`models/staging/activity/_activity__models.yml` lists each kind's columns with their data
types (the dbt models cast to them); an export's `columns:` maps onto the same names. One home:
adding a column there makes it mappable here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from ingest.settings import PROJECT_ROOT

CONTRACTS = PROJECT_ROOT / "models" / "staging" / "activity" / "_activity__models.yml"
# Filled in by ingest from the configuration, not mapped from a file's columns.
DERIVED = ("source_system", "customer_system", "customer_record_id", "is_negative_amount")


@dataclass(frozen=True)
class Kind:
    name: str  # the raw table and the stg_activity__<name> model
    id_field: str  # the record's id in its system
    fields: dict[str, str]  # column -> data_type, in the contract's order
    # rows that repeat the id are one record over several rows (else: amounts, each row kept)
    rows_are_records: bool = True

    @property
    def mappable(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name not in DERIVED)

    def fields_of_type(self, *prefixes: str) -> tuple[str, ...]:
        return tuple(name for name, data_type in self.fields.items()
                     if name not in DERIVED and data_type.startswith(prefixes))


@cache
def kinds() -> dict[str, Kind]:
    models = yaml.safe_load(CONTRACTS.read_text())["models"]
    found = {}
    for model in models:
        name = model["name"].removeprefix("stg_activity__")
        # lineage columns (_dlt_load_id, _staged_at) are documented there but are not the contract
        fields = {column["name"]: column["data_type"] for column in model["columns"]
                  if not column["name"].startswith("_")}
        id_field = next(column["name"] for column in model["columns"]
                        if "not_null" in (column.get("data_tests") or []))
        found[name] = Kind(name, id_field, fields, (model.get("meta") or {}).get("rows_are_records", True))
    return found


# The kinds an export entry can be; order lines come with their orders (`lines:`).
EXPORT_KINDS = ("orders", "payments", "refunds", "support_tickets", "products", "web_events", "marketing_spend",
                "email_campaigns", "email_events", "email_subscriptions")
