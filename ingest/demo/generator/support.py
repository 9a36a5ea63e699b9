"""Support tickets: who contacts support and how often, tickets tied to a real order or not,
their channel, category, priority and subject, the status time line (open, pending, solved,
closed), satisfaction scores, and the time zone each ticket's times are written in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.demo.generator.arrays import TZ_CET, TZ_UK, TZ_US, _group_starts, _pick, _rng
from ingest.demo.generator.orders import Orders
from ingest.demo.generator.people import People
from ingest.demo.generator.records import Records
from ingest.demo.generator.timeline import DAY, NEVER, T_START, WORLD_END
from ingest.demo.generator.vocabulary import _TICKET_SUBJECTS, DE, FR, TICKET_CATEGORIES, US


@dataclass
class Tickets:
    n: int
    person: np.ndarray
    created: np.ndarray
    channel: np.ndarray
    category: np.ndarray
    priority: np.ndarray
    order: np.ndarray
    open_t: np.ndarray
    pending_t: np.ndarray
    solved_t: np.ndarray
    closed_t: np.ndarray
    csat: np.ndarray  # 0 = none
    csat_t: np.ndarray
    csat_bad: np.ndarray
    tz: np.ndarray
    subject: np.ndarray
    ref_style: np.ndarray
    email_alt: np.ndarray

    def status_at(self, t_end: int) -> tuple[np.ndarray, np.ndarray]:
        s = np.zeros(self.n, dtype=np.int64)
        upd = self.created.copy()
        for code, t in ((1, self.open_t), (2, self.pending_t), (3, self.solved_t), (4, self.closed_t)):
            hit = t <= t_end
            s = np.where(hit & (code > s), code, s)
            upd = np.where(hit & (t > upd), t, upd)
        upd = np.where((self.csat_t <= t_end) & (self.csat_t > upd), self.csat_t, upd)
        return s, upd


_SUBJECTS = [s for c in TICKET_CATEGORIES for s in _TICKET_SUBJECTS[c]]
_SUBJ_START = np.cumsum([0] + [len(_TICKET_SUBJECTS[c]) for c in TICKET_CATEGORIES])


def _build_tickets(seed: int, ppl: People, shop: Records, od: Orders) -> Tickets:
    rng = _rng(seed, "tickets")
    is_cust = np.zeros(ppl.n, dtype=bool)
    is_cust[shop.person[~shop.test]] = True
    req = np.flatnonzero(np.where(is_cust, rng.random(ppl.n) < 0.25, rng.random(ppl.n) < 0.03))
    k = 1 + rng.poisson(0.45, len(req))
    person = np.repeat(req, k)
    n = len(person)
    # orders by person, to tie tickets to a real order
    real = np.flatnonzero(~od.test)
    by_p = real[np.argsort(od.person[real], kind="stable")]
    cnt = np.bincount(od.person[real], minlength=ppl.n)
    start = _group_starts(cnt)
    linked = (cnt[person] > 0) & (rng.random(n) < 0.6)
    oi = by_p[(start[person] + (rng.random(n) * cnt[person]).astype(np.int64)).clip(0, max(0, len(by_p) - 1))] \
        if len(by_p) else np.zeros(n, np.int64)
    order = np.where(linked, oi, -1)
    t_link = od.created[order.clip(0)] + rng.integers(3600, 14 * DAY, n) if od.n else np.zeros(n, np.int64)
    a0 = np.maximum(ppl.acq[person], T_START)
    t_free = a0 + (rng.random(n) * (WORLD_END - a0)).astype(np.int64)
    created = np.where(linked, t_link, t_free)
    keep = created <= WORLD_END
    person, created, order, linked = person[keep], created[keep], order[keep], linked[keep]
    srt = np.argsort(created, kind="stable")
    person, created, order, linked = person[srt], created[srt], order[srt], linked[srt]
    n = len(person)
    cat = np.where(linked, _pick(rng, n, [.4, .3, .15, .15, 0, 0]), _pick(rng, n, [0, 0, .15, .25, .35, .25]))
    subj = _SUBJ_START[cat] + (rng.random(n) * (_SUBJ_START[cat + 1] - _SUBJ_START[cat])).astype(np.int64)
    open_t = created + rng.integers(600, 8 * 3600, n)
    pend = rng.random(n) < 0.3
    pending_t = np.where(pend, open_t + rng.integers(3600, 2 * DAY, n), NEVER)
    solved = rng.random(n) < 0.95
    solved_t = np.where(solved, np.where(pend, pending_t, open_t) + rng.exponential(2 * DAY, n).astype(np.int64),
                        NEVER)
    closed_t = np.where(solved, solved_t + 4 * DAY, NEVER)
    rated = solved & (rng.random(n) < 0.45)
    csat = np.where(rated, 1 + _pick(rng, n, [.10, .08, .12, .25, .45]), 0)
    csat_t = np.where(rated, solved_t + rng.integers(3600, 2 * DAY, n), NEVER)
    csat_bad = rated & (rng.random(n) < 0.02)
    country = ppl.country[person]
    tz = np.select([country == US, np.isin(country, [DE, FR])], [TZ_US, TZ_CET], TZ_UK)
    tz = np.where(rng.random(n) < 0.1, rng.integers(0, 3, n), tz)
    return Tickets(n, person, created, _pick(rng, n, [.4, .2, .25, .15]), cat, _pick(rng, n, [.2, .6, .15, .05]),
                   order, open_t, pending_t, solved_t, closed_t, csat, csat_t, csat_bad, tz, subj,
                   np.where(rng.random(n) < 0.05, rng.integers(1, 4, n), 0), rng.random(n) < 0.1)
