"""The demo generator: seeded determinism, consistent batches, and the mess really being there.

One small demo (batch 1, a snapshot of it, then batch 2 in place) is generated in one part and again
in two parts of its people (as a large demo is written, one part in memory at a time), and every test
runs on both; the determinism tests generate their own tiny demos.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import hashlib
import json
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import phonenumbers
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from ingest.demo.generate import COUNTRIES, COUNTRY_NAMES, NICKNAMES, generate

PEOPLE = 1500
SEED = 11
END_1 = "2025-06-30 23:59:59"
B1, B2 = "0001", "0002"
CHANGED_BY_BATCH_2 = {"manifest.json", "sources/crm_a/contacts.jsonl", "sources/shop/shop.sqlite"}
VALID_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRY_CODE = {name: COUNTRIES[c] for c, names in COUNTRY_NAMES.items() for name in names}


def quiet(_: str) -> None:
    pass


def hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV export as dicts; a truncated last row keeps only the fields it has."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return [dict(zip(header, row, strict=False)) for row in reader]


def jsonl_rows(path: Path) -> list[dict]:
    """Objects of a JSON-lines export; lines that do not parse (the truncated tail) are skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            rows.append(json.loads(line))
    return rows


def ground_truth(root: Path, batch: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = csv_rows(root / "ground_truth" / f"person_records_{batch}.csv")
    return {(r["source_system"], r["source_record_id"]): r for r in rows}


@pytest.fixture(scope="module", params=[PEOPLE, PEOPLE // 2], ids=["one_part", "two_parts"])
def demo(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict:
    per_part = request.param
    root = tmp_path_factory.mktemp("generated")
    m1 = generate(root, people=PEOPLE, seed=SEED, batch=1, log=quiet, people_per_part=per_part)
    snapshot = tmp_path_factory.mktemp("batch1") / "demo"
    shutil.copytree(root, snapshot)
    m2 = generate(root, people=PEOPLE, seed=SEED, batch=2, log=quiet, people_per_part=per_part)
    return {"root": root, "b1": snapshot, "m1": m1, "m2": m2, "src": root / "sources", "src1": snapshot / "sources",
            "per_part": per_part}


# --- determinism and batches ------------------------------------------------------------

def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, people=600, seed=seed, batch=1, log=quiet)
    a, b, c = hashes(tmp_path / "a"), hashes(tmp_path / "b"), hashes(tmp_path / "c")
    assert a == b
    assert len([k for k in a if k.startswith("sources/")]) == 11
    assert all(a[k] != c[k] for k in a if k.startswith("sources/")), "a different seed must change every export"


def test_batch_2_without_batch_1_and_rerun_give_the_same_bytes(demo: dict, tmp_path: Path) -> None:
    generate(tmp_path, people=PEOPLE, seed=SEED, batch=2, log=quiet, people_per_part=demo["per_part"])
    fresh, sequential = hashes(tmp_path), hashes(demo["root"])
    common = [k for k in fresh if k != "manifest.json"]
    assert "sources/shop/shop.sqlite" in common
    assert {k: fresh[k] for k in common} == {k: sequential[k] for k in common}
    generate(tmp_path, people=PEOPLE, seed=SEED, batch=2, log=quiet, people_per_part=demo["per_part"])  # again
    assert hashes(tmp_path) == fresh


def test_batch_2_leaves_batch_1_files_alone(demo: dict) -> None:
    before, after = hashes(demo["b1"]), hashes(demo["root"])
    changed = {k for k in before if before[k] != after[k]}
    assert changed == CHANGED_BY_BATCH_2
    assert any("_0002" in k for k in after) and not any("_0002" in k for k in before)


def test_changed_shop_customers_keep_their_id_with_a_later_updated_at(demo: dict) -> None:
    cols = "customer_id, email, address_line1, created_at, updated_at"
    with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
        old = {r[0]: r for r in con.execute(f"select {cols} from customers")}
    with sqlite3.connect(demo["src"] / "shop/shop.sqlite") as con:
        new = {r[0]: r for r in con.execute(f"select {cols} from customers")}
    changed = [i for i in old if new[i] != old[i]]
    assert changed, "batch 2 must update some batch-1 customers in place"
    assert all(new[i][4] > END_1 >= old[i][4] and new[i][3] == old[i][3] for i in changed)
    assert any(new[i][1] != old[i][1] for i in changed), "some change their e-mail"
    assert any(new[i][2] != old[i][2] for i in changed), "some move house"
    assert len(new) > len(old) and min(set(new) - set(old)) > max(old)


def test_the_shop_numbers_its_rows_in_order_of_creation(demo: dict) -> None:
    """Order lines are read incrementally on their id: every part's later lines come after batch 1's."""
    for table, key in (("orders", "order_id"), ("order_lines", "order_line_id")):
        with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
            old = {r[0] for r in con.execute(f"select {key} from {table}")}
        with sqlite3.connect(demo["src"] / "shop/shop.sqlite") as con:
            new = {r[0] for r in con.execute(f"select {key} from {table}")}
        assert old == set(range(1, len(old) + 1)) and new == set(range(1, len(new) + 1)), table
        assert old < new, table


def test_every_record_id_names_one_record(demo: dict) -> None:
    for batch in (B1, B2):
        rows = csv_rows(demo["root"] / "ground_truth" / f"person_records_{batch}.csv")
        assert len({(r["source_system"], r["source_record_id"]) for r in rows}) == len(rows), batch
    people = {r["person_id"] for r in csv_rows(demo["root"] / "ground_truth" / f"person_records_{B1}.csv")}
    assert len(people - {""}) > 0.9 * PEOPLE, "every part's people, each under an id of their own"


def test_changed_crm_and_subscriber_records_keep_their_ids(demo: dict) -> None:
    old = {r["Id"]: r for r in jsonl_rows(demo["src1"] / "crm_a/contacts.jsonl") if r["Id"]}
    new = {r["Id"]: r for r in jsonl_rows(demo["src"] / "crm_a/contacts.jsonl") if r["Id"]}
    changed = [i for i in old if new[i]["LastModifiedDate"] != old[i]["LastModifiedDate"]]
    assert changed and all(new[i]["LastModifiedDate"] > old[i]["LastModifiedDate"] for i in changed)
    assert all(new[i]["LastModifiedDate"] >= "2025-07-01" for i in changed)
    assert any(new[i]["Email"] != old[i]["Email"] or new[i]["MailingAddress"] != old[i]["MailingAddress"]
               for i in changed)
    crm_b_1 = {r["contactid"] for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{B1}.csv")}
    crm_b_2 = {r["contactid"] for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{B2}.csv")}
    assert (crm_b_1 & crm_b_2) - {""}, "batch 2's CRM B export repeats modified batch-1 contacts"
    s1 = {r["subscriber_id"]: r for r in csv_rows(demo["src"] / f"email/subscribers_{B1}.csv")}
    s2 = {r["subscriber_id"]: r for r in csv_rows(demo["src"] / f"email/subscribers_{B2}.csv")}
    again = set(s1) & set(s2)
    assert again and all(s2[i]["updated_at"] > s1[i]["updated_at"] for i in again)


def test_ground_truth_person_is_stable_across_batches(demo: dict) -> None:
    g1, g2 = ground_truth(demo["root"], B1), ground_truth(demo["root"], B2)
    both = set(g1) & set(g2)
    assert {s for s, _ in both} >= {"crm_a", "crm_b", "shop", "email"}
    assert all(g1[k]["person_id"] == g2[k]["person_id"] for k in both)


# --- the mess ------------------------------------------------------------------------------

def test_exact_duplicate_rows_in_csv_jsonl_and_parquet(demo: dict) -> None:
    for rel in (f"crm_b/contacts_export_{B1}.csv", f"payments/payments_{B1}.csv", f"email/events_{B1}.csv",
                f"support/tickets_{B1}.jsonl", "crm_a/contacts.jsonl"):
        lines = (demo["src"] / rel).read_text(encoding="utf-8").splitlines()
        dups = sum(c - 1 for c in collections.Counter(lines).values() if c > 1)
        assert 0 < dups <= 0.03 * len(lines), rel
    events = pq.read_table(next((demo["src"] / "web").glob(f"events_{B1}_part*.parquet")))
    ids = events.column("event_id").to_pylist()
    twice = [i for i, c in collections.Counter(ids).items() if c == 2]
    assert twice
    rows = events.filter(pc.is_in(events["event_id"], value_set=events["event_id"].take([ids.index(twice[0])])))
    assert rows.num_rows == 2 and rows.slice(0, 1).to_pylist() == rows.slice(1, 1).to_pylist()


def test_truncated_last_line(demo: dict) -> None:
    for rel in (f"payments/payments_{B1}.csv", f"crm_b/contacts_export_{B1}.csv"):
        raw = (demo["src"] / rel).read_bytes()
        assert not raw.endswith(b"\n")
        rows = list(csv.reader(raw.decode().splitlines()))
        assert len(rows[-1]) < len(rows[0]) and all(len(r) == len(rows[0]) for r in rows[1:-1])
    raw = (demo["src"] / f"support/tickets_{B1}.jsonl").read_bytes()
    *good, last = raw.decode().split("\n")
    assert all(json.loads(line) for line in good)
    with pytest.raises(json.JSONDecodeError):
        json.loads(last)


def test_rows_without_key_and_bad_crm_a_dates(demo: dict) -> None:
    assert any(r["contactid"] == "" for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{B1}.csv")[:-1])
    assert any(r["id"] == "" for r in csv_rows(demo["src"] / f"payments/payments_{B1}.csv")[:-1])
    assert any(r["ticket_id"] == "" for r in jsonl_rows(demo["src"] / f"support/tickets_{B1}.jsonl"))
    contacts = jsonl_rows(demo["src"] / "crm_a/contacts.jsonl")
    assert any(r["Id"] is None for r in contacts)
    assert any(not _parses(r["CreatedDate"]) for r in contacts)
    assert sum(_parses(r["LastModifiedDate"]) for r in contacts) == len(contacts)


def _parses(stamp: str) -> bool:
    try:
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        return False
    return True


def test_invalid_emails_exist_but_are_rare(demo: dict) -> None:
    emails = [r["emailaddress1"] for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{B1}.csv")[:-1]]
    emails += [r["billing_email"] for r in csv_rows(demo["src"] / f"payments/payments_{B1}.csv")[:-1]]
    emails = [e.strip() for e in emails if e]
    invalid = [e for e in emails if not VALID_EMAIL.match(e)]
    assert invalid and len(invalid) < 0.05 * len(emails)
    assert any(e.endswith("@") or e == "n/a" or " " in e for e in invalid)
    assert any("+" in e.split("@")[0] for e in emails), "plus-tags"
    assert any(e.lower().endswith("@googlemail.com") for e in emails)


def _person_phones(demo: dict) -> dict[str, list[tuple[str, str]]]:
    """(raw phone, region) per true person across CRM A, CRM B, shop and payments (batch 1)."""
    gt = ground_truth(demo["root"], B1)
    out: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)

    def add(system: str, rid: str, region: str | None, *phones: str | None) -> None:
        person = gt.get((system, rid), {}).get("person_id")
        for phone in phones:
            if person and phone and region:
                out[person].append((phone, region))

    for r in jsonl_rows(demo["src1"] / "crm_a/contacts.jsonl"):
        add("crm_a", r["Id"], COUNTRY_CODE.get(r["MailingAddress"]["country"]), r["Phone"], r["MobilePhone"])
    for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{B1}.csv")[:-1]:
        add("crm_b", r["contactid"], COUNTRY_CODE.get(r["address1_country"]), r["telephone1"], r["mobilephone"])
    with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
        for cid, phone, country in con.execute("select customer_id, phone, country from customers"):
            add("shop", str(cid), country, phone)
    for r in csv_rows(demo["src"] / f"payments/payments_{B1}.csv")[:-1]:
        add("payments", r["id"], r["billing_country"], r["billing_phone"])
    return out


def test_phones_are_valid_and_written_many_ways(demo: dict) -> None:
    valid, total, shapes, raws = 0, 0, set(), set()
    best = 0
    for phones in _person_phones(demo).values():
        by_e164: dict[str, set[str]] = collections.defaultdict(set)
        for raw, region in phones:
            if not re.search(r"\d{6}", re.sub(r"\D", "", raw)) or set(re.sub(r"\D", "", raw)) == {"0"}:
                continue  # deliberate junk ('n/a', '000', ...)
            total += 1
            number = phonenumbers.parse(raw, region)
            if phonenumbers.is_valid_number(number):
                valid += 1
                by_e164[phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)].add(raw)
                shapes.add(re.sub(r"\d", "9", raw))
                raws.add(raw)
        best = max([best, *(len(v) for v in by_e164.values())])
    assert total > 1000 and valid == total, f"{total - valid} invalid phone numbers"
    assert best >= 3, "one person's number written at least three ways"
    assert len(shapes) >= 20
    assert any(r.startswith("00") for r in raws) and any("(" in r for r in raws) and any("." in r for r in raws)
    assert any(r.startswith("+") for r in raws) and any(r.startswith("0") and " " in r for r in raws)


def test_nicknames_and_name_variants_across_systems(demo: dict) -> None:
    gt = ground_truth(demo["root"], B1)
    names: dict[str, set[str]] = collections.defaultdict(set)
    for r in jsonl_rows(demo["src1"] / "crm_a/contacts.jsonl"):
        if r["Id"] and r["FirstName"]:
            names[gt[("crm_a", r["Id"])]["person_id"]].add(r["FirstName"].strip().title())
    for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{B1}.csv")[:-1]:
        if r["contactid"] and r["firstname"]:
            names[gt[("crm_b", r["contactid"])]["person_id"]].add(r["firstname"].strip().title())
    with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
        for cid, first in con.execute("select customer_id, first_name from customers"):
            person = gt[("shop", str(cid))]["person_id"]
            if person and first:
                names[person].add(first.strip().title())
    pairs = [(full, nick) for person in names.values() for full, nicks in NICKNAMES.items()
             for nick in nicks if full in person and nick in person]
    assert len(pairs) >= 3, "the same person appears as e.g. William in one system and Bill in another"


def test_orphan_payments_test_accounts_and_bad_amounts(demo: dict) -> None:
    with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
        numbers = {r[0] for r in con.execute("select order_number from orders")}
        tests = {str(r[0]) for r in con.execute(
            "select customer_id from customers where email like '%@northwind-outfitters.com'")}
    payments = [r for r in csv_rows(demo["src"] / f"payments/payments_{B1}.csv")[:-1]]
    orphans = [p for p in payments if p["order_reference"] not in numbers]
    assert orphans and len(orphans) < 0.02 * len(payments)
    gt = ground_truth(demo["root"], B1)
    flagged = {rid for (s, rid), r in gt.items() if s == "shop" and r["is_test_account"] == "true"}
    assert tests and flagged == tests and all(gt[("shop", t)]["person_id"] == "" for t in tests)
    amounts = [p["amount"] for p in payments]
    assert any(a == "N/A" or "," in a for a in amounts), "wrong-type amounts"
    numeric = [float(a) for a in amounts if re.fullmatch(r"-?\d+\.\d\d", a)]
    assert any(a < 0 for a in numeric) or any(a > 50_000 for a in numeric)


def test_every_exported_person_record_is_in_ground_truth(demo: dict) -> None:
    for batch in (B1, B2):
        gt = ground_truth(demo["root"], batch)
        ids: dict[str, set[str]] = collections.defaultdict(set)
        for s, rid in gt:
            ids[s].add(rid)
        src = demo["src1"] if batch == B1 else demo["src"]
        contacts = [r for r in jsonl_rows(src / "crm_a/contacts.jsonl") if r["Id"]]
        since = "" if batch == B1 else "2025-07-01"
        assert {r["Id"] for r in contacts if r["LastModifiedDate"] >= since} == ids["crm_a"]
        assert {r["contactid"] for r in csv_rows(demo["src"] / f"crm_b/contacts_export_{batch}.csv")} - {""} \
            == ids["crm_b"]
        assert {r["id"] for r in csv_rows(demo["src"] / f"payments/payments_{batch}.csv")} - {""} == ids["payments"]
        assert {r["ticket_id"] for r in jsonl_rows(demo["src"] / f"support/tickets_{batch}.jsonl")} - {""} \
            <= ids["support"]
        assert {r["subscriber_id"] for r in csv_rows(demo["src"] / f"email/subscribers_{batch}.csv")} == ids["email"]
        with sqlite3.connect(src / "shop/shop.sqlite") as con:
            since_sql = "" if batch == B1 else END_1
            shop = {str(r[0]) for r in con.execute("select customer_id from customers where updated_at > ?",
                                                   (since_sql,))}
        assert shop == ids["shop"]
        persons = {r["person_id"] for r in gt.values() if r["is_test_account"] == "false"}
        assert all(re.fullmatch(r"P\d{8}", p) for p in persons)


def test_shop_database_is_typed_and_orphan_free(demo: dict) -> None:
    with sqlite3.connect(demo["src"] / "shop/shop.sqlite") as con:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert q("select count(*) from orders where typeof(total_amount) != 'real' or typeof(customer_id) != "
                 "'integer'") == 0
        assert q("select count(*) from orders o left join customers c using (customer_id) "
                 "where c.customer_id is null") == 0
        assert q("select count(*) from order_lines l left join products p using (product_id) "
                 "where p.product_id is null") == 0
        assert q("select count(*) from order_lines l left join orders o using (order_id) "
                 "where o.order_id is null") == 0
        assert q("select min(n) >= 1 and max(n) <= 5 from (select count(*) n from order_lines group by order_id)")
        mismatched = q("""select count(*) from orders o join (select order_id,
                          round(sum(quantity * unit_price - discount), 2) s from order_lines group by order_id) l
                          using (order_id) where abs(o.subtotal + o.shipping - o.total_amount) > 0.005
                          or abs(l.s - o.subtotal) > 0.005""")
        orders = q("select count(*) from orders")
        assert 0 < mismatched < 0.02 * orders, "totals match the lines except a few deliberate bad ones"
        assert q("select count(*) from orders where status in ('cancelled', 'returned')") > 0


def test_campaigns_drive_orders_and_web_sessions(demo: dict) -> None:
    with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
        driven = dict(con.execute("select order_number, campaign_id from orders where campaign_id is not null"))
    assert len(driven) > 20
    events = pq.read_table(list((demo["src"] / "web").glob(f"events_{B1}_part*.parquet")))
    done = events.filter(pc.equal(events["event_type"], "order_completed"))
    tagged = {o: c for o, c in zip(done["order_number"].to_pylist(), done["utm_campaign"].to_pylist(), strict=True)
              if o in driven}
    assert tagged and all(driven[o] == c for o, c in tagged.items())
    campaigns = {r["campaign_id"] for r in csv_rows(demo["src"] / f"email/campaigns_{B1}.csv")}
    assert set(driven.values()) <= campaigns


def test_web_logins_tie_anonymous_ids_to_customers(demo: dict) -> None:
    events = pq.read_table(list((demo["src"] / "web").glob(f"events_{B1}_part*.parquet")))
    logins = events.filter(pc.equal(events["event_type"], "login"))
    assert logins.num_rows and logins["customer_id"].null_count == 0
    with sqlite3.connect(demo["src1"] / "shop/shop.sqlite") as con:
        customers = {r[0] for r in con.execute("select customer_id from customers")}
    assert set(logins["customer_id"].to_pylist()) <= customers
    per_anon = collections.defaultdict(set)
    for anon, cust in zip(events["anonymous_id"].to_pylist(), events["customer_id"].to_pylist(), strict=True):
        per_anon[anon].add(cust)
    assert any(None in c and len(c) > 1 for c in per_anon.values()), "anonymous before login, known after"
    assert any(c == {None} for c in per_anon.values()), "anonymous-only visitors"
    active = len({c for c in events["customer_id"].to_pylist() if c is not None})
    assert 10 <= events.num_rows / active <= 60, "tens of events per active customer"


def test_manifest_counts_match_the_files(demo: dict) -> None:
    manifest = json.loads((demo["root"] / "manifest.json").read_text())
    assert manifest["batch"] == 2 and set(manifest["batches"]) == {"1", "2"}
    for rel, rows in manifest["files"].items():
        path = demo["src"] / rel
        if rel.endswith(".csv"):
            assert rows == len(path.read_bytes().rstrip(b"\n").split(b"\n")) - 1, rel
        elif rel.endswith(".jsonl"):
            assert rows == len(path.read_bytes().rstrip(b"\n").split(b"\n")), rel
        elif rel.endswith(".parquet"):
            assert rows == pq.read_metadata(path).num_rows <= 1_000_000, rel
