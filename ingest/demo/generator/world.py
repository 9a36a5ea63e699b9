"""The world: everything that happens from 2023-01-01 to 2025-09-30, built from
``(seed, people)`` alone by calling every part in turn; a batch is only a time-window view of
this ``World``.

A large demo is built as parts of at most ``PEOPLE_PER_PART`` people, one in memory at a time
(``build_parts``): each part is a world of its own seed sharing the company's product catalogue
and campaigns, and no one holds an e-mail address a person of an earlier part holds. A demo of one
part is exactly the world of ``(seed, people)``.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyarrow as pa

from ingest.demo.generator.campaigns import Campaigns, EmailEvents, _build_campaigns, _simulate_email
from ingest.demo.generator.orders import Orders, _build_orders
from ingest.demo.generator.payments import Payments, Refunds, _build_payments
from ingest.demo.generator.people import People, _build_people, addresses
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


PEOPLE_PER_PART = 250_000


def build_world(seed: int, people: int, log: Callable[[str], None] = lambda s: None,
                products: Products | None = None, campaigns: Campaigns | None = None,
                taken_addresses: pa.Array | None = None) -> World:
    """Everything that happens from 2023-01-01 to 2025-09-30, from (seed, people) alone; a part
    of a larger demo gets the company's `products` and `campaigns` and the addresses already taken."""
    t0 = time.perf_counter()
    voc = _build_vocab()
    ppl = _build_people(seed, people, voc, taken_addresses)
    recs = _build_records(seed, ppl)
    prods = products or _build_products(seed, people)
    cps = campaigns or _build_campaigns(seed)
    evs = _simulate_email(seed, ppl, recs["subscribers"], cps)
    od = _build_orders(seed, ppl, recs["shop"], prods, cps, evs, recs["subscribers"])
    pay, ref = _build_payments(seed, ppl, od, recs["shop"])
    tix = _build_tickets(seed, ppl, recs["shop"], od)
    ses = _build_sessions(seed, ppl, recs["shop"], od, evs, recs["subscribers"])
    log(f"[generate] world: {people:,} people, {od.n:,} orders, {len(evs.t):,} e-mail events, {ses.n:,} web sessions "
        f"in {time.perf_counter() - t0:.1f}s")
    return World(seed, people, voc, ppl, recs, prods, cps, evs, od, pay, ref, tix, ses)


def part_sizes(people: int, per_part: int = PEOPLE_PER_PART) -> list[int]:
    """The people split into as few parts of at most `per_part` as can hold them, as even as can be."""
    parts = max(1, -(-people // per_part))
    return [people // parts + (part < people % parts) for part in range(parts)]


def part_seed(seed: int, part: int) -> int:
    return seed if part == 0 else zlib.crc32(f"northwind:{seed}:part:{part}".encode())


def build_parts(seed: int, people: int, per_part: int = PEOPLE_PER_PART,
                log: Callable[[str], None] = lambda s: None) -> Iterator[World]:
    """The worlds of the demo's parts, one at a time: the caller writes a part before the next is built.
    The campaigns are shared and fresh on each call: their audience is the sum of the parts' sends."""
    sizes = part_sizes(people, per_part)
    products, campaigns = _build_products(seed, people), _build_campaigns(seed)
    taken: pa.Array | None = None
    for part, size in enumerate(sizes):
        if len(sizes) > 1:
            log(f"[generate] part {part + 1} of {len(sizes)}: {size:,} people")
        world = build_world(part_seed(seed, part), size, log, products, campaigns, taken)
        if part < len(sizes) - 1:
            taken = addresses(world.people) if taken is None else pa.concat_arrays([taken, addresses(world.people)])
        yield world
        del world  # before the next part is built
