"""The privacy rules without a build: which incoming rows the suppression list keeps out, and a
role file that refuses PII nobody tagged (the end-to-end erasure is in test_privacy.py)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from c360.privacy import add_to_suppression_list, identifier_hash, key_kind, secret, suppression
from c360.roles import RoleError, connect, load_roles, publish


@pytest.fixture()
def privacy_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("C360_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    return tmp_path / "privacy"


def suppress(emails=(), phones=(), keys=()) -> None:
    salt = secret()
    entries = [(identifier_hash("email", email, salt), "email") for email in emails]
    entries += [(identifier_hash("phone", phone, salt), "phone") for phone in phones]
    entries += [(identifier_hash(key_kind(system, table), value, salt), "record") for system, table, value in keys]
    add_to_suppression_list(entries, "test-request")


def test_an_empty_list_leaves_every_row_and_writes_nothing(privacy_dir):
    rows = pa.table({"email": ["a@example.com"], "id": ["1"]})
    kept, left_out = suppression().split(rows, "crm_a", "contacts")
    assert (kept, left_out) == (rows, 0)
    assert not (privacy_dir / "suppression.csv").exists()


def test_erased_people_are_left_out_however_the_source_writes_them(privacy_dir):
    suppress(emails=["jane.doe@example.com"], phones=["700900123"], keys=[("crm_b", "contacts", "C-7")])
    contacts = pa.table({
        "ContactId": ["C-1", "C-2", "C-3", "C-7", "C-9"],
        "EMailAddress1": ["  Jane.Doe@Example.com ", "other@example.com", None, None, "someone@example.com"],
        "MobilePhone": [None, "+44 7700 900123", "07700 900 123", None, "+44 7700 900999"],
    })
    kept, left_out = suppression().split(contacts, "crm_b", "contacts")
    # the e-mail in another case, the phone in two spellings, the record by its key
    assert kept.column("ContactId").to_pylist() == ["C-9"]
    assert left_out == 4
    assert (privacy_dir / "suppression.csv").read_text().count("jane") == 0  # hashes only


def test_rows_that_point_at_an_erased_record_go_with_it(privacy_dir):
    suppress(keys=[("shop", "customers", "41"), ("shop", "orders", "9001")])
    orders = pa.table({"order_id": [9001, 9002, 9003], "customer_id": [41, 41, 7]})
    lines = pa.table({"order_line_id": [1, 2, 3], "order_id": [9001, 9003, 9003]})
    assert suppression().split(orders, "shop", "orders")[0].column("order_id").to_pylist() == [9003]
    assert suppression().split(lines, "shop", "order_lines")[0].column("order_line_id").to_pylist() == [2, 3]
    # an export row names its buyer's record in another system
    payments = pa.table({"payment_id": ["p1", "p2"], "customer_system": ["shop", "shop"],
                         "customer_record_id": ["41", "42"]})
    assert suppression().split(payments, "ledger", "payments")[0].column("payment_id").to_pylist() == ["p2"]


def test_quarantined_records_naming_an_erased_email_are_left_out(privacy_dir):
    suppress(emails=["jane.doe@example.com"])
    clean = pa.table({"id": ["1"], "email": ["kept@example.com"]})
    rejects = pa.table({"source_row": pa.array([3, 4], pa.int64()),
                        "raw_record": ['"x","JANE.DOE@example.com",,"bad date"', '"y","kept@example.com"'],
                        "reason": ["wrong type", "wrong type"]})
    kept, kept_rejects, left_out = suppression().leave_out(clean, rejects, "crm_a", "contacts")
    assert kept.num_rows == 1 and kept_rejects.column("source_row").to_pylist() == [4] and left_out == 1


def roles_config(tmp_path: Path, tables=("marts.*",)) -> Path:
    path = tmp_path / "roles.yml"
    path.write_text(json.dumps({"default_role": "analyst", "tables": list(tables), "roles": {
        "analyst": {"pii": "hashed"}, "admin": {"pii": "clear", "external_access": True}}}))
    return path


def manifest(tmp_path: Path, columns: dict[str, dict]) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {"model.x.people": {
        "schema": "marts", "alias": "people", "name": "people",
        "columns": {name: {"meta": meta} for name, meta in columns.items()}}}, "sources": {}}))
    return path


def small_warehouse(tmp_path: Path) -> Path:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.people as select * from (values "
                    "('c1', 'ann@example.com', 'Ann', date '1980-01-02', 3), "
                    "('c2', 'bob@example.com', 'Bob', date '1975-05-06', 5)) as t(customer_id, email, first_name, "
                    "date_of_birth, orders)")
        con.execute("create table marts.orders as select * from (values ('c1', 10), ('c1', 20)) as t(customer_id, "
                    "amount)")
    return warehouse


def test_untagged_emails_are_masked_and_a_list_of_them_stops_the_publish(tmp_path, privacy_dir, monkeypatch):
    monkeypatch.setenv("C360_ROLES_CONFIG", str(roles_config(tmp_path)))
    warehouse = small_warehouse(tmp_path)
    publish(manifest(tmp_path, {"first_name": {"pii": "contact"}}))  # e-mail untagged: masked by its shape
    con, _ = connect()
    with con:
        assert [email.startswith("pii_") for (email,) in con.execute("select email from marts.people").fetchall()] \
            == [True, True]
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table marts.contacts as select customer_id, [email] as emails from marts.people")
    with pytest.raises(RoleError, match=r"marts\.contacts\.emails: 2 values shaped like an e-mail"):
        publish(manifest(tmp_path, {"first_name": {"pii": "contact"}}))


def test_role_files_mask_what_the_role_may_not_see(tmp_path, privacy_dir, monkeypatch):
    monkeypatch.setenv("C360_ROLES_CONFIG", str(roles_config(tmp_path)))
    small_warehouse(tmp_path)
    publish(manifest(tmp_path, {"email": {"pii": "contact"}, "first_name": {"pii": "contact"},
                                "date_of_birth": {"pii": "sensitive"}}))
    con, role = connect()
    with con:
        assert role == "analyst"
        rows = con.execute("select email, first_name, date_of_birth, orders from marts.people "
                           "order by orders").fetchall()
        assert all(email.startswith("pii_") and name.startswith("pii_") and birth is None
                   for email, name, birth, _ in rows)
        assert [orders for *_, orders in rows] == [3, 5]
        # the same value masks to the same token, so joins across tables still work
        assert con.execute("select count(*) from marts.orders join marts.people using (customer_id)").fetchall() \
            == [(2,)]
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute(f"select * from read_csv('{roles_config(tmp_path)}')").fetchall()
    con, _ = connect("admin")
    with con:
        assert con.execute("select email from marts.people order by orders").fetchall() == [
            ("ann@example.com",), ("bob@example.com",)]
    with pytest.raises(RoleError, match="no such role"):
        connect("nobody")


def test_a_bad_roles_file_is_named(tmp_path):
    path = tmp_path / "roles.yml"
    path.write_text("roles:\n  analyst: {pii: blurred}\n")
    with pytest.raises(RoleError, match=r"roles\.yml: role 'analyst' has pii: 'blurred'"):
        load_roles(path)
