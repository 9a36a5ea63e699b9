"""The world: everything that happens from 2023-01-01 to 2025-09-30, built from
``(seed, people)`` alone by calling every part in turn; a batch is only a time-window view of
this ``World``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ingest.demo.generator.campaigns import Campaigns, EmailEvents, _build_campaigns, _simulate_email
from ingest.demo.generator.orders import Orders, _build_orders
from ingest.demo.generator.payments import Payments, Refunds, _build_payments
from ingest.demo.generator.people import People, _build_people
from ingest.demo.generator.products import Products, _build_products
from ingest.demo.generator.records import Records, _build_records
from ingest.demo.generator.support import Tickets, _build_tickets
from ingest.demo.generator.vocab_tables import Vocab, _build_vocab
from ingest.demo.generator.web import Sessions, _build_sessions


@dataclass
class World:
    seed: int
    n: int
    vocab: Vocab
    people: People
    records: dict[str, Records]
    products: Products
    campaigns: Campaigns
    email: EmailEvents
    orders: Orders
    payments: Payments
    refunds: Refunds
    tickets: Tickets
    sessions: Sessions


def build_world(seed: int, people: int, log: Callable[[str], None] = lambda s: None) -> World:
    """Everything that happens from 2023-01-01 to 2025-09-30, from (seed, people) alone."""
    t0 = time.perf_counter()
    voc = _build_vocab()
    ppl = _build_people(seed, people, voc)
    recs = _build_records(seed, ppl)
    prods = _build_products(seed, people)
    cps = _build_campaigns(seed)
    evs = _simulate_email(seed, ppl, recs["subscribers"], cps)
    od = _build_orders(seed, ppl, recs["shop"], prods, cps, evs, recs["subscribers"])
    pay, ref = _build_payments(seed, ppl, od, recs["shop"])
    tix = _build_tickets(seed, ppl, recs["shop"], od)
    ses = _build_sessions(seed, ppl, recs["shop"], od, evs, recs["subscribers"])
    log(f"[generate] world: {people:,} people, {od.n:,} orders, {len(evs.t):,} e-mail events, {ses.n:,} web sessions "
        f"in {time.perf_counter() - t0:.1f}s")
    return World(seed, people, voc, ppl, recs, prods, cps, evs, od, pay, ref, tix, ses)
