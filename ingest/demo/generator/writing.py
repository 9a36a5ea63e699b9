"""Writing a batch: the time window of one batch (``Emit``) and the writer of every source
export in it (CRM A JSON lines, CRM B CSV, the shop SQLite database updated in place, payments
and refunds, support tickets, web events as Parquet parts, e-mail campaigns, subscribers and
events, marketing spend), each with its deliberate duplicates and keyless or truncated rows, and
the ground truth of the person behind every record written.
"""

from __future__ import annotations

import io
import json
import sqlite3
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ingest.demo.generator.arrays import (
    _EU_DST,
    _HEX,
    _U64,
    NULL,
    TZ_CET,
    TZ_UK,
    _b62_mat,
    _cat,
    _fixed_int,
    _fmt_local,
    _fmt_time,
    _group_cumsum,
    _group_starts,
    _hex_mat,
    _in_dst,
    _int_str,
    _mix64,
    _money,
    _pick,
    _pos_in_group,
    _rng,
    _sa,
    _salt,
    _sql_time,
    _take,
    _unif,
    _vocab,
    _where,
)
from ingest.demo.generator.campaigns import EMAIL_EVENTS, Campaigns
from ingest.demo.generator.mess import _render
from ingest.demo.generator.people import DOMAIN_V
from ingest.demo.generator.support import _SUBJECTS
from ingest.demo.generator.timeline import BATCH_END, BATCH_START, DAY, EVENTS_PER_PART, WORLD_END
from ingest.demo.generator.vocabulary import (
    CARD_BRANDS,
    CATEGORIES,
    COUNTRIES,
    COUNTRY_NAMES,
    CURRENCIES,
    DE,
    DEVICE_TYPES,
    EV_APP,
    EV_CART,
    EV_CHECKOUT,
    EV_DONE,
    EV_LOGIN,
    EV_PAGE,
    EV_PRODUCT,
    EVENT_TYPES,
    FAILURE_CODES,
    FR,
    ORDER_STATUSES,
    PAGES,
    PAY_METHODS,
    PLATFORMS,
    REFUND_REASONS,
    SHOP_DOMAIN,
    SPEND_CHANNELS,
    TICKET_CATEGORIES,
    TICKET_CHANNELS,
    TICKET_PRIORITIES,
    TICKET_STATUSES,
    UA_STRINGS,
    US,
    UTM_SOURCES,
)
from ingest.demo.generator.world import World

SHOP_NUMBERED = ("customers", "orders", "order_lines")  # the shop numbers these in order of creation


def shop_batch_1_rows(w: World) -> dict[str, int]:
    return {table: first for table, (first, _) in _shop_rows(w).items()}


def _shop_rows(w: World) -> dict[str, tuple[int, int]]:
    """(rows created by the end of batch 1, all rows) of a part's shop tables; a world's rows are in
    order of creation, so the first are batch 1's."""
    shop, od, end_1 = w.records["shop"], w.orders, BATCH_END[1]
    orders = int((od.created <= end_1).sum())
    lines = int(od.line_start[orders]) if orders < od.n else len(od.l_product)
    return {"customers": (int((shop.created <= end_1).sum()), len(shop)), "orders": (orders, od.n),
            "order_lines": (lines, len(od.l_product))}


@dataclass
class IdOffsets:
    """Where a part's running ids start: the sizes of the parts before it, so every id is unique
    across the demo and the same in both batches (a part's sizes come from the world, not the batch).
    The shop's ids grow with time, as a database's do (its order lines are read incrementally on
    their id): batch 1's rows of every part come first, then the later ones."""
    person: int = 0
    crm_a_seq: int = 0
    ticket: int = 0
    email_event: int = 0
    shop_batch_1: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHOP_NUMBERED, 0))
    shop_later: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHOP_NUMBERED, 0))
    # batch 1's rows of every part (what the shop's database holds at batch 1): batch 1 needs them too,
    # as a payment made just before the batch's end can name an order created just after it
    shop_batch_1_total: dict[str, int] | None = None

    def shop(self, w: World, table: str, local: np.ndarray) -> np.ndarray:
        """The demo's 0-based number of a part's rows `local` of shop table `table`."""
        if self.shop_batch_1_total is None:
            raise ValueError("the shop's batch-1 row counts are needed to number its rows (see `generate`)")
        local = np.asarray(local)
        in_batch_1 = _shop_rows(w)[table][0]
        first = local < in_batch_1
        return np.where(first, self.shop_batch_1[table] + local,
                        self.shop_batch_1_total[table] + self.shop_later[table] + local - in_batch_1)

    def after(self, w: World) -> IdOffsets:
        rows = _shop_rows(w)
        return IdOffsets(
            person=self.person + w.n,
            crm_a_seq=self.crm_a_seq + CRM_A_SEQ_STEP * len(w.records["crm_a"]),
            ticket=self.ticket + len(w.tickets.created),
            email_event=self.email_event + len(w.email.t),
            shop_batch_1={table: self.shop_batch_1[table] + first for table, (first, _) in rows.items()},
            shop_later={table: self.shop_later[table] + total - first for table, (first, total) in rows.items()},
            shop_batch_1_total=self.shop_batch_1_total)


@dataclass
class Emit:
    """One batch being written, one part of the people at a time (`ids`, `first`, `last`): files are
    started by the first part and appended to by the others; only the last part cuts a file's last line."""
    out: Path
    batch: int
    seed: int = 0
    people: int = 0
    parts: int = 1
    files: dict[str, int] = field(default_factory=dict)
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    gt: list[pa.Table] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print
    ids: IdOffsets = field(default_factory=IdOffsets)
    first: bool = True
    last: bool = True
    web_parts: int = 0
    _varied: dict[str, tuple[float, int]] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return BATCH_START[self.batch]

    @property
    def end(self) -> int:
        return BATCH_END[self.batch]

    @property
    def rec_start(self) -> int:
        """Records created or modified from here on belong to the batch (batch 1: initial full load)."""
        return 0 if self.batch == 1 else BATCH_START[self.batch]

    def window(self, t: np.ndarray) -> np.ndarray:
        return (t >= self.start) & (t <= self.end)

    def path(self, rel: str) -> Path:
        p = self.out / "sources" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def varied(self, system: str, rendered: dict[str, Any]) -> None:
        """Share of this batch's records of `system` carrying at least one variation (manifest stats)."""
        v = rendered["varied"]
        total, count = self._varied.get(system, (0.0, 0))
        total, count = total + float(v.sum()), count + len(v)
        self._varied[system] = (total, count)
        self.stats[f"varied_share_{system}"] = total / count if count else 0.0

    def done(self, rel: str, rows: int, t0: float) -> None:
        self.files[rel] = self.files.get(rel, 0) + rows
        self.log(f"[generate] {rel}: {rows:,} rows in {time.perf_counter() - t0:.1f}s")

    @property
    def mode(self) -> str:
        """How a part opens a file: the first writes it, the others append."""
        return "wb" if self.first else "ab"


def _some(mask: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Deliberate bad data must exist even at tiny scales: force at least one row."""
    if len(mask) and not mask.any():
        mask = mask.copy()
        mask[int(np.argmin(score))] = True
    return mask


def _dup_order(rng: np.random.Generator, n: int, rate: float = 0.01) -> np.ndarray:
    """Row order with ~rate exact duplicates, each right after its original."""
    if n < 2:
        return np.arange(n)
    dup = np.zeros(n, dtype=np.int64)
    dup[rng.choice(n, min(n, max(1, round(rate * n))), replace=False)] = 1
    return np.repeat(np.arange(n), 1 + dup)


def _pid(person: np.ndarray) -> pa.Array:
    return _where(person >= 0, _cat("P", _fixed_int(person.clip(0) + 1, 8)), NULL)


def _add_gt(em: Emit, system: str, table: str, ids: pa.Array, person: np.ndarray) -> None:
    em.gt.append(pa.table({
        "source_system": pa.array([system] * len(ids), pa.string()),
        "source_table": pa.array([table] * len(ids), pa.string()),
        "source_record_id": ids.cast(pa.string()),
        "person_id": _pid(np.where(person >= 0, person + em.ids.person, person)),
        "is_test_account": pa.array(person < 0),
    }))


def _jv(a: pa.Array) -> pa.Array:
    """JSON text of a string column (null stays null)."""
    a = pc.replace_substring(pc.replace_substring(a, "\\", "\\\\"), '"', '\\"')
    a = pc.replace_substring(a, "\n", "\\n")
    return pc.fill_null(_cat('"', a, '"'), "null")


def _jobj(fields: list[tuple[str, pa.Array]]) -> pa.Array:
    parts: list[Any] = []
    for i, (k, v) in enumerate(fields):
        parts += [("{" if i == 0 else ", ") + json.dumps(k) + ": ", v]
    return _cat(*parts, "}")


def _write_lines(path: Path, lines: pa.Array, tail: bytes = b"", mode: str = "wb") -> None:
    """Write a string array as text lines straight from Arrow buffers."""
    with open(path, mode) as f:
        step = 250_000
        for i in range(0, len(lines), step):
            chunk = _cat(lines.slice(i, step), "\n")
            off = np.frombuffer(chunk.buffers()[1], dtype=np.int32)
            f.write(memoryview(chunk.buffers()[2])[off[0]:off[len(chunk)]])
        f.write(tail)


def _truncate_jsonl(line: str) -> bytes:
    b = line.encode()
    return b[: max(10, int(len(b) * 0.6))]


def _truncate_csv(line: bytes) -> bytes:
    """Cut a CSV line mid-record; never inside a quoted field, so the line ends after a comma."""
    cut = max(5, int(len(line) * 0.6))
    quote_open = line[:cut].count(b'"') % 2 == 1
    if quote_open:
        cut = line[:cut].rfind(b'"')
    return line[:cut]


def _write_csv(path: Path, table: pa.Table, truncate_last: bool = False, mode: str = "wb") -> int:
    """`mode` "ab" appends the rows without a header (a later part of the people)."""
    opts = pacsv.WriteOptions(quoting_style="needed", include_header=mode == "wb")
    n = table.num_rows
    body = table.slice(0, n - 1) if truncate_last and n > 1 else table
    with open(path, mode) as f:
        pacsv.write_csv(body, f, opts)
        if truncate_last and n > 1:
            buf = io.BytesIO()
            pacsv.write_csv(table.slice(n - 1), buf, pacsv.WriteOptions(quoting_style="needed", include_header=False))
            f.write(_truncate_csv(buf.getvalue().rstrip(b"\n")))
    return n


def _name(first: pa.Array, last: pa.Array) -> pa.Array:
    # (not null_handling="skip": pyarrow 26 drops rows whose inputs are all null)
    f_null = pc.is_null(first).to_numpy(zero_copy_only=False)
    l_null = pc.is_null(last).to_numpy(zero_copy_only=False)
    return _where(f_null, last, _where(l_null, first, _cat(first, " ", last)))


def _country_text(country: np.ndarray, u: np.ndarray, p_alt: float) -> pa.Array:
    names = [COUNTRY_NAMES[c] for c in range(5)]
    flat = _vocab([s for lst in names for s in lst])
    start = np.cumsum([0] + [len(lst) for lst in names])
    cnt = np.array([len(lst) for lst in names])
    alt = u < p_alt
    k = np.where(alt, 1 + (u / max(p_alt, 1e-9) * (cnt[country] - 1)).astype(np.int64).clip(0, cnt[country] - 2), 0)
    return _take(flat, start[country] + k)


def _iso2(country: np.ndarray) -> pa.Array:
    return _take(_vocab(COUNTRIES), country)


def _order_number(order: np.ndarray) -> pa.Array:
    return _cat("NW-", _fixed_int(order + 1_000_001, 7))


def _test_identity(acct: np.ndarray) -> dict[str, pa.Array]:
    k = acct % 4
    return {"first": _take(_vocab(["Test", "QA", "Test", "Do Not"]), k),
            "last": _take(_vocab(["User", "Tester", "Test", "Use"]), k),
            "email": _cat(_take(_vocab(["test+", "qa.team+", "test+", "dev+"]), k), _int_str(acct), "@" + SHOP_DOMAIN)}


# --- CRM A ----------------------------------------------------------------------------
_SF_CHK = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", dtype=np.uint8)


def _sf_ids(seq: np.ndarray) -> pa.Array:
    """18-character Salesforce ids: 003 (Contact) prefix, base62 counter, case-safe checksum."""
    n = len(seq)
    m = np.empty((n, 18), dtype=np.uint8)
    m[:, :10] = np.frombuffer(b"0035g00000", dtype=np.uint8)
    m[:, 10:15] = _b62_mat(seq.astype(np.uint64), 5)
    upper = (m[:, :15] >= 65) & (m[:, :15] <= 90)
    for k in range(3):
        bits = (upper[:, 5 * k:5 * k + 5] * (1 << np.arange(5))).sum(1)
        m[:, 15 + k] = _SF_CHK[bits]
    return _sa(m)


_SF_TIME = "%Y-%m-%dT%H:%M:%S.000+0000"
CRM_A_SEQ_STEP = 40  # a contact's id counter moves on by 1-39
_BAD_DATES = ["2024-13-45T25:61:00.000+0000", "31/02/2024", "not a date", "0000-00-00T00:00:00.000+0000"]


def _emit_crm_a(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    recs, t_end = w.records["crm_a"], em.end
    ex = _rng(w.seed, "extra", "crm_a")
    xs = ex.random((len(recs), 8))
    seq = 3_000_000 + em.ids.crm_a_seq + np.cumsum(ex.integers(1, CRM_A_SEQ_STEP, len(recs)))
    rows = np.flatnonzero(recs.created <= t_end)
    f = _render(w, "crm_a", recs.person, recs.learn_move <= t_end, recs.learn_email <= t_end, recs.email_alt, rows)
    x = xs[rows]
    ids = _sf_ids(seq[rows])
    sal = np.where(f["gender"] == 0, np.where(x[:, 0] < 0.5, 1, 2), 0)
    sal = np.where(x[:, 0] > 0.97, 3, np.where(x[:, 1] < 0.2, 4, sal))
    salutation = _take(_vocab(["Mr.", "Ms.", "Mrs.", "Dr.", None]), sal)
    street = _where(pc.is_null(f["line2"]).to_numpy(zero_copy_only=False), f["line1"],
                    _cat(f["line2"], "\n", f["line1"]))
    addr = _jobj([("street", _jv(street)), ("city", _jv(f["city"])), ("state", _jv(f["state"])),
                  ("postalCode", _jv(f["postcode"])), ("country", _jv(_country_text(f["country"], x[:, 2], 0.15)))])
    lead = _take(_vocab(["Web", "Phone Inquiry", "Partner Referral", "Trade Show", "Other", None]),
                 _pick(ex, len(recs), [.4, .15, .1, .05, .1, .2])[rows])
    birth = _where(x[:, 3] < 0.55, _fmt_time(f["dob"] * DAY, "%Y-%m-%d"), NULL)
    modified = recs.modified(t_end)[rows]
    deleted = (recs.touch[rows] <= t_end) & (x[:, 4] < 0.1)
    created = _fmt_time(recs.created[rows], _SF_TIME)
    bad_date = _some(x[:, 5] < 0.0005, x[:, 5])
    created = _where(bad_date, _take(_vocab(_BAD_DATES), (x[:, 6] * len(_BAD_DATES)).astype(np.int64)), created)
    keyless = _some(x[:, 7] < 0.001, x[:, 7])
    lines = _jobj([
        ("Id", _jv(ids)), ("Salutation", _jv(salutation)), ("FirstName", _jv(f["first"])),
        ("LastName", _jv(pc.fill_null(f["last"], "Unknown"))), ("Email", _jv(f["email"])),
        ("Phone", _jv(f["phone"])), ("MobilePhone", _jv(f["mobile"])), ("Birthdate", _jv(birth)),
        ("MailingAddress", addr), ("LeadSource", _jv(lead)), ("CreatedDate", _jv(created)),
        ("LastModifiedDate", _jv(_fmt_time(modified, _SF_TIME))),
        ("IsDeleted", _where(deleted, "true", "false"))])
    no_id = pc.replace_substring_regex(_take(lines, np.flatnonzero(keyless)), r'^\{"Id": "[^"]*"', '{"Id": null')
    order = _dup_order(_rng(w.seed, "dups", "crm_a", str(em.batch)), len(rows))
    out = pa.concat_arrays([_take(lines, order), no_id])
    _write_lines(em.path("crm_a/contacts.jsonl"), out, mode=em.mode)
    in_batch = modified >= em.rec_start
    _add_gt(em, "crm_a", "contacts", _take(ids, np.flatnonzero(in_batch)), recs.person[rows][in_batch])
    em.varied("crm_a", f)
    em.done("crm_a/contacts.jsonl", len(out), t0)


# --- CRM B ----------------------------------------------------------------------------
def _guids(b: np.ndarray) -> pa.Array:
    n = len(b)
    h = np.empty((n, 32), dtype=np.uint8)
    h[:, 0::2] = _HEX[b >> 4]
    h[:, 1::2] = _HEX[b & 15]
    dash = np.full((n, 1), 45, dtype=np.uint8)
    return _sa(np.concatenate([h[:, :8], dash, h[:, 8:12], dash, h[:, 12:16], dash, h[:, 16:20], dash, h[:, 20:]], 1))


def _mixed_stamp(t: np.ndarray, choice: np.ndarray, country: np.ndarray) -> pa.Array:
    """Dynamics exports mixing ISO UTC, UK-local 'dd/mm/yyyy HH:MM' and offset timestamps."""
    eu = _in_dst(t, _EU_DST).astype(np.int64)
    tz = np.where(np.isin(country, [DE, FR]), TZ_CET, TZ_UK)
    opts = [_fmt_time(t, "%Y-%m-%dT%H:%M:%SZ"), _fmt_time(t + eu * 3600, "%d/%m/%Y %H:%M"),
            _fmt_local(t, tz, "%Y-%m-%d %H:%M:%S", z_for_utc=False)]
    return _take(pa.concat_arrays(opts), choice * len(t) + np.arange(len(t)))


def _mixed_date(days: np.ndarray, choice: np.ndarray) -> pa.Array:
    t = days * DAY
    opts = [_fmt_time(t, "%Y-%m-%d"), _fmt_time(t, "%m/%d/%Y"), _fmt_time(t, "%d.%m.%Y")]
    return _take(pa.concat_arrays(opts), choice * len(t) + np.arange(len(t)))


def _emit_crm_b(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    recs, t_end, ppl = w.records["crm_b"], em.end, w.people
    ex = _rng(w.seed, "extra", "crm_b")
    xs = ex.random((len(recs), 10))
    guid = ex.integers(0, 256, (len(recs), 16), dtype=np.uint8)
    modified_all = recs.modified(t_end)
    rows = np.flatnonzero((recs.created <= t_end) & (modified_all >= em.rec_start))
    f = _render(w, "crm_b", recs.person, recs.learn_move <= t_end, recs.learn_email <= t_end, recs.email_alt, rows)
    x, n = xs[rows], len(rows)
    ids = _guids(guid[rows])
    c = f["country"]
    sal_v = _vocab(["Mr", "Mrs", "Ms", "Miss", "Dr", "Herr", "Frau", "M.", "Mme"])
    sal = np.select([c == DE, c == FR], [np.where(f["gender"] == 1, 5, 6), np.where(f["gender"] == 1, 7, 8)],
                    np.where(f["gender"] == 1, 0, 1 + (x[:, 0] * 3).astype(np.int64)))
    salutation = _where(x[:, 1] < 0.3, NULL, _take(sal_v, sal))
    mid = f["middle"]
    mid_s = _take(w.vocab.first.strings, w.vocab.first.canon[mid.clip(0)])
    middle = _where(mid < 0, NULL, _where(x[:, 2] < 0.4, _cat(pc.utf8_slice_codeunits(mid_s, 0, 1), "."), mid_s))
    p = f["person"]
    alt = _cat(_take(ppl.users, 2 * ppl.n + p), "@", _take(DOMAIN_V, ppl.doms[2 * ppl.n + p]))
    email2 = _where((x[:, 3] < 0.2) & ~recs.email_alt[rows], alt, NULL)
    bchoice = np.select([c == US, c == DE], [np.where(x[:, 4] < 0.7, 1, 0), np.where(x[:, 4] < 0.7, 2, 0)],
                        (x[:, 4] * 3).astype(np.int64) * (x[:, 4] > 0.7))
    birth = _where(x[:, 5] < 0.5, _mixed_date(f["dob"], bchoice.clip(0, 2)), NULL)
    state = _where(x[:, 6] < 0.3, f["state_full"], f["state"])
    schoice = _pick(ex, len(recs), [0.5, 0.25, 0.25])[rows]
    statecode = ((recs.touch[rows] <= t_end) & (x[:, 7] < 0.3)).astype(np.int64)
    table = pa.table({
        "contactid": ids, "salutation": salutation, "firstname": f["first"], "middlename": middle,
        "lastname": f["last"], "emailaddress1": f["email"], "emailaddress2": email2, "telephone1": f["phone"],
        "mobilephone": f["mobile"], "birthdate": birth, "address1_line1": f["line1"], "address1_line2": f["line2"],
        "address1_city": f["city"], "address1_stateorprovince": state, "address1_postalcode": f["postcode"],
        "address1_country": _country_text(c, x[:, 8], 0.35),
        "createdon": _mixed_stamp(recs.created[rows], schoice, c),
        "modifiedon": _mixed_stamp(modified_all[rows], schoice, c), "statecode": pa.array(statecode)})
    keyless = np.flatnonzero(_some(x[:, 9] < 0.001, x[:, 9]))
    order = _dup_order(_rng(w.seed, "dups", "crm_b", str(em.batch)), n)
    broken = table.take(keyless).set_column(0, "contactid", pa.nulls(len(keyless), pa.string()))
    cut = em.last and n > 0  # a copy of the last row, cut short, ends the file
    out = pa.concat_tables([table.take(order), broken, *([table.slice(n - 1)] if cut else [])]) if n else table
    rel = f"crm_b/contacts_export_{em.batch:04d}.csv"
    rows_out = _write_csv(em.path(rel), out, truncate_last=cut, mode=em.mode)
    _add_gt(em, "crm_b", "contacts", ids, recs.person[rows])
    em.varied("crm_b", f)
    em.done(rel, rows_out, t0)


# --- Shop (SQLite, updated in place) -------------------------------------------------
SHOP_DDL = [
    "CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, "
    "phone TEXT, date_of_birth TEXT, address_line1 TEXT, address_line2 TEXT, city TEXT, state TEXT, "
    "postcode TEXT, country TEXT, marketing_opt_in INTEGER, created_at TEXT, updated_at TEXT)",
    "CREATE TABLE products (product_id INTEGER PRIMARY KEY, sku TEXT, name TEXT, category TEXT, brand TEXT, "
    "price REAL, currency TEXT, created_at TEXT, updated_at TEXT)",
    "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, order_number TEXT, customer_id INTEGER, status TEXT, "
    "channel TEXT, currency TEXT, subtotal REAL, shipping REAL, total_amount REAL, campaign_id TEXT, "
    "created_at TEXT, updated_at TEXT)",
    "CREATE TABLE order_lines (order_line_id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, "
    "quantity INTEGER, unit_price REAL, discount REAL, created_at TEXT)",
    "CREATE INDEX ix_customers_updated_at ON customers (updated_at)",
    "CREATE INDEX ix_products_updated_at ON products (updated_at)",
    "CREATE INDEX ix_orders_updated_at ON orders (updated_at)",
    "CREATE INDEX ix_order_lines_order_id ON order_lines (order_id)",
]
_CUSTOMER_COLS = ["customer_id", "email", "first_name", "last_name", "phone", "date_of_birth", "address_line1",
                  "address_line2", "city", "state", "postcode", "country", "marketing_opt_in", "created_at",
                  "updated_at"]


def _pylist(a: Any) -> list:
    return a.to_pylist() if isinstance(a, pa.Array | pa.ChunkedArray) else np.asarray(a).tolist()


def _customer_rows(w: World, rows: np.ndarray, t_end: int, ids: IdOffsets) -> list[list]:
    recs = w.records["shop"]
    xs = _rng(w.seed, "extra", "shop").random((len(recs), 3))
    f = _render(w, "shop", recs.person, recs.learn_move <= t_end, recs.learn_email <= t_end, recs.email_alt, rows)
    x = xs[rows]
    test = recs.test[rows]
    account = ids.shop(w, "customers", rows)
    ti = _test_identity(account)
    opt = (x[:, 0] < 0.6) ^ (recs.touch[rows] <= t_end)
    cols = {
        "customer_id": account + 1, "email": _where(test, ti["email"], f["email"]),
        "first_name": _where(test, ti["first"], f["first"]), "last_name": _where(test, ti["last"], f["last"]),
        "phone": _where(test, NULL, f["phone"]),
        "date_of_birth": _where((x[:, 1] < 0.4) & ~test, _fmt_time(f["dob"] * DAY, "%Y-%m-%d"), NULL),
        "address_line1": _where(test, "1 Test Street", f["line1"]), "address_line2": _where(test, NULL, f["line2"]),
        "city": _where(test, "London", f["city"]), "state": _where(test, NULL, f["state"]),
        "postcode": _where(test, "EC1A 1AA", f["postcode"]), "country": _where(test, "GB", _iso2(f["country"])),
        "marketing_opt_in": opt.astype(np.int64), "created_at": _sql_time(recs.created[rows]),
        "updated_at": _sql_time(recs.modified(t_end)[rows])}
    return [_pylist(cols[c]) for c in _CUSTOMER_COLS]


def _product_rows(w: World, rows: np.ndarray, t_end: int) -> list[list]:
    pr = w.products
    price = np.where(pr.change_t[rows] <= t_end, pr.new_price_c[rows], pr.price_c[rows]) / 100
    upd = np.where(pr.change_t[rows] <= t_end, pr.change_t[rows], pr.created[rows])
    return [(rows + 1).tolist(), [pr.sku[i] for i in rows], [pr.name[i] for i in rows],
            [CATEGORIES[pr.category[i]] for i in rows], [pr.brand[i] for i in rows], price.tolist(),
            ["GBP"] * len(rows), _pylist(_sql_time(pr.created[rows])), _pylist(_sql_time(upd))]


def _order_rows(w: World, rows: np.ndarray, t_end: int, ids: IdOffsets) -> list[list]:
    od = w.orders
    status, upd = od.status_at(t_end)
    camp = od.campaign[rows]
    cid = _where(camp >= 0, _cat("cmp_", _fixed_int(camp.clip(0) + 1, 5)), NULL)
    numbers = ids.shop(w, "orders", rows)
    return [(numbers + 1).tolist(), _pylist(_order_number(numbers)),
            (ids.shop(w, "customers", od.acct[rows]) + 1).tolist(),
            [ORDER_STATUSES[s] for s in status[rows]], [("web", "app")[c] for c in od.channel[rows]],
            [CURRENCIES[c] for c in od.cc[rows]], (od.subtotal_c[rows] / 100).tolist(),
            (od.shipping_c[rows] / 100).tolist(), (od.total_c[rows] / 100).tolist(), _pylist(cid),
            _pylist(_sql_time(od.created[rows])), _pylist(_sql_time(upd[rows]))]


def _line_rows(w: World, orders: np.ndarray, ids: IdOffsets) -> list[list]:
    od = w.orders
    lines = np.repeat(od.line_start[orders], od.line_n[orders]) + _pos_in_group(od.line_n[orders])
    lo = np.repeat(orders, od.line_n[orders])
    return [(ids.shop(w, "order_lines", lines) + 1).tolist(), (ids.shop(w, "orders", lo) + 1).tolist(),
            (od.l_product[lines] + 1).tolist(),
            od.l_qty[lines].tolist(), (od.l_unit_c[lines] / 100).tolist(), (od.l_disc_c[lines] / 100).tolist(),
            _pylist(_sql_time(od.created[lo]))]


def _insert(con: sqlite3.Connection, table: str, cols: list[list], step: int = 200_000) -> int:
    n = len(cols[0]) if cols else 0
    marks = ", ".join("?" * len(cols))
    for i in range(0, n, step):
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", zip(*(c[i:i + step] for c in cols), strict=True))
    return n


def _fingerprint(seed: int, people: int, parts: int) -> int:
    demo = f"northwind:{seed}:{people}" + (f":{parts} parts" if parts > 1 else "")
    return zlib.crc32(demo.encode()) & 0x7FFFFFFF


def shop_path(out: Path) -> Path:
    return out / "sources" / "shop" / "shop.sqlite"


def shop_holds_batch_1(out: Path, seed: int, people: int, parts: int) -> bool:
    """Whether the demo's shop database is this demo's, as of the end of batch 1 (batch 2 applies in place)."""
    path = shop_path(out)
    if not path.exists():
        return False
    try:
        with sqlite3.connect(path) as con:
            state = con.execute("PRAGMA application_id").fetchone()[0], con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        return False
    return state == (_fingerprint(seed, people, parts), 1)


def shop_row_counts(out: Path) -> dict[str, int]:
    with sqlite3.connect(shop_path(out)) as con:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in SHOP_NUMBERED}


def _shop_connection(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = MEMORY")
    con.execute("PRAGMA synchronous = OFF")
    return con


def _shop_totals(con: sqlite3.Connection, em: Emit, changes: dict[str, tuple[int, int]]) -> None:
    """Add a part's inserted and updated rows to the batch's, and the tables' row counts so far."""
    for table, (inserted, updated) in changes.items():
        seen = em.tables.setdefault(table, {"rows": 0, "inserted": 0, "updated": 0})
        seen["inserted"] += inserted
        seen["updated"] += updated
        seen["rows"] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def shop_batch_1(w: World, em: Emit) -> None:
    """The shop database as of the end of batch 1: the first part writes it from scratch."""
    path = em.path("shop/shop.sqlite")
    if em.first:
        path.unlink(missing_ok=True)
    t_end = BATCH_END[1]
    con = _shop_connection(path)
    if em.first:
        for ddl in SHOP_DDL:
            con.execute(ddl)
    recs, od, pr = w.records["shop"], w.orders, w.products
    orders = np.flatnonzero(od.created <= t_end)
    changes = {
        "customers": _insert(con, "customers", _customer_rows(w, np.flatnonzero(recs.created <= t_end), t_end, em.ids)),
        # the catalogue is the company's, not a part's
        "products": _insert(con, "products", _product_rows(w, np.flatnonzero(pr.created <= t_end), t_end))
        if em.first else 0,
        "orders": _insert(con, "orders", _order_rows(w, orders, t_end, em.ids)),
        "order_lines": _insert(con, "order_lines", _line_rows(w, orders, em.ids)),
    }
    if em.last:
        con.execute(f"PRAGMA application_id = {_fingerprint(em.seed, em.people, em.parts)}")
        con.execute("PRAGMA user_version = 1")
    con.commit()
    _shop_totals(con, em, {table: (rows, 0) for table, rows in changes.items()})
    con.close()


def _shop_batch2(w: World, em: Emit) -> None:
    """Apply batch 2 to a batch-1 database in place: new rows, changed customers/products,
    order status changes (each with a later updated_at)."""
    end1, t_end = BATCH_END[1], BATCH_END[2]
    recs, od, pr = w.records["shop"], w.orders, w.products
    con = _shop_connection(em.path("shop/shop.sqlite"))
    changes: dict[str, tuple[int, int]] = {}
    new_c = np.flatnonzero((recs.created > end1) & (recs.created <= t_end))
    upd_c = np.flatnonzero((recs.created <= end1) & (recs.modified(t_end) > end1))
    ins = _insert(con, "customers", _customer_rows(w, new_c, t_end, em.ids))
    cols = _customer_rows(w, upd_c, t_end, em.ids)
    sets = ", ".join(f"{c} = ?" for c in _CUSTOMER_COLS[1:])
    con.executemany(f"UPDATE customers SET {sets} WHERE customer_id = ?", zip(*cols[1:], cols[0], strict=True))
    changes["customers"] = (ins, len(upd_c))
    if em.first:
        new_p = np.flatnonzero((pr.created > end1) & (pr.created <= t_end))
        upd_p = np.flatnonzero((pr.created <= end1) & (pr.change_t > end1) & (pr.change_t <= t_end))
        ins = _insert(con, "products", _product_rows(w, new_p, t_end))
        pcols = _product_rows(w, upd_p, t_end)
        con.executemany("UPDATE products SET price = ?, updated_at = ? WHERE product_id = ?",
                        zip(pcols[5], pcols[8], pcols[0], strict=True))
        changes["products"] = (ins, len(upd_p))
    else:
        changes["products"] = (0, 0)
    _, upd1 = od.status_at(t_end)
    new_o = np.flatnonzero((od.created > end1) & (od.created <= t_end))
    upd_o = np.flatnonzero((od.created <= end1) & (upd1 > end1))
    ins = _insert(con, "orders", _order_rows(w, new_o, t_end, em.ids))
    ocols = _order_rows(w, upd_o, t_end, em.ids)
    con.executemany("UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?",
                    zip(ocols[3], ocols[11], ocols[0], strict=True))
    changes["orders"] = (ins, len(upd_o))
    changes["order_lines"] = (_insert(con, "order_lines", _line_rows(w, new_o, em.ids)), 0)
    if em.last:
        con.execute("PRAGMA user_version = 2")
    con.commit()
    _shop_totals(con, em, changes)
    con.close()


def _emit_shop(w: World, em: Emit) -> None:
    """The shop's part of a batch; batch 2 expects the batch-1 database (`generate` writes it first if not)."""
    t0 = time.perf_counter()
    if em.batch == 1:
        shop_batch_1(w, em)
    else:
        _shop_batch2(w, em)
    recs = w.records["shop"]
    rows = np.flatnonzero((recs.created <= em.end) & (recs.modified(em.end) >= em.rec_start))
    _add_gt(em, "shop", "customers", _int_str(em.ids.shop(w, "customers", rows) + 1), recs.person[rows])
    em.files["shop/shop.sqlite"] = sum(t["rows"] for t in em.tables.values())
    em.log("[generate] shop/shop.sqlite: " + ", ".join(
        f"{k} {v['rows']:,} (+{v['inserted']:,}, ~{v['updated']:,})" for k, v in em.tables.items())
        + f" in {time.perf_counter() - t0:.1f}s")


# --- Payments ---------------------------------------------------------------------------
def _stripe_ids(prefix: str, k: np.ndarray, seed: int) -> pa.Array:
    m = np.concatenate([_b62_mat(_mix64(k, _salt(seed, prefix + "a")), 11),
                        _b62_mat(_mix64(k, _salt(seed, prefix + "b")), 11)], 1)
    return _cat(prefix, _sa(m))


def _emit_payments(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    pm, ppl, od = w.payments, w.people, w.orders
    rows = np.flatnonzero(em.window(pm.created))
    pp = pm.person.clip(0)
    f = _render(w, "payments", pp, pm.created >= ppl.move_t[pp], pm.created >= ppl.email_t[pp], pm.email_alt, rows)
    ids = _stripe_ids("py_", rows, w.seed)
    amt = pm.amount_c[rows]
    kind = pm.amount_kind[rows]
    amount = _where(kind == 1, "N/A", _where(kind == 2, _money(amt, ","), _money(amt)))
    order = pm.order[rows]
    orphan = order < 0
    oref = _where(orphan, _where(pm.orphan_ref[rows] % 3 == 0, _cat("MAN-", _int_str(pm.orphan_ref[rows] % 1000000)),
                                 _cat("NW-", _int_str(pm.orphan_ref[rows]))),
                  _order_number(em.ids.shop(w, "orders", order.clip(0))))
    test = pm.test[rows]
    ti = _test_identity(np.where(test, em.ids.shop(w, "customers", od.acct[order.clip(0)]), 0))
    card = pm.brand[rows] >= 0
    table = pa.table({
        "id": ids, "created": _sql_time(pm.created[rows]), "amount": amount,
        "currency": pc.utf8_lower(_take(_vocab(CURRENCIES), pm.cc[rows])),
        "status": _where(pm.failed[rows], "failed", "succeeded"),
        "failure_code": _where(pm.failure[rows] >= 0, _take(_vocab(FAILURE_CODES), pm.failure[rows].clip(0)), NULL),
        "payment_method_type": _take(_vocab(PAY_METHODS), pm.method[rows]),
        "card_brand": _where(card, _take(_vocab(CARD_BRANDS), pm.brand[rows].clip(0)), NULL),
        "card_last4": _where(card, _fixed_int(pm.last4[rows].clip(0), 4), NULL),
        "order_reference": oref,
        "billing_name": _where(test, _cat(ti["first"], " ", ti["last"]), _name(f["first"], f["last"])),
        "billing_email": _where(test, ti["email"], f["email"]),
        "billing_phone": _where(test, NULL, f["phone"]),
        "billing_country": _where(test, "GB", _iso2(f["country"])),
        "billing_postcode": _where(test, NULL, f["postcode"])})
    n = len(rows)
    ex = _rng(w.seed, "extra", "payments", str(em.batch))
    keyless = np.flatnonzero(_some(ex.random(n) < 0.001, ex.random(n)))
    order_ = _dup_order(_rng(w.seed, "dups", "payments", str(em.batch)), n)
    broken = table.take(keyless).set_column(0, "id", pa.nulls(len(keyless), pa.string()))
    cut = em.last and n > 0
    out = pa.concat_tables([table.take(order_), broken, *([table.slice(n - 1)] if cut else [])]) if n else table
    rel = f"payments/payments_{em.batch:04d}.csv"
    rows_out = _write_csv(em.path(rel), out, truncate_last=cut, mode=em.mode)
    _add_gt(em, "payments", "payments", ids, np.where(test, -1, pm.person[rows]))
    em.varied("payments", f)
    em.done(rel, rows_out, t0)

    t0 = time.perf_counter()
    rf = w.refunds
    r = np.flatnonzero(em.window(rf.created))
    table = pa.table({
        "id": _stripe_ids("re_", r, w.seed), "payment_id": _stripe_ids("py_", rf.payment[r], w.seed),
        "created": _sql_time(rf.created[r]), "amount": _money(rf.amount_c[r]),
        "currency": pc.utf8_lower(_take(_vocab(CURRENCIES), rf.cc[r])),
        "reason": _take(_vocab(REFUND_REASONS), rf.reason[r]),
        "status": _take(_vocab(["succeeded", "pending", "failed"]), rf.status[r])})
    rel = f"payments/refunds_{em.batch:04d}.csv"
    order_ = _dup_order(_rng(w.seed, "dups", "refunds", str(em.batch)), len(r))
    em.done(rel, _write_csv(em.path(rel), table.take(order_), mode=em.mode), t0)


# --- Support ----------------------------------------------------------------------------
_CSAT_BAD = ["5 stars", "good", "4/5", "N/A", "very satisfied"]


def _emit_tickets(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    tix, ppl, t_end = w.tickets, w.people, em.end
    status, upd = tix.status_at(t_end)
    rows = np.flatnonzero((tix.created <= t_end) & (upd >= em.rec_start))
    pp = tix.person
    f = _render(w, "tickets", pp, tix.created >= ppl.move_t[pp], tix.created >= ppl.email_t[pp], tix.email_alt, rows)
    n = len(rows)
    ids = _cat("TCK-", _fixed_int(rows + em.ids.ticket + 1, 7))
    tz = tix.tz[rows]
    solved = tix.solved_t[rows] <= t_end
    rated = tix.csat_t[rows] <= t_end
    csat = _where(rated, _where(tix.csat_bad[rows], _jv(_take(_vocab(_CSAT_BAD), rows % len(_CSAT_BAD))),
                                _int_str(tix.csat[rows])), "null")
    order = tix.order[rows]
    num = _fixed_int(em.ids.shop(w, "orders", order.clip(0)) + 1_000_001, 7)
    style = tix.ref_style[rows]
    ref = _take(pa.concat_arrays([_cat("NW-", num), num, _cat("nw-", num), _cat("#", num)]), style * n + np.arange(n))
    ref = _where(order >= 0, ref, NULL)
    subject = _take(_vocab(_SUBJECTS), tix.subject[rows])
    subject = _where((order >= 0) & (tix.category[rows] == 0) & (rows % 3 == 0), _cat(subject, " ", ref), subject)
    requester = _jobj([("name", _jv(_name(f["first"], f["last"]))), ("email", _jv(f["email"])),
                       ("phone", _jv(f["phone"]))])
    lines = _jobj([
        ("ticket_id", _jv(ids)), ("created_at", _jv(_fmt_local(tix.created[rows], tz, "%Y-%m-%dT%H:%M:%S"))),
        ("updated_at", _jv(_fmt_local(upd[rows], tz, "%Y-%m-%dT%H:%M:%S"))),
        ("resolved_at", _jv(_where(solved, _fmt_local(tix.solved_t[rows].clip(0, WORLD_END), tz,
                                                      "%Y-%m-%dT%H:%M:%S"), NULL))),
        ("channel", _jv(_take(_vocab(TICKET_CHANNELS), tix.channel[rows]))),
        ("category", _jv(_take(_vocab(TICKET_CATEGORIES), tix.category[rows]))),
        ("priority", _jv(_take(_vocab(TICKET_PRIORITIES), tix.priority[rows]))),
        ("status", _jv(_take(_vocab(TICKET_STATUSES), status[rows]))), ("subject", _jv(subject)),
        ("csat_score", csat), ("order_reference", _jv(ref)), ("requester", requester)])
    ex = _rng(w.seed, "extra", "tickets", str(em.batch))
    keyless = np.flatnonzero(_some(ex.random(n) < 0.001, ex.random(n)))
    order_ = _dup_order(_rng(w.seed, "dups", "tickets", str(em.batch)), n)
    out = pa.concat_arrays([_take(lines, order_), _keyless_tickets(_take(lines, keyless))]) if n else lines
    rel = f"support/tickets_{em.batch:04d}.jsonl"
    cut = em.last and n > 0
    tail = _truncate_jsonl(lines[n - 1].as_py()) if cut else b""
    _write_lines(em.path(rel), out, tail, mode=em.mode)
    _add_gt(em, "support", "tickets", ids, tix.person[rows])
    em.varied("support", f)
    em.done(rel, len(out) + (1 if cut else 0), t0)


def _keyless_tickets(lines: pa.Array) -> pa.Array:
    """Copies of tickets whose ticket_id came through empty."""
    return pc.replace_substring_regex(lines, r'^\{"ticket_id": "[^"]*"', '{"ticket_id": ""')


# --- Web events ---------------------------------------------------------------------------
_EV_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("event_type", pa.string()), ("event_at", pa.timestamp("us", tz="UTC")),
    ("anonymous_id", pa.string()), ("customer_id", pa.int64()), ("session_id", pa.string()),
    ("platform", pa.string()), ("device_type", pa.string()), ("page_path", pa.string()),
    ("product_id", pa.int64()), ("order_number", pa.string()), ("utm_source", pa.string()),
    ("utm_campaign", pa.string()), ("user_agent", pa.string())])


def _uuid(h1: np.ndarray, h2: np.ndarray) -> pa.Array:
    a, b = _hex_mat(h1), _hex_mat(h2)
    d = np.full((len(h1), 1), 45, dtype=np.uint8)
    return _sa(np.concatenate([a[:, :8], d, a[:, 8:12], d, a[:, 12:16], d, b[:, :4], d, b[:, 4:16]], 1))


def _expand_sessions(w: World, sel: np.ndarray, em: Emit) -> pa.Table:
    """All events of the sessions `sel` that fall in the batch window. Per-event randomness is a
    hash of (session, position), so a session cut by the batch boundary expands the same way
    in both batches."""
    ses, od, pr = w.sessions, w.orders, w.products
    salt = _salt(w.seed, "web_event")
    counts = ses.n_events[sel]
    s = np.repeat(sel, counts)
    j = _pos_in_group(counts)
    key = (s.astype(np.uint64) << _U64(8)) | j.astype(np.uint64)
    h = _mix64(key, salt)
    u = _unif(h)
    login_at = ses.login_pos[s]
    has_login = ses.login[s]
    jb = j - (has_login & (j > login_at))
    is_login = has_login & (j == login_at)
    a = ses.app[s].astype(np.int64)
    b2 = a + ses.npv[s]
    b3 = b2 + ses.nprod[s]
    b4 = b3 + ses.ncart[s]
    b5 = b4 + ses.checkout[s]
    et = np.select([is_login, jb < a, jb < b2, jb < b3, jb < b4, jb < b5],
                   [EV_LOGIN, EV_APP, EV_PAGE, EV_PRODUCT, EV_CART, EV_CHECKOUT], EV_DONE)
    gap = np.where(j == 0, 0, 3 + np.minimum(-np.log(u + 1e-12) * 35, 900)).astype(np.int64)
    cum = _group_cumsum(gap, counts)
    total = np.repeat(cum[_group_starts(counts) + counts - 1], counts)
    t = np.where(ses.anchor_end[s], ses.anchor[s] - (total - cum), ses.anchor[s] + cum)
    keep = em.window(t)
    s, j, h, u, et, t, jb, login_at, has_login = (x[keep] for x in (s, j, h, u, et, t, jb, login_at, has_login))
    b2, b3 = b2[keep], b3[keep]
    o = ses.order[s]
    k = np.where(et == EV_PRODUCT, jb - b2, jb - b3)
    from_order = (o >= 0) & np.isin(et, [EV_PRODUCT, EV_CART]) & (k < od.line_n[o.clip(0)])
    line = od.line_start[o.clip(0)] + k.clip(0)
    rnd_prod = np.searchsorted(pr.pop_cum, _unif(_mix64(h, _salt(w.seed, "web_product"))), side="right").clip(
        0, pr.n - 1)
    prod = np.where(from_order, od.l_product[line.clip(0, len(od.l_product) - 1)], rnd_prod)
    has_prod = np.isin(et, [EV_PRODUCT, EV_CART])
    n_pages = len(PAGES)
    path_idx = np.select([et == EV_PAGE, et == EV_PRODUCT, et == EV_CART, et == EV_CHECKOUT, et == EV_DONE,
                          et == EV_APP, et == EV_LOGIN],
                         [(u * n_pages).astype(np.int64), n_pages + 4 + prod, n_pages, n_pages + 1, n_pages + 2,
                          np.zeros(len(et), np.int64), n_pages + 3])
    path_vocab = _vocab(PAGES + ["/cart", "/checkout", "/checkout/confirmation", "/account/login"]
                        + ["/p/" + sku.lower() for sku in pr.sku])
    known = has_login & (j >= login_at) & (ses.customer[s] >= 0)  # the session's customer id is 1-based
    cust = np.where(known, em.ids.shop(w, "customers", np.where(known, ses.customer[s] - 1, 0)) + 1, -1)
    dev = ses.device[s]
    camp = ses.campaign[s]
    done = et == EV_DONE
    m = len(s)
    dup = (h >> _U64(20)) % _U64(100) == 0  # ~1% exact duplicate rows, right after the original
    tab = pa.table({
        "event_id": _cat("evt_", _sa(_hex_mat(h))), "event_type": _take(_vocab(EVENT_TYPES), et),
        "event_at": pa.array(t * 1_000_000, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "anonymous_id": _uuid(_mix64(dev, _salt(w.seed, "anon_a")), _mix64(dev, _salt(w.seed, "anon_b"))),
        "customer_id": pa.array(cust, pa.int64(), mask=cust < 0),
        "session_id": _cat("ses_", _sa(_hex_mat(_mix64(s, _salt(w.seed, "session"))))),
        "platform": _take(_vocab(PLATFORMS), ses.dev_platform[dev]),
        "device_type": _take(_vocab(DEVICE_TYPES), ses.dev_type[dev]),
        "page_path": _take(path_vocab, path_idx),
        "product_id": pa.array(prod + 1, pa.int64(), mask=~has_prod),
        "order_number": _where(done, _order_number(em.ids.shop(w, "orders", np.where(done, o.clip(0), 0))), NULL) if m
        else pa.array([], pa.string()),
        "utm_source": _take(_vocab(UTM_SOURCES), ses.utm[s]),
        "utm_campaign": _where(camp >= 0, _cat("cmp_", _fixed_int(camp.clip(0) + 1, 5)), NULL) if m
        else pa.array([], pa.string()),
        "user_agent": _take(_vocab([x[2] for x in UA_STRINGS]), ses.dev_ua[dev]),
    }, schema=_EV_SCHEMA)
    return tab.take(np.repeat(np.arange(m), 1 + dup))


def _emit_web(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    ses = w.sessions
    folder = em.path("web/x").parent
    if em.first:
        for old in folder.glob(f"events_{em.batch:04d}_part*.parquet"):
            old.unlink()
    sel = np.flatnonzero((ses.anchor >= em.start - 2 * DAY) & (ses.anchor <= em.end + 2 * DAY))
    cum = np.cumsum(ses.n_events[sel])
    target = int(EVENTS_PER_PART * 0.985)
    bounds = np.searchsorted(cum, np.arange(target, int(cum[-1]) + target, target), side="right") if len(sel) else []
    total, start, first_file = 0, 0, em.web_parts + 1
    for b in list(bounds) + [len(sel)]:
        if b <= start:
            continue
        tab = _expand_sessions(w, sel[start:b], em)
        start = b
        if tab.num_rows == 0:
            continue
        em.web_parts += 1
        rel = f"web/events_{em.batch:04d}_part{em.web_parts:02d}.parquet"
        pq.write_table(tab, em.path(rel), compression="zstd", row_group_size=EVENTS_PER_PART)
        em.files[rel] = tab.num_rows
        total += tab.num_rows
    em.log(f"[generate] web/events_{em.batch:04d}_part*.parquet: {total:,} rows in parts {first_file}-{em.web_parts} "
           f"in {time.perf_counter() - t0:.1f}s")


# --- E-mail marketing -------------------------------------------------------------------
def _campaign_id(c: np.ndarray) -> pa.Array:
    return _cat("cmp_", _fixed_int(c + 1, 5))


def _emit_campaigns(cps: Campaigns, em: Emit) -> None:
    """The company's campaigns, once every part has sent them (their audience is all the parts')."""
    t0 = time.perf_counter()
    c = np.flatnonzero(em.window(cps.send_at))
    table = pa.table({
        "campaign_id": _campaign_id(c), "name": _vocab([cps.name[i] for i in c]),
        "channel": _take(_vocab(["email", "sms"]), cps.channel[c]), "subject": _vocab([cps.subject[i] for i in c]),
        "send_at": _sql_time(cps.send_at[c]), "audience_size": pa.array(cps.audience[c]),
        "cost": _money(cps.cost_c[c]), "currency": pa.array(["GBP"] * len(c), pa.string())})
    rel = f"email/campaigns_{em.batch:04d}.csv"
    em.done(rel, _write_csv(em.path(rel), table), t0)


def _emit_email(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    evs, recs, t_end = w.email, w.records["subscribers"], em.end
    sub_ids = _sa(_hex_mat(_mix64(np.arange(len(recs)), _salt(w.seed, "subscriber"))))
    mod = recs.modified(t_end)
    rows = np.flatnonzero((recs.created <= t_end) & (mod >= em.rec_start))
    no_move = np.zeros(len(recs), bool)  # subscribers hold no postal address
    f = _render(w, "subscribers", recs.person, no_move, recs.learn_email <= t_end, recs.email_alt, rows)
    st = np.where(recs.status_t[rows] <= t_end, evs.left_code[rows], 0)
    xs = _rng(w.seed, "extra", "subscribers").random(len(recs))[rows]
    table = pa.table({
        "subscriber_id": _take(sub_ids, rows), "email": f["email"], "first_name": f["first"], "last_name": f["last"],
        "status": _take(_vocab(["subscribed", "unsubscribed", "cleaned"]), st),
        "country": _where(xs < 0.8, _iso2(f["country"]), _country_text(f["country"], xs, 1.0)),
        "opt_in_at": _sql_time(recs.created[rows]), "updated_at": _sql_time(mod[rows])})
    rel = f"email/subscribers_{em.batch:04d}.csv"
    order = _dup_order(_rng(w.seed, "dups", "subscribers", str(em.batch)), len(rows))
    em.done(rel, _write_csv(em.path(rel), table.take(order), mode=em.mode), t0)
    _add_gt(em, "email", "subscribers", _take(sub_ids, rows), recs.person[rows])
    em.varied("email", f)

    t0 = time.perf_counter()
    ev = np.flatnonzero(em.window(evs.t))
    ev = ev[np.argsort(evs.t[ev], kind="stable")]
    allrows = np.arange(len(recs))
    emails = pa.concat_arrays([  # each subscriber's address before and after an e-mail change
        _render(w, "subscribers", recs.person, no_move, no_move | v2, recs.email_alt, allrows, full=False)["email"]
        for v2 in (False, True)])
    rel = f"email/events_{em.batch:04d}.csv"
    order = _dup_order(_rng(w.seed, "dups", "email_events", str(em.batch)), len(ev))
    schema = pa.schema([(k, pa.string()) for k in ("event_id", "campaign_id", "subscriber_id", "email",
                                                     "event_type", "event_at")])
    with open(em.path(rel), em.mode) as file, pacsv.CSVWriter(
            file, schema, write_options=pacsv.WriteOptions(quoting_style="needed", include_header=em.first)) as wr:
        step = 2_000_000
        for i in range(0, max(len(order), 1), step):
            e = ev[order[i:i + step]]
            sub = evs.sub[e]
            v2 = recs.learn_email[sub] <= evs.t[e]
            wr.write_table(pa.table({
                "event_id": _cat("e", _fixed_int(e + em.ids.email_event, 11)),
                "campaign_id": _campaign_id(evs.campaign[e]),
                "subscriber_id": _take(sub_ids, sub), "email": _take(emails, v2 * len(recs) + sub),
                "event_type": _take(_vocab(EMAIL_EVENTS), evs.type[e]), "event_at": _sql_time(evs.t[e])},
                schema=schema))
    em.done(rel, len(order), t0)


# --- Marketing spend ----------------------------------------------------------------------
def _emit_spend(cps: Campaigns, em: Emit) -> None:
    """The company's monthly marketing spend, scaled to all its people."""
    t0 = time.perf_counter()
    rng = _rng(em.seed, "spend")
    months = []
    d = datetime(2023, 1, 1, tzinfo=UTC)
    while d.timestamp() <= WORLD_END:
        months.append(d)
        d = datetime(d.year + (d.month == 12), d.month % 12 + 1, 1, tzinfo=UTC)
    scale = em.people / 1000
    base = {"paid_search": 120.0, "paid_social": 80.0, "affiliate": 40.0, "display": 30.0}
    season = {11: 1.6, 12: 1.4, 1: 1.1, 7: 0.9, 8: 0.9}
    noise = rng.lognormal(0, 0.12, (len(months), len(SPEND_CHANNELS)))
    camp_month = np.array([(datetime.fromtimestamp(t, UTC).year, datetime.fromtimestamp(t, UTC).month)
                           for t in cps.send_at])
    out_m, out_c, out_s = [], [], []
    for i, m in enumerate(months):
        if not (em.start <= m.timestamp() <= em.end):
            continue
        for k, ch in enumerate(SPEND_CHANNELS):
            if ch == "email":
                hit = (camp_month[:, 0] == m.year) & (camp_month[:, 1] == m.month)
                cents = int(cps.cost_c[hit].sum()) + round(300 * 100 * max(1.0, scale / 100))
            else:
                cents = round(base[ch] * scale * season.get(m.month, 1.0) * noise[i, k] * 100)
            out_m.append(m.strftime("%Y-%m"))
            out_c.append(ch)
            out_s.append(cents)
    table = pa.table({"month": _vocab(out_m), "channel": _vocab(out_c), "spend": _money(np.array(out_s, np.int64)),
                      "currency": _vocab(["GBP"] * len(out_m))})
    rel = f"marketing/spend_{em.batch:04d}.csv"
    em.done(rel, _write_csv(em.path(rel), table), t0)
