"""Shop orders: BG/NBD-like repeat buying per account on a seasonal demand curve (weekly cycle,
sales, Black Friday, Christmas), purchases that follow campaign clicks, staff test orders, order
lines chosen by category preference and spend level, prices, discounts and shipping, a few bad
totals, and the shipping, delivery, cancellation and return times.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from ingest.demo.generator.arrays import _civil, _group_cumsum, _group_starts, _nth_sunday, _pick, _pos_in_group, _rng
from ingest.demo.generator.campaigns import EE_CLICK, Campaigns, EmailEvents
from ingest.demo.generator.people import People
from ingest.demo.generator.products import Products
from ingest.demo.generator.records import Records
from ingest.demo.generator.timeline import DAY, NEVER, T_START, WORLD_END, _epoch
from ingest.demo.generator.vocabulary import CATEGORIES, FREE_SHIP_C, FX, GB, SHIP_FEE_C


@functools.lru_cache(maxsize=1)
def _season() -> tuple[np.ndarray, np.ndarray]:
    """Cumulative daily demand (weekly cycle, sales, Black Friday, Christmas) and its days."""
    day0 = T_START // DAY - 30
    days = np.arange(day0, WORLD_END // DAY + 800)
    y, m, d = _civil(days)
    dow = (days + 3) % 7  # 0 = Monday
    w = np.ones(len(days))
    w *= np.where(dow >= 5, 1.12, np.where(dow == 0, 1.08, 0.96))
    w *= np.select([m == 11, (m == 12) & (d <= 20), m == 12, m == 1, m == 2, m == 7],
                   [1.3, 1.5, 0.75, 1.2, 0.85, 1.1], 1.0)
    for yy in (2023, 2024, 2025, 2026):  # Black Friday to Cyber Monday
        thanksgiving = _nth_sunday(yy, 11, 4) - timedelta(days=3)
        bf = (int(_epoch(thanksgiving.strftime("%Y-%m-%dT00:00:00"))) // DAY) + 1
        w = np.where((days >= bf) & (days <= bf + 3), w * 2.2, w)
    cum = np.concatenate([[0.0], np.cumsum(w / w.mean())])
    return np.arange(day0, day0 + len(days) + 1, dtype=np.float64), cum


_HOURS = np.array([1, .6, .4, .3, .3, .4, .8, 1.5, 2.2, 2.6, 2.8, 3, 3.2, 3.1, 2.9, 2.8, 2.9, 3.1, 3.4, 3.8, 4, 3.6,
                   2.6, 1.6])


def _time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    return _pick(rng, n, _HOURS) * 3600 + rng.integers(0, 3600, n)


@dataclass
class Orders:
    n: int
    acct: np.ndarray  # shop record index
    person: np.ndarray  # -1 for test accounts
    created: np.ndarray
    device: np.ndarray  # -1 for test orders
    channel: np.ndarray  # 0 web, 1 app
    campaign: np.ndarray  # -1 or campaign index
    cc: np.ndarray  # country (currency)
    cancel_t: np.ndarray
    ship_t: np.ndarray
    deliver_t: np.ndarray
    return_t: np.ndarray
    line_start: np.ndarray
    line_n: np.ndarray
    l_product: np.ndarray
    l_qty: np.ndarray
    l_unit_c: np.ndarray
    l_disc_c: np.ndarray
    subtotal_c: np.ndarray
    shipping_c: np.ndarray
    paid_c: np.ndarray  # what the customer really paid
    total_c: np.ndarray  # what the shop stored (bad for a few)
    test: np.ndarray

    def status_at(self, t_end: int) -> tuple[np.ndarray, np.ndarray]:
        s = np.zeros(self.n, dtype=np.int64)
        upd = self.created.copy()
        for code, t in ((1, self.ship_t), (2, self.deliver_t), (4, self.return_t), (3, self.cancel_t)):
            hit = t <= t_end
            s = np.where(hit, code, s)
            upd = np.where(hit & (t > upd), t, upd)
        return s, upd


def _build_orders(seed: int, ppl: People, shop: Records, prods: Products, cps: Campaigns, evs: EmailEvents,
                  subs: Records) -> Orders:
    rng = _rng(seed, "orders")
    acc = np.flatnonzero(~shop.test)
    pers = shop.person[acc]
    dup = shop.dup[acc]
    buyer = rng.random(len(acc)) < np.where(dup, 0.6, 0.8)
    lam = ppl.lam[pers] * np.where(dup, 0.3, 1.0)
    n_buys = np.where(buyer, rng.geometric(ppl.pdrop[pers]).clip(1, 40), 0)
    flat = np.repeat(np.arange(len(acc)), n_buys)
    grid, cum = _season()
    gap = rng.exponential(1.0, len(flat)) * 365.0 / lam[flat]
    first = _pos_in_group(n_buys) == 0
    at_signup = rng.random(len(acc)) < 0.7
    at_signup &= shop.created[acc] >= T_START
    gap = np.where(first & at_signup[flat], 0.0, gap)
    created_days = np.maximum(shop.created[acc], T_START) / DAY
    op = np.interp(created_days, grid, cum)[flat] + _group_cumsum(gap, n_buys)
    days = np.floor(np.interp(op, cum, grid)).astype(np.int64)
    t = days * DAY + _time_of_day(rng, len(flat))
    t = np.where(first & at_signup[flat], shop.created[acc][flat] + rng.integers(60, 900, len(flat)), t)
    t = np.maximum(t, shop.created[acc][flat] + 60)
    base_acct = acc[flat]
    keep = t <= WORLD_END
    base_acct, base_t = base_acct[keep], t[keep]

    # clicks raise the chance to buy for a few days: those orders carry the campaign
    primary = np.full(ppl.n, -1, dtype=np.int64)
    prim_rows = np.flatnonzero(~shop.dup & ~shop.test)
    primary[shop.person[prim_rows]] = prim_rows
    ci = np.flatnonzero(evs.type == EE_CLICK)
    cperson = subs.person[evs.sub[ci]]
    cacct = primary[cperson]
    conv_t = evs.t[ci] + np.minimum(rng.exponential(20 * 3600, len(ci)), 6 * DAY).astype(np.int64) + 60
    conv = (cacct >= 0) & (rng.random(len(ci)) < 0.12)
    conv &= (shop.created[cacct.clip(0)] <= evs.t[ci]) & (conv_t <= WORLD_END)
    camp_acct, camp_t, camp_c = cacct[conv], conv_t[conv], evs.campaign[ci][conv]

    test_rows = np.flatnonzero(shop.test)
    tk = rng.integers(1, 4, len(test_rows))
    test_acct = np.repeat(test_rows, tk)
    test_t = shop.created[test_acct] + rng.integers(600, 200 * DAY, len(test_acct))
    tkeep = test_t <= WORLD_END
    test_acct, test_t = test_acct[tkeep], test_t[tkeep]

    acct = np.concatenate([base_acct, camp_acct, test_acct])
    created = np.concatenate([base_t, camp_t, test_t])
    campaign = np.concatenate([np.full(len(base_t), -1), camp_c, np.full(len(test_t), -1)])
    order = np.argsort(created, kind="stable")
    acct, created, campaign = acct[order], created[order], campaign[order]
    n = len(acct)
    test = shop.test[acct]
    person = np.where(test, -1, shop.person[acct])
    pp = person.clip(0)
    dev = ppl.dev_start[pp] + (rng.random(n) * ppl.dev_n[pp]).astype(np.int64)
    device = np.where(test, -1, dev)
    channel = np.where(test, 0, (ppl.dev_platform[dev] > 0).astype(np.int64))
    cc = np.where(test, GB, ppl.country[pp])

    # lines: category preference, price level from the spend level, availability at the time
    line_n = 1 + _pick(rng, n, [.45, .28, .15, .08, .04])
    line_start = _group_starts(line_n)
    lo = np.repeat(np.arange(n), line_n)
    n_lines = len(lo)
    lperson = pp[lo]
    cat = (rng.random(n_lines)[:, None] > ppl.cat_cum[lperson]).sum(1).clip(0, len(CATEGORIES) - 1)
    z = 1.2 * np.log(ppl.spend[lperson]) + rng.normal(0, 0.9, n_lines)
    q = 1.0 / (1.0 + np.exp(-z))
    prod = prods.cat_sorted[prods.cat_start[cat] + (q * prods.cat_n[cat]).astype(np.int64).clip(
        0, prods.cat_n[cat] - 1)]
    lt = created[lo]
    prod = np.where(prods.created[prod] > lt, prods.fallback[prod], prod)
    qty = 1 + _pick(rng, n_lines, [.86, .10, .04])
    base = prods.price_at(prod, lt)
    lcc = cc[lo]
    unit = np.where(lcc == GB, base, (np.round(base * FX[lcc] / 100) * 100 - 1).astype(np.int64))
    has_disc = rng.random(n_lines) < np.where(campaign[lo] >= 0, 0.5, 0.07)
    rate = np.array([0.10, 0.15, 0.20, 0.25])[rng.integers(0, 4, n_lines)]
    disc = np.where(has_disc, np.round(unit * qty * rate), 0).astype(np.int64)
    net = unit * qty - disc
    subtotal = np.add.reduceat(net, line_start) if n else np.zeros(0, dtype=np.int64)
    shipping = np.where(subtotal >= FREE_SHIP_C[cc], 0, SHIP_FEE_C[cc])
    paid = subtotal + shipping
    total = paid.copy()
    bad = np.zeros(n, dtype=bool)
    nb = min(n, max(1, round(0.002 * n))) if n else 0
    bad[rng.choice(n, nb, replace=False)] = True
    bad &= ~test
    total = np.where(bad, np.where(rng.random(n) < 0.5, -total, total * 100), total)
    total = np.where(test, np.where(rng.random(n) < 0.5, 1, 999_999), total)

    cancel = rng.random(n) < 0.03
    cancel_t = np.where(cancel, created + rng.integers(600, 20 * 3600, n), NEVER)
    ship_t = np.where(cancel, NEVER, created + rng.integers(4 * 3600, 48 * 3600, n))
    deliver_t = np.where(cancel, NEVER, ship_t + rng.integers(DAY, 5 * DAY, n))
    ret = ~cancel & (rng.random(n) < 0.08)
    return_t = np.where(ret, deliver_t + rng.integers(3 * DAY, 28 * DAY, n), NEVER)
    return Orders(n, acct, person, created, device, channel, campaign, cc, cancel_t, ship_t, deliver_t, return_t,
                  line_start, line_n, prod, qty, unit, disc, subtotal, shipping, paid, total, test)
