"""Privacy on the demo, end to end: what an analyst's file holds, and a person erased from every
layer and every file the project writes, and kept out when their records arrive again.

The session's built demo is copied for this module (erasure changes it); its exports belong to
the source systems and are never scanned.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import run_dbt, run_ingest, write_config

from c360.erase import erase
from c360.roles import pii_findings, publish
from ingest.config import dbt_vars, load_config

GOLD_FIGURES = ("order_count", "total_spend", "support_tickets", "web_sessions", "campaigns_sent", "email",
                "first_name", "is_contactable")


@pytest.fixture(scope="module")
def demo(built_warehouse, loaded_warehouse, tmp_path_factory):
    """The built batch-1 demo copied with its dlt state and exports into a folder of its own (erasure
    changes it), its role files published: a dict of its paths."""
    built, exports, built_root = built_warehouse
    loaded, _, _ = loaded_warehouse
    root = tmp_path_factory.mktemp("privacy")
    shutil.copytree(exports, root / "demo")  # file times kept: dlt's state sees the same files
    config = write_config(root / "run.yml", root / "demo")
    warehouse = root / "warehouse.duckdb"
    shutil.copy(built, warehouse)
    shutil.copytree(loaded.parent / ".dlt_warehouse", root / ".dlt_warehouse")
    shutil.copytree(built_root / "target", root / "target")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("C360_DUCKDB_PATH", str(warehouse))
        monkeypatch.delenv("C360_ROLE", raising=False)
        publish(root / "target" / "manifest.json")
        yield {"root": root, "config": config, "warehouse": warehouse, "exports": root / "demo",
               "monkeypatch": monkeypatch}


def query(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def text_columns(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str, str]]:
    return con.execute("select table_schema, table_name, column_name from information_schema.columns "
                       "where table_catalog = ? and data_type not in ('BOOLEAN', 'BIGINT', 'INTEGER', 'DOUBLE', "
                       "'HUGEINT', 'SMALLINT', 'TINYINT', 'FLOAT') and data_type not like 'DECIMAL%' "
                       "and data_type not like 'TIMESTAMP%'", [catalog]).fetchall()


def test_an_analysts_file_holds_no_raw_pii(demo):
    roles = demo["root"] / "roles"
    assert sorted(path.name for path in roles.glob("*.duckdb")) == ["admin.duckdb", "analyst.duckdb",
                                                                    "marketing.duckdb"]
    with duckdb.connect() as con:
        con.execute(f"attach '{demo['warehouse']}' as warehouse (read_only)")
        con.execute(f"attach '{roles / 'analyst.duckdb'}' as analyst (read_only)")
        # every raw personal value the demo has; a first or last name that is also a place is a place
        con.execute("""create table pii as
            with values_ as (
                select unnest([email, phone_e164, address_line1, postcode, cast(date_of_birth as varchar),
                               first_name || ' ' || last_name, first_name, last_name]) as value
                from warehouse.intermediate.int_person_records_unioned
            )
            select distinct lower(value) as value from values_ where value is not null
            except select lower(city) from warehouse.intermediate.int_person_records_unioned
            except select lower(state) from warehouse.intermediate.int_person_records_unioned""")
        assert con.execute("select count(*) from pii").fetchall()[0][0] > 1000
        found = []
        for schema, table, column in text_columns(con, "analyst"):
            hits = con.execute(f'select count(*) from analyst."{schema}"."{table}" '
                               f'where lower(cast("{column}" as varchar)) in (select value from pii)').fetchall()
            if hits[0][0]:
                found.append(f"{schema}.{table}.{column}: {hits[0][0]}")
        assert found == []
        assert pii_findings(con, "analyst") == []
        # the analyst still has every customer and can count them by anything that is not PII
        assert con.execute("select count(*), count(distinct email) from analyst.marts.gold_cust_360").fetchall() == \
            con.execute("select count(*), count(distinct email) from warehouse.marts.gold_cust_360").fetchall()


def test_marketing_sees_contact_details_only_for_customers_who_may_be_contacted(demo):
    with duckdb.connect() as con:
        con.execute(f"attach '{demo['warehouse']}' as warehouse (read_only)")
        con.execute(f"attach '{demo['root'] / 'roles' / 'marketing.duckdb'}' as marketing (read_only)")
        rows = con.execute("""select shown.is_contactable, shown.email = clear.email, shown.email like 'pii_%',
                                     shown.date_of_birth is null, count(*)
                              from marketing.marts.gold_cust_360 as shown
                              join warehouse.marts.gold_cust_360 as clear using (customer_id)
                              where clear.email is not null and clear.date_of_birth is not null
                              group by all order by all""").fetchall()
        assert [row[:4] for row in rows] == [(False, False, True, True), (True, True, False, True)]
        audience = con.execute("select count(*), count(*) filter (where customers.is_contactable) "
                               "from warehouse.marts.marketing_audience join warehouse.marts.gold_cust_360 "
                               "as customers using (customer_id)").fetchall()[0]
        assert audience[0] > 0 and audience[0] == audience[1]


def chosen_person(warehouse: Path) -> dict:
    """A customer with records in several systems whose e-mail, phone and surname no one else has
    and whose surname is no place or product: their values can then be searched for byte by byte."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("""create temp table candidates as
            with records as (
                select identity.customer_id, people.*
                from marts.customer_identity_map as identity
                join intermediate.int_person_records_unioned as people using (person_record_id)
            ),
            owners as (
                select lower(value) as value, count(distinct customer_id) as owners
                from (select customer_id, unnest([email, phone_e164, last_name]) as value from records)
                where value is not null group by 1
            )
            select customer_id, count(*) as records, count(distinct source_system) as systems,
                   list(distinct email) filter (where email is not null) as emails,
                   list(distinct phone_e164) filter (where phone_e164 is not null) as phones,
                   list(distinct lower(last_name)) filter (where last_name is not null) as surnames
            from records
            group by customer_id
            having count(distinct source_system) >= 3 and count(distinct phone_e164) >= 1
               and bool_and(coalesce(lower(email), '') not in (select value from owners where owners > 1))
               and bool_and(coalesce(lower(phone_e164), '') not in (select value from owners where owners > 1))
               and bool_and(coalesce(lower(last_name), '') not in (select value from owners where owners > 1))
            order by systems desc, records desc, customer_id""")
        places = {row[0] for row in con.execute(
            "select distinct lower(value) from (select unnest([city, state, address_line1]) as value "
            "from intermediate.int_person_records_unioned) where value is not null "
            "union select lower(product_name) from marts.dim_products").fetchall()}
        for customer_id, records, _, emails, phones, surnames in con.execute("select * from candidates").fetchall():
            if emails and not places & set(surnames):
                return {"customer_id": customer_id, "records": records, "emails": emails, "phones": phones,
                        "surnames": surnames}
    raise AssertionError("no customer in the demo with identifiers of their own")


def written_files(root: Path, exports: Path) -> list[Path]:
    """Every file under the project's data folder except the source systems' own exports."""
    return [path for path in root.rglob("*") if path.is_file() and exports not in path.parents]


def readable_text(path: Path) -> bytes:
    """A file's bytes, lower case, with gzip unpacked and Parquet decoded (their pages are compressed)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    elif data[:4] == b"PAR1":
        data += str(pq.read_table(path).to_pylist()).encode()
    return data.lower()


def traces(root: Path, exports: Path, values: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in written_files(root, exports):
        text = readable_text(path)
        hits = [value for value in values if value.lower().encode() in text]
        if hits:
            found[str(path.relative_to(root))] = hits
    return found


def raw_phone_forms(warehouse: Path, phones_e164: list[str]) -> list[str]:
    """Their phones as the source systems wrote them (spaces, trunk zeros), found in bronze."""
    forms = set(phones_e164)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table, column in con.execute(
                "select table_schema, table_name, column_name from information_schema.columns where "
                "table_schema like 'raw_%' and (column_name like '%phone%')").fetchall():
            forms |= {row[0] for row in con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where right(regexp_replace("{column}", '
                f"'[^0-9]', '', 'g'), 9) in (select right(unnest(?), 9))", [phones_e164]).fetchall()}
    return sorted(form for form in forms if form)


def everything_of_others(warehouse: Path, customer_id: str) -> tuple[list, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        identity = con.execute("select person_record_id, customer_id from marts.customer_identity_map "
                               "where customer_id <> ? order by 1", [customer_id]).fetchall()
        gold = con.execute(f"select customer_id, {', '.join(GOLD_FIGURES)} from marts.gold_cust_360 "
                           "where customer_id <> ? order by 1", [customer_id]).fetchall()
    return identity, gold


def test_an_erased_person_is_gone_from_every_layer_and_file_and_stays_out(demo):
    warehouse, root, exports = demo["warehouse"], demo["root"], demo["exports"]
    person = chosen_person(warehouse)
    phones = raw_phone_forms(warehouse, person["phones"])
    values = [*person["emails"], *phones, *person["surnames"]]
    before = traces(root, exports, values)
    assert any(person["emails"][0] in hits for hits in before.values()), before  # the scan can see them
    others_before = everything_of_others(warehouse, person["customer_id"])
    revenue_before = query(warehouse, "select sum(total_spend) from marts.gold_cust_360")[0][0]
    their_spend = query(warehouse, "select total_spend from marts.gold_cust_360 where customer_id = ?",
                        [person["customer_id"]])[0][0]

    entry = erase("email", person["emails"][0], demo["config"], "REQ-42", confirm=lambda preview: True,
                  dbt_args=["--target-path", str(root / "target"), "--log-path", str(root / "logs")])

    assert entry["verified"] and entry["customers"] == 1
    assert sum(entry["records_by_system"].values()) == person["records"]
    # no byte of them in any file the project writes: warehouse, role files, dlt's folders, logs
    assert traces(root, exports, values) == {}
    # the other customers keep their ids and their figures; totals lose exactly their part
    assert everything_of_others(warehouse, person["customer_id"]) == others_before
    revenue_after = query(warehouse, "select sum(total_spend) from marts.gold_cust_360")[0][0]
    assert revenue_after == revenue_before - their_spend
    log = (root / "privacy" / "erasure_log.jsonl").read_text()
    assert json.loads(log.splitlines()[-1])["request_id"] == "REQ-42"
    assert not any(value.lower() in log.lower() for value in values)
    suppression_list = (root / "privacy" / "suppression.csv").read_text()
    assert not any(value.lower() in suppression_list.lower() for value in values)

    # Their records arrive again in changed exports: a file re-read whole, a database row updated.
    for path in exports.rglob("*.csv"):  # event logs are append-only: a changed one is refused by design
        theirs = any(email.encode() in path.read_bytes().lower() for email in person["emails"])
        if theirs and not path.name.startswith("events"):
            path.write_bytes(path.read_bytes() + b"\n")
    with sqlite3.connect(exports / "sources" / "shop" / "shop.sqlite") as shop:
        changed = shop.execute("update customers set updated_at = '2099-01-01 00:00:00' "
                               f"where lower(email) in ({', '.join('?' * len(person['emails']))})",
                               person["emails"]).rowcount
    runs = run_ingest(demo["config"], warehouse, demo["monkeypatch"])
    assert all(run.status == "ok" for run in runs)
    suppressed = sum(table.rows_suppressed for run in runs for table in run.tables.values())
    assert suppressed >= 1 + changed
    rebuilt = run_dbt(["build"], warehouse, root, dbt_vars(load_config(demo["config"])))  # and publishes
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert traces(root, exports, values) == {}
    assert everything_of_others(warehouse, person["customer_id"]) == others_before
