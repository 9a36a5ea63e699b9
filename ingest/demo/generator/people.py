"""The people of the demo world: identity (names, gender, date of birth, country, households),
addresses before and after a move, e-mail addresses before and after a change plus an
alternative one, mobile and landline numbers, latent buying and e-mail behaviour, payment cards
and devices. ``_build_people`` draws them all from the seed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.demo.generator.arrays import (
    _cat,
    _civil,
    _fixed_int,
    _group_starts,
    _int_str,
    _pick,
    _rng,
    _sa,
    _scatter,
    _take,
    _vocab,
    _where,
    _zipf,
)
from ingest.demo.generator.timeline import DAY, LEGACY_START, NEVER, T_START, WORLD_END, YEAR
from ingest.demo.generator.vocab_tables import PhoneTypes, Vocab
from ingest.demo.generator.vocabulary import (
    _CATEGORY_P,
    _CITY_ROWS,
    _DOM,
    _DOMAIN_P,
    COUNTRY_P,
    DE,
    EMAIL_DOMAINS,
    FR,
    GB,
    IE,
    UA_STRINGS,
    US,
    WORK_DOMAINS,
)

ALL_DOMAINS = EMAIL_DOMAINS + WORK_DOMAINS
DOMAIN_V = _vocab(ALL_DOMAINS)
GMAIL, GOOGLEMAIL = _DOM["gmail.com"], _DOM["googlemail.com"]


@dataclass
class Address:
    city: np.ndarray
    street: np.ndarray
    house: np.ndarray
    line2: np.ndarray  # 0 = none, else flat/apartment number
    postcode: pa.Array


@dataclass
class People:
    n: int
    country: np.ndarray
    gender: np.ndarray
    first: np.ndarray
    middle: np.ndarray  # -1 = none
    last: np.ndarray
    dob: np.ndarray  # days since epoch
    acq: np.ndarray  # first appearance (epoch s)
    addr: list[Address]  # [before move, after move]
    move_t: np.ndarray
    users: pa.Array  # 3n usernames: [v1 | v2 (after change) | alternative]
    doms: np.ndarray  # 3n domain indexes (ALL_DOMAINS)
    email_t: np.ndarray
    mob_type: np.ndarray
    mob_nsn: np.ndarray  # -1 = none
    land_type: np.ndarray
    land_nsn: np.ndarray
    partner: np.ndarray  # household partner or -1
    lam: np.ndarray  # purchase rate per year while active
    pdrop: np.ndarray  # chance to drop out after each purchase
    spend: np.ndarray  # spend level (mean 1)
    p_app: np.ndarray
    cat_cum: np.ndarray  # (n, K) cumulative category preference
    eng_open: np.ndarray
    eng_click: np.ndarray
    card4: np.ndarray  # (n, 2) last4 of two cards
    card_brand: np.ndarray  # (n, 2)
    dev_start: np.ndarray
    dev_n: np.ndarray
    dev_person: np.ndarray
    dev_platform: np.ndarray
    dev_type: np.ndarray
    dev_ua: np.ndarray


@functools.lru_cache(maxsize=1)
def _postcode_tables() -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    codes: list[str] = []
    start, count, lo, hi = [], [], [], []
    for _c, _n, _w, _s, spec, _a, _alt in _CITY_ROWS:
        if isinstance(spec, str):
            parts = spec.split()
            start.append(len(codes))
            count.append(len(parts))
            codes.extend(parts)
            lo.append(0)
            hi.append(0)
        else:
            start.append(0)
            count.append(0)
            lo.append(spec[0])
            hi.append(spec[1])
    return _vocab(codes), np.array(start), np.array(count), np.array(lo), np.array(hi)


_GB_INWARD = np.frombuffer(b"ABDEFGHJLNPQRSTUWXYZ", dtype=np.uint8)
_IE_FIRST = np.frombuffer(b"ACDEFHKNPRTVWXY", dtype=np.uint8)
_IE_REST = np.frombuffer(b"ACDEFHKNPRTVWXY0123456789", dtype=np.uint8)


def _postcodes(rng: np.random.Generator, city: np.ndarray) -> pa.Array:
    """Country-shaped postcodes: 'SW11 4QD', 'D04 X2P8', '10027', '80331', '75011'."""
    n = len(city)
    country = np.array([r[0] for r in _CITY_ROWS])[city]
    codes, start, count, lo, hi = _postcode_tables()
    u = rng.random(n)
    r = rng.integers(0, 1 << 30, (n, 4))
    parts = []
    for c in range(5):
        rows = np.flatnonzero(country == c)
        if not len(rows):
            continue
        ci, rr = city[rows], r[rows]
        if c in (GB, IE, US):
            out = _take(codes, start[ci] + (u[rows] * count[ci]).astype(np.int64))
            m = len(rows)
            if c == GB:
                mat = np.stack([rr[:, 0] % 10 + 48, _GB_INWARD[rr[:, 1] % 20], _GB_INWARD[rr[:, 2] % 20]], 1)
                out = _cat(out, " ", _sa(mat))
            elif c == IE:
                mat = np.stack([_IE_FIRST[rr[:, 0] % 15], _IE_REST[rr[:, 1] % 25], _IE_REST[rr[:, 2] % 25],
                                _IE_REST[rr[:, 3] % 25]], 1)
                out = _cat(out, " ", _sa(mat))
            else:
                out = _cat(out, _fixed_int(rr[:, 0] % 100, 2))
            assert len(out) == m
        else:
            out = _fixed_int(lo[ci] + (u[rows] * (hi[ci] - lo[ci] + 1)).astype(np.int64), 5)
        parts.append((rows, out))
    return _scatter(n, parts)


def _gen_address(rng: np.random.Generator, country: np.ndarray, voc: Vocab,
                 keep_city: np.ndarray | None = None) -> Address:
    n = len(country)
    city = np.zeros(n, dtype=np.int64)
    street = np.zeros(n, dtype=np.int64)
    for c in range(5):
        m = country == c
        idx, p = voc.city_p[c]
        city[m] = idx[_pick(rng, int(m.sum()), p)]
        cand = voc.street_by_country[c]
        street[m] = cand[rng.integers(0, len(cand), int(m.sum()))]
    if keep_city is not None:
        city = np.where(keep_city >= 0, keep_city, city)
    u = rng.random(n)
    house = np.select([country == US, country == DE, country == FR],
                      [100 + (u * 9900).astype(np.int64), 1 + (u**2 * 120).astype(np.int64),
                       1 + (u**2 * 150).astype(np.int64)], 1 + (u**2 * 220).astype(np.int64))
    p_line2 = np.array([0.12, 0.10, 0.18, 0.03, 0.08])[country]
    line2 = np.where(rng.random(n) < p_line2, rng.integers(1, 41, n), 0)
    return Address(city, street, house, line2, _postcodes(rng, city))


def _take_addr(a: Address, src: np.ndarray) -> Address:
    return Address(a.city[src], a.street[src], a.house[src], a.line2[src], _take(a.postcode, src))


def _held(addresses: pa.Array, taken: pa.Array) -> np.ndarray:
    """Which `addresses` are among `taken`. The lookup set is built on the part's addresses and the
    earlier parts' (which grow with the demo) are probed against it: three times faster at 3.75M."""
    clashes = taken.filter(pc.is_in(taken, value_set=addresses))
    return pc.is_in(addresses, value_set=clashes).to_numpy(zero_copy_only=False)


def _dedupe_users(rng: np.random.Generator, users: pa.Array, doms: np.ndarray,
                  taken: pa.Array | None = None) -> pa.Array:
    """Make every address unique (real mailboxes are), appending digits to later clashes and to
    addresses `taken` by the people of earlier parts."""
    for _ in range(8):
        full = _cat(users, "@", _take(DOMAIN_V, doms))
        codes = pc.dictionary_encode(full).indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes, kind="stable")
        sc = codes[order]
        head = np.r_[True, sc[1:] != sc[:-1]]
        rank_sorted = np.arange(len(sc)) - np.maximum.accumulate(np.where(head, np.arange(len(sc)), 0))
        dup = np.zeros(len(sc), dtype=bool)
        dup[order] = rank_sorted > 0
        if taken is not None and len(taken):
            dup |= _held(full, taken)
        if not dup.any():
            break
        users = _where(dup, _cat(users, _int_str(rng.integers(2, 100, len(dup)))), users)
    return users


def _usernames(rng: np.random.Generator, voc: Vocab, first: np.ndarray, last: np.ndarray,
               year: np.ndarray) -> pa.Array:
    n = len(first)
    fl = _take(voc.first.ascii_lower, first)
    ll = _take(voc.last.ascii_lower, last)
    nk = _take(voc.nick_user, first)
    f1 = pc.utf8_slice_codeunits(fl, 0, 1)
    yy = _fixed_int(year % 100, 2)
    num = _int_str(rng.integers(1, 1000, n))
    options = [_cat(fl, ".", ll), _cat(fl, ".", ll, yy), _cat(f1, ll), _cat(fl, ll), _cat(fl, "_", ll),
               _cat(fl, num), _cat(f1, ".", ll), _cat(ll, ".", fl), _cat(fl, ll, _fixed_int(year, 4)),
               _cat(ll, f1, yy), _cat(nk, ".", ll), _cat(nk, ll, num)]
    choice = _pick(rng, n, [.24, .12, .11, .10, .04, .07, .06, .04, .06, .04, .07, .05])
    return _take(pa.concat_arrays(options), choice * n + np.arange(n))


def _domains(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    out = np.zeros(len(country), dtype=np.int64)
    for c in range(5):
        m = country == c
        names = list(_DOMAIN_P[c])
        out[m] = np.array([_DOM[d] for d in names])[_pick(rng, int(m.sum()), list(_DOMAIN_P[c].values()))]
    return out


def _pick_types(rng: np.random.Generator, groups: np.ndarray, cand: dict[int, np.ndarray]) -> np.ndarray:
    out = np.full(len(groups), -1, dtype=np.int64)
    u = rng.random(len(groups))
    for g, types in cand.items():
        if len(types):
            m = groups == g
            out[m] = types[(u[m] * len(types)).astype(np.int64)]
    return out


def _nsn(rng: np.random.Generator, pt: PhoneTypes, types: np.ndarray) -> np.ndarray:
    ok = types >= 0
    t = np.where(ok, types, 0)
    sub = pt.sub_len[t]
    rand = (rng.random(len(t)) * 10.0**sub).astype(np.int64)
    nsn = pt.prefix[t] * 10**sub + rand
    us = ok & (pt.country[t] == US)  # keep exchanges off N11 / 555
    exch = (nsn // 10**7) % 1000
    bad = us & ((exch % 100 == 11) | (exch == 555))
    nsn = np.where(bad, nsn + 10**7 * 2, nsn)
    return np.where(ok, nsn, -1)


def addresses(ppl: People) -> pa.Array:
    """Every e-mail address the people hold (first, after a change, alternative)."""
    return _cat(ppl.users, "@", _take(DOMAIN_V, ppl.doms))


def _build_people(seed: int, n: int, voc: Vocab, taken_addresses: pa.Array | None = None) -> People:
    """`taken_addresses`: those of the people of earlier parts, which no one here may hold."""
    rng = _rng(seed, "people")
    country = _pick(rng, n, COUNTRY_P)
    gender = rng.integers(0, 2, n)
    acq = T_START + ((WORLD_END - T_START) * rng.random(n) ** 0.8).astype(np.int64)
    legacy = rng.random(n) < 0.25  # customers from before 2023: their records predate the time line
    acq = np.where(legacy, LEGACY_START + (rng.random(n) * (T_START - LEGACY_START)).astype(np.int64), acq)
    # households: couples share an address, usually a surname, sometimes an e-mail
    m = int(n * 0.03)
    perm = rng.permutation(n)
    heads, partners = perm[:m], perm[m:2 * m]
    country[partners] = country[heads]
    gender[partners] = np.where(rng.random(m) < 0.9, 1 - gender[heads], gender[heads])
    partner = np.full(n, -1, dtype=np.int64)
    partner[heads], partner[partners] = partners, heads

    u = rng.random(n)
    pool = np.select([country == IE, country == DE, country == FR],
                     [np.where(u < 0.35, 1, 0), np.where(u < 0.92, 2, 0), np.where(u < 0.92, 3, 0)],
                     np.where((country == GB) & (u < 0.03), 1, 0))
    first = np.zeros(n, dtype=np.int64)
    middle = np.zeros(n, dtype=np.int64)
    for pi, pname in enumerate(("en", "ie", "de", "fr")):
        for g in (0, 1):
            mask = (pool == pi) & (gender == g)
            cand = voc.first_pool[(pname, g)]
            first[mask] = cand[_pick(rng, int(mask.sum()), _zipf(len(cand), 0.8, 3))]
            middle[mask] = cand[_pick(rng, int(mask.sum()), _zipf(len(cand), 0.8, 3))]
    middle = np.where((rng.random(n) < 0.25) & (middle != first), middle, -1)
    u = rng.random(n)
    lpool = np.select([country == IE, country == US, country == DE, country == FR],
                      [np.where(u < 0.7, 2, 0), np.where(u < 0.25, 1, 0), np.full(n, 3), np.full(n, 4)],
                      np.where(u < 0.05, 2, 0))
    last = np.zeros(n, dtype=np.int64)
    for pi, pname in enumerate(("en", "us", "ie", "de", "fr")):
        mask = lpool == pi
        cand = voc.last_pool[pname]
        last[mask] = cand[_pick(rng, int(mask.sum()), _zipf(len(cand), 1.0, 3))]
    last[partners] = np.where(rng.random(m) < 0.8, last[heads], last[partners])
    age = np.clip(18 + rng.gamma(3.0, 7.0, n), 18, 92)
    dob = ((acq - age * YEAR) // DAY).astype(np.int64)

    # addresses, moves (partners live with their head of household)
    src = np.arange(n)
    src[partners] = heads
    a1 = _gen_address(rng, country, voc)
    keep = np.where(rng.random(n) < 0.6, a1.city, -1)
    a2 = _gen_address(rng, country, voc, keep_city=keep)
    moved = rng.random(n) < 0.15
    move_t = np.where(moved, acq + (rng.random(n) * (WORLD_END + 1.5 * YEAR - acq)).astype(np.int64), NEVER)
    a1, a2, move_t = _take_addr(a1, src), _take_addr(a2, src), move_t[src]

    # e-mails: v1, v2 (after a change), alternative (second/work address)
    year = _civil(dob)[0]
    u1, d1 = _usernames(rng, voc, first, last, year), _domains(rng, country)
    u2, d2 = _usernames(rng, voc, first, last, year), _domains(rng, country)
    d2 = np.where(rng.random(n) < 0.4, d1, d2)
    u3, d3 = _usernames(rng, voc, first, last, year), _domains(rng, country)
    work = rng.random(n) < 0.2
    d3 = np.where(work, len(EMAIL_DOMAINS) + rng.integers(0, len(WORK_DOMAINS), n), d3)
    u3 = _where(work, _cat(_take(voc.first.ascii_lower, first), ".", _take(voc.last.ascii_lower, last)), u3)
    shared = np.zeros(n, dtype=bool)
    shared[heads] = rng.random(m) < 0.5
    ll = _take(voc.last.ascii_lower, last)
    fam = [_cat("the", ll, "s"), _cat(ll, "family"), _cat(ll, ".family"), _cat(ll, "home"),
           _cat(_take(voc.first.ascii_lower, first), "and", _take(voc.first.ascii_lower, first[partner.clip(0)]))]
    fam_pick = rng.integers(0, len(fam), n)
    u1 = _where(shared, _take(pa.concat_arrays(fam), fam_pick * n + np.arange(n)), u1)
    users = _dedupe_users(rng, pa.concat_arrays([u1, u2, u3]), np.concatenate([d1, d2, d3]), taken_addresses)
    doms = np.concatenate([d1, d2, d3])
    share_src = np.arange(3 * n)
    sp = partners[shared[heads]]
    share_src[sp] = partner[sp]
    users, doms = _take(users, share_src), doms[share_src]
    changed = rng.random(n) < 0.12
    email_t = np.where(changed, acq + 90 * DAY + (rng.random(n) * (WORLD_END + 2 * YEAR - acq)).astype(np.int64),
                       NEVER)

    pt = voc.phone_types
    mob_group = np.where(country == US, 100 + a1.city, country)
    cand = {c: pt.mobile_by_country[c] for c in range(5)}
    cand.update({100 + ci: t for ci, t in pt.mobile_by_city.items() if len(t)})
    mob_type = np.where(rng.random(n) < 0.95, _pick_types(rng, mob_group, cand), -1)
    land_type = np.where(rng.random(n) < 0.35, _pick_types(rng, a1.city, pt.landline_by_city), -1)
    mob_nsn, land_nsn = _nsn(rng, pt, mob_type), _nsn(rng, pt, land_type)

    catw = rng.dirichlet(np.array(_CATEGORY_P) * 3.0, n)
    dev_n = 1 + rng.binomial(2, 0.3, n)
    dev_person = np.repeat(np.arange(n), dev_n)
    nd = len(dev_person)
    p_app = rng.beta(1.2, 2.2, n)
    is_app = rng.random(nd) < p_app[dev_person]
    platform = np.where(is_app, np.where(rng.random(nd) < 0.55, 1, 2), 0)
    dtype_ = np.where(is_app, np.where(rng.random(nd) < 0.9, 1, 2), _pick(rng, nd, [0.5, 0.4, 0.1]))
    ua_key = np.array([p * 3 + t for p, t, _ in UA_STRINGS])
    ua_u = rng.random(nd)
    dev_ua = np.zeros(nd, dtype=np.int64)
    for key in np.unique(ua_key):
        cands = np.flatnonzero(ua_key == key)
        msk = platform * 3 + dtype_ == key
        dev_ua[msk] = cands[(ua_u[msk] * len(cands)).astype(np.int64)]
    return People(
        n=n, country=country, gender=gender, first=first, middle=middle, last=last, dob=dob, acq=acq,
        addr=[a1, a2], move_t=move_t, users=users, doms=doms, email_t=email_t, mob_type=mob_type,
        mob_nsn=mob_nsn, land_type=land_type, land_nsn=land_nsn, partner=partner,
        lam=rng.gamma(0.9, 2.4 / 0.9, n), pdrop=rng.beta(2.0, 9.0, n), spend=rng.gamma(5.0, 0.2, n),
        p_app=p_app, cat_cum=np.cumsum(catw, axis=1).astype(np.float32),
        eng_open=rng.beta(1.6, 3.5, n), eng_click=rng.beta(1.3, 6.0, n),
        card4=rng.integers(0, 10000, (n, 2)), card_brand=_pick(rng, 2 * n, [.55, .35, .10]).reshape(n, 2),
        dev_start=_group_starts(dev_n), dev_n=dev_n, dev_person=dev_person, dev_platform=platform,
        dev_type=dtype_, dev_ua=dev_ua)
