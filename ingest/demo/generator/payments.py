"""Payments and refunds (the payment gateway): a charge for every order plus failed attempts,
double charges and orphan payments with no shop order, payment methods and cards by country and
device, gateway-side bad amounts, and the refunds of cancelled, returned, fraudulent and
double-charged orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.demo.generator.arrays import _pick, _rng
from ingest.demo.generator.orders import Orders
from ingest.demo.generator.people import People
from ingest.demo.generator.records import Records
from ingest.demo.generator.timeline import DAY, NEVER, T_START, WORLD_END
from ingest.demo.generator.vocabulary import DE, FR, GB, IE, US


@dataclass
class Payments:
    n: int
    created: np.ndarray
    order: np.ndarray  # -1 = orphan (no shop order)
    person: np.ndarray  # -1 = test account
    amount_c: np.ndarray
    cc: np.ndarray
    failed: np.ndarray
    failure: np.ndarray
    method: np.ndarray
    brand: np.ndarray  # -1 none
    last4: np.ndarray  # -1 none
    orphan_ref: np.ndarray
    amount_kind: np.ndarray  # 0 fine, 1 'N/A', 2 comma decimal
    email_alt: np.ndarray
    test: np.ndarray
    dup_of_order: np.ndarray  # second charge of an order (later refunded)


@dataclass
class Refunds:
    n: int
    created: np.ndarray
    payment: np.ndarray
    amount_c: np.ndarray
    cc: np.ndarray
    reason: np.ndarray
    status: np.ndarray  # 0 succeeded, 1 pending, 2 failed


_METHOD_P = {GB: [.55, .2, .1, .1, .05], IE: [.6, .2, .05, .1, .05], US: [.6, .15, .0, .15, .1],
             DE: [.3, .35, .25, .05, .05], FR: [.65, .2, .05, .05, .05]}


def _build_payments(seed: int, ppl: People, od: Orders, shop: Records) -> tuple[Payments, Refunds]:
    rng = _rng(seed, "payments")
    n = od.n
    ok_t = od.created + rng.integers(2, 90, n)
    fail = rng.random(n) < 0.04
    dupc = (rng.random(n) < 0.003) & ~od.test
    n_orph = max(1, round(0.005 * n)) if n else 0
    orph_person = rng.integers(0, ppl.n, n_orph)
    o0 = np.maximum(ppl.acq[orph_person], T_START)
    orph_t = o0 + (rng.random(n_orph) * (WORLD_END - o0)).astype(np.int64)
    f_idx, d_idx = np.flatnonzero(fail), np.flatnonzero(dupc)
    order = np.concatenate([np.arange(n), f_idx, d_idx, np.full(n_orph, -1)])
    created = np.concatenate([ok_t, od.created[f_idx] - rng.integers(30, 900, len(f_idx)),
                              ok_t[d_idx] + rng.integers(5, 120, len(d_idx)), orph_t])
    failed = np.concatenate([np.zeros(n, bool), np.ones(len(f_idx), bool), np.zeros(len(d_idx) + n_orph, bool)])
    dup_of = np.concatenate([np.zeros(n + len(f_idx), bool), np.ones(len(d_idx), bool), np.zeros(n_orph, bool)])
    srt = np.argsort(created, kind="stable")
    order, created, failed, dup_of = order[srt], created[srt], failed[srt], dup_of[srt]
    m = len(order)
    oo = order.clip(0)
    orphan = order < 0
    person = np.where(orphan, np.concatenate([np.zeros(n + len(f_idx) + len(d_idx), np.int64), orph_person])[srt],
                      od.person[oo])
    test = ~orphan & od.test[oo]
    pp = person.clip(0)
    cc = np.where(orphan, ppl.country[pp], od.cc[oo])
    amount = np.where(orphan, (rng.lognormal(4.0, 0.6, m) * 100).astype(np.int64), od.paid_c[oo])
    amount = np.where(test, od.total_c[oo], amount)
    method = np.zeros(m, dtype=np.int64)
    u = rng.random(m)
    for c, p in _METHOD_P.items():
        msk = cc == c
        method[msk] = np.searchsorted(np.cumsum(p), u[msk] * sum(p), side="right").clip(0, 4)
    dev = np.where(orphan, -1, od.device[oo])
    plat = np.where(dev >= 0, ppl.dev_platform[dev.clip(0)], 0)
    method = np.where((plat == 1) & (rng.random(m) < 0.4), 3, method)
    method = np.where((plat == 2) & (rng.random(m) < 0.3), 4, method)
    card = np.isin(method, [0, 3, 4])
    which = (rng.random(m) < 0.2).astype(np.int64)
    brand = np.where(card, ppl.card_brand[pp, which], -1)
    last4 = np.where(card, ppl.card4[pp, which], -1)
    failure = np.where(failed, _pick(rng, m, [.45, .25, .1, .1, .1]), -1)
    # gateway-side bad values
    kind = np.zeros(m, dtype=np.int64)
    nbad = max(1, round(0.002 * m)) if m else 0
    pick_bad = rng.choice(m, min(m, 2 * nbad), replace=False) if m else np.zeros(0, np.int64)
    amount[pick_bad[:nbad]] = np.where(rng.random(len(pick_bad[:nbad])) < 0.5, -amount[pick_bad[:nbad]],
                                       amount[pick_bad[:nbad]] * 1000)
    kind[pick_bad[nbad:]] = 1 + (rng.random(len(pick_bad[nbad:])) < 0.5)
    orphan_ref = rng.integers(90_000_000, 99_999_999, m)
    email_alt = ~orphan & ~test & shop.email_alt[od.acct[oo]]
    email_alt |= rng.random(m) < 0.03
    pay = Payments(m, created, order, np.where(test, -1, person), amount, cc, failed, failure, method, brand,
                   last4, orphan_ref, kind, email_alt & ~test, test, dup_of)

    # refunds of the successful charge of cancelled / returned / fraudulent orders, and double charges
    first_ok = np.full(n, -1, dtype=np.int64)
    okrows = np.flatnonzero(~failed & ~dup_of & ~orphan)
    first_ok[order[okrows]] = okrows
    ret_amt = np.where((od.line_n > 1) & (rng.random(n) < 0.5),
                       od.l_unit_c[od.line_start] * od.l_qty[od.line_start] - od.l_disc_c[od.line_start], od.paid_c)
    fraud = (rng.random(n) < 0.001) & (od.cancel_t >= NEVER) & ~od.test
    parts = [
        (np.flatnonzero(od.cancel_t < NEVER), lambda i: od.cancel_t[i] + rng.integers(3600, 2 * DAY, len(i)),
         lambda i: od.paid_c[i], 0),
        (np.flatnonzero(od.return_t < NEVER), lambda i: od.return_t[i] + rng.integers(DAY, 5 * DAY, len(i)),
         lambda i: ret_amt[i], 3),
        (np.flatnonzero(fraud), lambda i: od.created[i] + rng.integers(2 * DAY, 20 * DAY, len(i)),
         lambda i: od.paid_c[i], 2),
    ]
    r_created, r_pay, r_amt, r_reason = [], [], [], []
    for idx, tf, af, reason in parts:
        idx = idx[first_ok[idx] >= 0]
        r_created.append(tf(idx))
        r_pay.append(first_ok[idx])
        r_amt.append(af(idx))
        r_reason.append(np.full(len(idx), reason))
    drows = np.flatnonzero(dup_of)
    r_created.append(created[drows] + rng.integers(DAY, 3 * DAY, len(drows)))
    r_pay.append(drows)
    r_amt.append(pay.amount_c[drows])
    r_reason.append(np.full(len(drows), 1))
    rc = np.concatenate(r_created)
    srt = np.argsort(rc, kind="stable")
    rp = np.concatenate(r_pay)[srt]
    k = len(rc)
    ref = Refunds(k, rc[srt], rp, np.abs(np.concatenate(r_amt)[srt]), cc[rp], np.concatenate(r_reason)[srt],
                  _pick(rng, k, [.97, .02, .01]))
    keep = ref.created <= WORLD_END
    return pay, Refunds(int(keep.sum()), ref.created[keep], ref.payment[keep], ref.amount_c[keep], ref.cc[keep],
                        ref.reason[keep], ref.status[keep])
