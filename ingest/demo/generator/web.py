"""Web and app sessions: the purchase session behind every order, browsing by shop customers,
landings from e-mail clicks, anonymous browsing by people with no shop account and by visitors
who are never identified, and the devices they use. A session holds only counts: its events are
expanded per batch and per part when the batch is written (``writing._expand_sessions``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.demo.generator.arrays import _pick, _rng
from ingest.demo.generator.campaigns import EE_CLICK, EmailEvents
from ingest.demo.generator.orders import Orders
from ingest.demo.generator.people import People
from ingest.demo.generator.records import Records
from ingest.demo.generator.timeline import DAY, T_START, WORLD_END
from ingest.demo.generator.vocabulary import UA_STRINGS, UTM_EMAIL, UTM_P

SK_PURCHASE, SK_BROWSE, SK_CLICK, SK_ANON = range(4)


@dataclass
class Sessions:
    n: int
    anchor: np.ndarray  # order time (anchor_end) or session start
    anchor_end: np.ndarray
    kind: np.ndarray
    device: np.ndarray
    customer: np.ndarray  # shop customer_id or -1
    login: np.ndarray
    login_pos: np.ndarray
    app: np.ndarray
    npv: np.ndarray
    nprod: np.ndarray
    ncart: np.ndarray
    checkout: np.ndarray
    done: np.ndarray
    order: np.ndarray
    utm: np.ndarray
    campaign: np.ndarray
    n_events: np.ndarray
    dev_platform: np.ndarray  # devices incl. anonymous visitors
    dev_type: np.ndarray
    dev_ua: np.ndarray


def _build_sessions(seed: int, ppl: People, shop: Records, od: Orders, evs: EmailEvents, subs: Records) -> Sessions:
    rng = _rng(seed, "sessions")
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("anchor", "anchor_end", "kind", "device", "customer",
                                                         "login", "npv", "nprod", "ncart", "checkout", "done",
                                                         "order", "utm", "campaign")}

    def add(**kw: np.ndarray) -> None:
        m = len(kw["anchor"])
        for k in cols:
            v = kw.get(k)
            cols[k].append(np.broadcast_to(v if v is not None else -1, (m,)).astype(np.int64))

    def rand_device(person: np.ndarray) -> np.ndarray:
        return ppl.dev_start[person] + (rng.random(len(person)) * ppl.dev_n[person]).astype(np.int64)

    customer_id = np.arange(1, len(shop) + 1)
    real = np.flatnonzero(~od.test)
    m = len(real)
    add(anchor=od.created[real], anchor_end=np.ones(m), kind=np.full(m, SK_PURCHASE), device=od.device[real],
        customer=customer_id[od.acct[real]], login=np.ones(m), npv=1 + rng.poisson(0.5, m),
        nprod=od.line_n[real] + rng.poisson(0.6, m), ncart=od.line_n[real], checkout=np.ones(m), done=np.ones(m),
        order=real, utm=np.where(od.campaign[real] >= 0, UTM_EMAIL, _pick(rng, m, UTM_P)),
        campaign=od.campaign[real])
    # browsing by shop customers, more for frequent buyers
    accts = np.flatnonzero(~shop.test)
    n_orders = np.bincount(od.acct[real], minlength=len(shop))[accts]
    last_t = np.full(len(shop), -1, dtype=np.int64)
    np.maximum.at(last_t, od.acct[real], od.created[real])
    a_start = np.maximum(shop.created[accts], T_START)
    a_end = np.minimum(WORLD_END, np.maximum(last_t[accts], a_start) + 150 * DAY)
    k = rng.poisson(0.4 + 0.6 * n_orders)
    a = np.repeat(accts, k)
    m = len(a)
    grp = np.repeat(np.arange(len(accts)), k)
    t = a_start[grp] + (rng.random(m) * (a_end - a_start)[grp]).astype(np.int64)
    dev = rand_device(shop.person[a])
    app = ppl.dev_platform[dev] > 0
    ncart = (rng.random(m) < 0.12).astype(np.int64)
    add(anchor=t, anchor_end=np.zeros(m), kind=np.full(m, SK_BROWSE), device=dev, customer=customer_id[a],
        login=app | (rng.random(m) < 0.3), npv=1 + rng.poisson(0.6, m), nprod=rng.poisson(1.3, m), ncart=ncart,
        checkout=ncart * (rng.random(m) < 0.3), done=np.zeros(m), utm=_pick(rng, m, UTM_P))
    # landing sessions from e-mail clicks
    primary = np.full(ppl.n, -1, dtype=np.int64)
    prim_rows = np.flatnonzero(~shop.dup & ~shop.test)
    primary[shop.person[prim_rows]] = prim_rows
    ci = np.flatnonzero(evs.type == EE_CLICK)
    cp = subs.person[evs.sub[ci]]
    m = len(ci)
    ca = primary[cp]
    known = (ca >= 0) & (shop.created[ca.clip(0)] <= evs.t[ci])
    dev = rand_device(cp)
    app = ppl.dev_platform[dev] > 0
    add(anchor=evs.t[ci] + rng.integers(1, 20, m), anchor_end=np.zeros(m), kind=np.full(m, SK_CLICK), device=dev,
        customer=np.where(known, customer_id[ca.clip(0)], -1), login=known & (app | (rng.random(m) < 0.3)),
        npv=np.ones(m), nprod=rng.poisson(1.2, m), ncart=(rng.random(m) < 0.1).astype(np.int64),
        checkout=np.zeros(m), done=np.zeros(m), utm=np.full(m, UTM_EMAIL), campaign=evs.campaign[ci])
    # people who never opened a shop account still browse (anonymously)
    non = np.flatnonzero(primary < 0)
    k = rng.poisson(0.8, len(non))
    pn = np.repeat(non, k)
    m = len(pn)
    a0 = np.maximum(ppl.acq[pn], T_START)
    t = a0 + (rng.random(m) * (WORLD_END - a0)).astype(np.int64)
    add(anchor=t, anchor_end=np.zeros(m), kind=np.full(m, SK_ANON), device=rand_device(pn), customer=np.full(m, -1),
        login=np.zeros(m), npv=1 + rng.poisson(0.8, m), nprod=rng.poisson(1.2, m), ncart=np.zeros(m),
        checkout=np.zeros(m), done=np.zeros(m), utm=_pick(rng, m, UTM_P))
    # anonymous-only visitors (never identified)
    nv = int(0.4 * ppl.n)
    base_dev = len(ppl.dev_person)
    vk = 1 + rng.poisson(0.3, nv)
    vd = base_dev + np.repeat(np.arange(nv), vk)
    m = len(vd)
    add(anchor=T_START + (rng.random(m) * (WORLD_END - T_START)).astype(np.int64), anchor_end=np.zeros(m),
        kind=np.full(m, SK_ANON), device=vd, customer=np.full(m, -1), login=np.zeros(m),
        npv=1 + rng.poisson(0.5, m), nprod=rng.poisson(0.8, m), ncart=np.zeros(m), checkout=np.zeros(m),
        done=np.zeros(m), utm=_pick(rng, m, UTM_P))
    vplat = np.where(rng.random(nv) < 0.1, 1 + (rng.random(nv) < 0.5), 0)
    vtype = np.where(vplat > 0, 1, _pick(rng, nv, [0.45, 0.45, 0.1]))
    ua_key = np.array([p * 3 + t for p, t, _ in UA_STRINGS])
    vua = np.zeros(nv, dtype=np.int64)
    ua_u = rng.random(nv)
    for key in np.unique(ua_key):
        cands = np.flatnonzero(ua_key == key)
        msk = vplat * 3 + vtype == key
        vua[msk] = cands[(ua_u[msk] * len(cands)).astype(np.int64)]
    dev_platform = np.concatenate([ppl.dev_platform, vplat])
    dev_type = np.concatenate([ppl.dev_type, vtype])
    dev_ua = np.concatenate([ppl.dev_ua, vua])

    s = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.argsort(s["anchor"], kind="stable")
    s = {k: v[order] for k, v in s.items()}
    n = len(order)
    app = (dev_platform[s["device"]] > 0).astype(np.int64)
    login = s["login"] > 0
    n_base = app + s["npv"] + s["nprod"] + s["ncart"] + s["checkout"] + s["done"]
    upto = np.where(s["kind"] == SK_PURCHASE, app + s["npv"] + s["nprod"] + s["ncart"], n_base)
    lpos = np.where(app > 0, 1, (rng.random(n) * (upto + 1)).astype(np.int64).clip(0, upto))
    lpos = np.where((s["kind"] == SK_PURCHASE) & (app == 0), lpos.clip(1), lpos)
    return Sessions(n, s["anchor"], s["anchor_end"] > 0, s["kind"], s["device"], s["customer"], login, lpos,
                    app > 0, s["npv"], s["nprod"], s["ncart"], s["checkout"] > 0, s["done"] > 0, s["order"],
                    s["utm"], s["campaign"], (n_base + login).astype(np.int64), dev_platform, dev_type, dev_ua)
