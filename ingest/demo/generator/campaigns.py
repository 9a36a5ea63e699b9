"""E-mail marketing campaigns and their events: about twelve themed campaigns a quarter (a tenth
of them SMS) and their simulated sends, deliveries, opens, clicks, unsubscribes and bounces,
driven by each subscriber's engagement; unsubscribed and cleaned addresses drop out of later
sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from ingest.demo.generator.arrays import _rng
from ingest.demo.generator.mess import MESS, _render_codes
from ingest.demo.generator.people import People
from ingest.demo.generator.records import Records
from ingest.demo.generator.timeline import DAY, NEVER, WORLD_END
from ingest.demo.generator.vocabulary import _CAMPAIGN_GENERIC, _CAMPAIGN_THEMES

EMAIL_EVENTS = ["send", "delivered", "open", "click", "unsubscribe", "bounce"]
EE_SEND, EE_DELIV, EE_OPEN, EE_CLICK, EE_UNSUB, EE_BOUNCE = range(6)


@dataclass
class Campaigns:
    n: int
    send_at: np.ndarray
    channel: np.ndarray  # 0 email, 1 sms
    name: list[str]
    subject: list[str]
    frac: np.ndarray
    appeal: np.ndarray
    audience: np.ndarray
    cost_c: np.ndarray


def _build_campaigns(seed: int) -> Campaigns:
    """About 12 campaigns a quarter, themed by month."""
    rng = _rng(seed, "campaigns")
    sends, names, subjects, chans = [], [], [], []
    q = datetime(2023, 1, 1, tzinfo=UTC)
    while q.timestamp() < WORLD_END:
        nq = datetime(q.year + (q.month + 3 > 12), (q.month + 2) % 12 + 1, 1, tzinfo=UTC)
        days = (nq - q).days
        for d in np.sort(rng.choice(days, 12, replace=False)):
            t = int(q.timestamp()) + int(d) * DAY + int(rng.integers(7 * 3600, 11 * 3600))
            month = datetime.fromtimestamp(t, UTC).month
            year = datetime.fromtimestamp(t, UTC).year
            themes = _CAMPAIGN_THEMES[month]
            theme = themes[int(rng.integers(0, 2))] if rng.random() < 0.7 else _CAMPAIGN_GENERIC[
                int(rng.integers(0, len(_CAMPAIGN_GENERIC)))]
            sms = rng.random() < 0.1
            pct = int(rng.choice([10, 15, 20, 25, 30, 40, 50]))
            subj = [f"{theme}: up to {pct}% off", f"{theme} starts now", f"Just for you: {theme.lower()}",
                    f"Don't miss out - {theme}"][int(rng.integers(0, 4))]
            sends.append(t)
            names.append(f"{theme} {year}" + (" (SMS)" if sms else ""))
            subjects.append(subj)
            chans.append(int(sms))
        q = nq
    n = len(sends)
    order = np.argsort(sends, kind="stable")
    return Campaigns(n, np.array(sends, dtype=np.int64)[order], np.array(chans)[order],
                     [names[i] for i in order], [subjects[i] for i in order], rng.uniform(0.06, 0.3, n)[order],
                     rng.uniform(0.7, 1.3, n)[order], np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))


@dataclass
class EmailEvents:
    sub: np.ndarray
    campaign: np.ndarray
    type: np.ndarray
    t: np.ndarray
    left_code: np.ndarray  # per subscriber: 0 subscribed, 1 unsubscribed, 2 cleaned (final)


def _simulate_email(seed: int, ppl: People, subs: Records, cps: Campaigns) -> EmailEvents:
    """Send each campaign to a segment of current subscribers; opens, clicks, unsubscribes
    and bounces depend on each person's engagement. Unsubscribed/cleaned addresses drop out."""
    rng = _rng(seed, "email")
    ns = len(subs)
    uni, _ = _render_codes(seed, "subscribers", ns)
    invalid = uni[:, 15] < MESS["subscribers"].invalid
    eo = ppl.eng_open[subs.person] * np.where(subs.dup, 0.5, 1.0)
    ec = ppl.eng_click[subs.person]
    dead = invalid | (rng.random(ns) < 0.01)
    left_t = np.full(ns, NEVER)
    left_code = np.zeros(ns, dtype=np.int8)
    out: list[tuple[np.ndarray, int, int, np.ndarray]] = []
    for c in range(cps.n):
        t = cps.send_at[c]
        elig = np.flatnonzero((subs.created <= t) & (left_t > t))
        sel = elig[rng.random(len(elig)) < np.clip(cps.frac[c] * (0.5 + eo[elig] / 0.31), 0, 1)]
        m = len(sel)
        cps.audience[c] += m  # every part of the people adds its sends
        send_t = t + rng.integers(0, 3600, m)
        bounce = dead[sel] | (rng.random(m) < 0.003)
        deliv = ~bounce
        deliv_t = send_t + rng.integers(1, 180, m)
        bounce_t = send_t + rng.integers(1, 600, m)
        if cps.channel[c] == 0:
            opened = deliv & (rng.random(m) < eo[sel] * cps.appeal[c])
            open_t = deliv_t + np.minimum(rng.exponential(6 * 3600, m), 5 * DAY).astype(np.int64)
            click = opened & (rng.random(m) < ec[sel])
            click_t = open_t + 5 + rng.exponential(90, m).astype(np.int64)
            unsub = (opened & (rng.random(m) < 0.006)) | (deliv & ~opened & (rng.random(m) < 0.0008))
            unsub_t = np.where(opened, open_t, deliv_t + rng.exponential(DAY, m).astype(np.int64)) + rng.integers(
                10, 600, m)
        else:
            opened = np.zeros(m, dtype=bool)
            open_t = deliv_t
            click = deliv & (rng.random(m) < ec[sel] * 0.4)
            click_t = deliv_t + rng.exponential(1200, m).astype(np.int64)
            unsub = deliv & (rng.random(m) < 0.004)
            unsub_t = deliv_t + rng.integers(60, 3600, m)
        cleaned = dead[sel]
        left_t[sel[cleaned]], left_code[sel[cleaned]] = bounce_t[cleaned], 2
        first_unsub = unsub & (left_t[sel] > unsub_t)
        left_t[sel[first_unsub]], left_code[sel[first_unsub]] = unsub_t[first_unsub], 1
        for typ, mask, tt in ((EE_SEND, np.ones(m, bool), send_t), (EE_BOUNCE, bounce, bounce_t),
                              (EE_DELIV, deliv, deliv_t), (EE_OPEN, opened, open_t), (EE_CLICK, click, click_t),
                              (EE_UNSUB, unsub, unsub_t)):
            out.append((sel[mask], c, typ, tt[mask]))
        audience = cps.audience[c]
        cost = 0.0015 * audience + 150 if cps.channel[c] == 0 else 0.035 * audience + 80
        cps.cost_c[c] = round(cost * 100)
    subs.status_t = left_t  # unsubscribes/cleanings are edits of the subscriber records
    return EmailEvents(np.concatenate([o[0] for o in out]),
                       np.concatenate([np.full(len(o[0]), o[1], dtype=np.int32) for o in out]),
                       np.concatenate([np.full(len(o[0]), o[2], dtype=np.int8) for o in out]),
                       np.concatenate([o[3] for o in out]), left_code)
