"""A company's own activity exports (orders, products, payments, refunds, tickets, web events, ad
spend, e-mail campaigns, events and subscriptions) in the canonical contracts (ingest.contracts).

One configured export becomes up to three bronze tables of its system, each read from the same
file by the same file-table machinery as every other source (state, quarantine, line numbers):

- `<kind>`: one row per record, the file's columns renamed to the contract's fields (text);
  rows that repeat an id are one record spread over several rows (a Shopify order over its line
  items, a ticket exported at each change): each field keeps its last non-empty value in file
  order. Amounts are read with the configured decimal separator, dates per column
  (`ingest.dates`), an empty currency takes the configured one. Who the record belongs to is
  `customer_system` / `customer_record_id`: the row itself when it carries a person, else the
  person record it names.
- `order_lines` (orders with `lines:`): one row per file row, numbered within its order.
- `person_records` (with `person:`): the buyer, payer or requester of each record as a person
  record of this system, so identity resolution ties them to customers like any other.
"""

from __future__ import annotations

import glob

import duckdb
import pyarrow as pa

from ingest.config import ExportFile
from ingest.contracts import Kind, kinds
from ingest.dates import standardise_dates
from ingest.quarantine import TableContract
from ingest.sources.files import FileTable
from ingest.sources.person_files import complete_person_fields, joined_columns

CONTRACT_TYPES = {"decimal": "DECIMAL(18,2)", "bigint": "BIGINT", "integer": "INTEGER"}


def over(table: pa.Table, query: str) -> pa.Table:
    """`query` run over `table`, which it calls `incoming`."""
    with duckdb.connect() as con:
        con.register("incoming", table)
        return con.sql(query).to_arrow_table()


def mapped(rows: pa.Table, mapping: dict[str, tuple[str, ...]]) -> pa.Table:
    """Only the contract's fields, as text, from the file's columns; the line number kept."""
    columns = {name: joined_columns(rows, sources, name) for name, sources in mapping.items()}
    if "_source_line" in rows.column_names:
        columns["_source_line"] = rows.column("_source_line")
    else:  # Parquet has no lines: its row order stands in for them
        columns["_source_line"] = pa.array(range(1, rows.num_rows + 1), pa.int64())
    return pa.table(columns)


def merged_by_id(table: pa.Table, id_field: str) -> pa.Table:
    """One row per id: each field's last non-empty value in file order."""
    fields = [name for name in table.column_names if name not in (id_field, "_source_line")]
    keep = ", ".join(f'arg_max("{name}", _source_line) filter (where nullif(trim("{name}"), \'\') is not null) '
                     f'as "{name}"' for name in fields)
    return over(table, f'select "{id_field}", {keep}{", " if keep else ""}max(_source_line) as _source_line '
                       f'from incoming group by "{id_field}" order by _source_line')


def with_decimal_point(table: pa.Table, fields: tuple[str, ...], separator: str) -> pa.Table:
    """Amounts as `1234.50`: currency signs and spaces dropped, a decimal comma read as declared."""
    present = [name for name in fields if name in table.column_names]
    if not present:
        return table
    selects = []
    for name in table.column_names:
        if name not in present:
            selects.append(f'"{name}"')
            continue
        digits = f"""regexp_replace("{name}", '[^0-9.,-]', '', 'g')"""
        # the other separator groups thousands: dropped
        digits = (f"replace(replace({digits}, '.', ''), ',', '.')" if separator == ","
                  else f"replace({digits}, ',', '')")
        selects.append(f'nullif({digits}, \'\') as "{name}"')
    return over(table, f"select {', '.join(selects)} from incoming")


def _set(table: pa.Table, name: str, value: str | None) -> pa.Table:
    column = pa.array([value] * table.num_rows, pa.string())
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, column)
    return table.append_column(name, column)


def _read_values(table: pa.Table, kind: Kind, export: ExportFile, notes: list[str]) -> pa.Table:
    """Amounts with a decimal point and dates as ISO text, as the contract's types need them."""
    table = with_decimal_point(table, kind.fields_of_type("decimal"), export.decimal)
    dates = {name: "date" if kind.fields[name] == "date" else "timestamp"
             for name in kind.fields_of_type("timestamp", "date") if name in table.column_names}
    table, date_notes = standardise_dates(table, dates, export.date_formats)
    notes.extend(date_notes)
    return table


def _contract(kind: Kind, table_name: str, key: str) -> TableContract:
    types = {name: CONTRACT_TYPES[data_type.split("(")[0]] for name, data_type in kind.fields.items()
             if data_type.split("(")[0] in CONTRACT_TYPES}
    return TableContract(table_name, key=(key,), types=types)


def export_tables(export: ExportFile) -> list[FileTable]:
    kind = kinds()[export.kind]
    file_options = {"file_glob": glob.escape(export.path.name if export.path else ""), "file_format": export.format,
                    "delimiter": export.delimiter, "encoding": export.encoding}

    def records(rows: pa.Table, notes: list[str]) -> pa.Table:
        mapping = {**export.columns, kind.id_field: export.id_columns}
        if export.customer:
            mapping["customer_record_id"] = (export.customer[1],)
        table = mapped(rows, mapping)
        if kind.rows_are_records:
            table = merged_by_id(table, kind.id_field)
        for name, value in export.values.items():
            table = _set(table, name, value)
        table = _read_values(table, kind, export, notes)
        if export.currency and "currency" in kind.fields:
            if "currency" in table.column_names:
                filled = over(table, f"select coalesce(nullif(trim(currency), ''), '{export.currency}') from incoming")
                table = table.set_column(table.column_names.index("currency"), "currency",
                                         filled.column(0).cast(pa.string()))
            else:
                table = _set(table, "currency", export.currency)
        if export.customer:
            table = _set(table, "customer_system", export.customer[0])
        elif export.person:
            table = _set(table, "customer_system", export.system)
            table = table.append_column("customer_record_id", table.column(kind.id_field))
        return table

    tables = [FileTable(_contract(kind, kind.name, kind.id_field), reshape=records, **file_options)]

    if export.lines:
        line_kind = kinds()["order_lines"]

        def lines(rows: pa.Table, notes: list[str]) -> pa.Table:
            table = mapped(rows, {"order_id": export.id_columns, **export.lines})
            numbered = over(table, "select *, order_id || '-' || row_number() over (partition by order_id "
                                   "order by _source_line) as order_line_id from incoming")
            return _read_values(numbered, line_kind, export, notes)

        tables.append(FileTable(_contract(line_kind, "order_lines", "order_line_id"), reshape=lines, **file_options))

    if export.person:
        def people(rows: pa.Table, notes: list[str]) -> pa.Table:
            table = merged_by_id(mapped(rows, {**export.person, "source_record_id": export.id_columns}),
                                 "source_record_id")
            person_dates = {name: pattern for name, pattern in export.date_formats.items() if name in export.person}
            return complete_person_fields(table, tuple(export.person), person_dates, notes)

        tables.append(FileTable(TableContract("person_records", key=("source_record_id",)), reshape=people,
                                **file_options))
    return tables
