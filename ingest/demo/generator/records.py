"""Records in the person systems (shop customers, CRM A, CRM B, e-mail subscribers): which
people each system knows and since when, duplicate records and staff test accounts, and when a
record learns of its person's new address or e-mail or is otherwise edited. ``_build_records``
gives one ``Records`` per system over the whole time line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ingest.demo.generator.arrays import _rng
from ingest.demo.generator.people import People
from ingest.demo.generator.timeline import DAY, NEVER, T_START, WORLD_END

SYSTEMS = ["shop", "crm_a", "crm_b", "subscribers"]
_PRESENCE = [0.70, 0.55, 0.30, 0.55]
_DUP_WEIGHT = [0.40, 0.30, 0.15, 0.15]
_LEARN_MOVE = {"shop": (0.75, 20), "crm_a": (0.50, 45), "crm_b": (0.25, 90), "subscribers": (0.0, 1)}
_LEARN_EMAIL = {"shop": (0.80, 10), "crm_a": (0.55, 30), "crm_b": (0.30, 60), "subscribers": (0.60, 15)}


@dataclass
class Records:
    """One system's person records over the whole time line (sorted by creation)."""

    system: str
    person: np.ndarray  # -1 for test accounts
    created: np.ndarray
    dup: np.ndarray  # second record of the same person in this system
    learn_move: np.ndarray  # when this record picks up the person's new address
    learn_email: np.ndarray  # when it picks up the new e-mail
    touch: np.ndarray  # another edit (opt-in flip, deactivation...) or NEVER
    email_alt: np.ndarray  # record uses the person's alternative e-mail
    test: np.ndarray
    status_t: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # subscribers only

    def __len__(self) -> int:
        return len(self.person)

    def modified(self, t_end: int) -> np.ndarray:
        m = self.created.copy()
        extra = [self.status_t] if len(self.status_t) else []
        for t in [self.learn_move, self.learn_email, self.touch, *extra]:
            m = np.where((t <= t_end) & (t > m), t, m)
        return m



def _learn(rng: np.random.Generator, created: np.ndarray, event_t: np.ndarray, p: float, lag_days: float) -> np.ndarray:
    n = len(created)
    lag = (rng.exponential(lag_days * DAY, n) + 3600).astype(np.int64)
    later = np.where(rng.random(n) < p, event_t + lag, NEVER)
    return np.where(event_t >= NEVER, NEVER, np.where(created >= event_t, created, later))


def _build_records(seed: int, ppl: People) -> dict[str, Records]:
    rng = _rng(seed, "records")
    n = ppl.n
    present = rng.random((n, 4)) < np.array(_PRESENCE)
    present[~present.any(1), 0] = True
    cnt = present.sum(1)
    k = (rng.random(n) * cnt).astype(np.int64)
    first_sys = np.argmax(np.cumsum(present, 1) > k[:, None], axis=1)
    created = ppl.acq[:, None] + rng.exponential(150 * DAY, (n, 4)).astype(np.int64)
    created[np.arange(n), first_sys] = ppl.acq
    dup_w = present * np.array(_DUP_WEIGHT)
    has_dup = rng.random(n) < 0.05
    dup_sys = np.argmax(np.cumsum(dup_w, 1) / dup_w.sum(1, keepdims=True) > rng.random(n)[:, None], axis=1)
    dup_created = created[np.arange(n), dup_sys] + (DAY + rng.exponential(250 * DAY, n)).astype(np.int64)
    out = {}
    for s, name in enumerate(SYSTEMS):
        base = np.flatnonzero(present[:, s] & (created[:, s] <= WORLD_END))
        dups = np.flatnonzero(has_dup & (dup_sys == s) & (dup_created <= WORLD_END))
        person = np.concatenate([base, dups])
        cr = np.concatenate([created[base, s], dup_created[dups]])
        dup = np.concatenate([np.zeros(len(base), bool), np.ones(len(dups), bool)])
        test = np.zeros(len(person), dtype=bool)
        if name == "shop":  # test accounts created by staff
            nt = max(3, round(0.002 * len(person)))
            person = np.concatenate([person, np.full(nt, -1)])
            cr = np.concatenate([cr, rng.integers(T_START, WORLD_END, nt)])
            dup = np.concatenate([dup, np.zeros(nt, bool)])
            test = np.concatenate([test, np.ones(nt, bool)])
        order = np.argsort(cr, kind="stable")
        person, cr, dup, test = person[order], cr[order], dup[order], test[order]
        pp = person.clip(0)
        lm = _learn(rng, cr, np.where(test, NEVER, ppl.move_t[pp]), *_LEARN_MOVE[name])
        le = _learn(rng, cr, np.where(test, NEVER, ppl.email_t[pp]), *_LEARN_EMAIL[name])
        touch = np.where(rng.random(len(person)) < 0.35, cr + rng.exponential(420 * DAY, len(person)).astype(np.int64),
                         NEVER)
        alt = np.where(dup, rng.random(len(person)) < 0.7, rng.random(len(person)) < (0.1 if name == "crm_b" else 0.02))
        out[name] = Records(name, person, cr, dup, lm, le, touch, alt & ~test, test)
    return out
