"""Rendering a person as one system would have typed them in (the mess): per-system rates of
nicknames, typos, ASCII folding, swapped or missing names, odd casing, e-mail variants and
invalid addresses, phone formats and junk numbers, street abbreviations and postcode spellings.
The codes are drawn per record from a stream named after the system, so a record keeps its
spelling whenever it is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.demo.generator.arrays import NULL, _cat, _digits, _int_str, _rng, _sa, _scatter, _take, _vocab, _where
from ingest.demo.generator.people import DOMAIN_V, GMAIL, GOOGLEMAIL
from ingest.demo.generator.vocab_tables import Vocab
from ingest.demo.generator.vocabulary import _CC, DE, GB, IE, JUNK_PHONES, PHONE_FORMATS, PLUS_TAGS, US

if TYPE_CHECKING:
    from ingest.demo.generator.world import World


@dataclass(frozen=True)
class Mess:
    nick: float = 0.07
    typo_first: float = 0.012
    typo_last: float = 0.012
    fold: float = 0.25
    swap: float = 0.004
    miss_first: float = 0.008
    miss_last: float = 0.004
    upper: float = 0.02
    lower: float = 0.02
    odd: float = 0.003
    ws: float = 0.02
    plus: float = 0.0
    gdots: float = 0.05
    gmail_swap: float = 0.03
    email_case: float = 0.03
    email_ws: float = 0.01
    invalid: float = 0.01
    email_missing: float = 0.03
    phone_missing: float = 0.2
    mobile_missing: float = 0.3
    landline_pref: float = 0.7
    phone_junk: float = 0.003
    phone_fmt: tuple[float, ...] = (.15, .20, .30, .12, .03, .05, .05, .02, .04, .02, .02)
    abbr: float = 0.12
    street_typo: float = 0.012
    merge_line2: float = 0.0
    city_var: float = 0.03
    pc_nospace: float = 0.05
    pc_lower: float = 0.02


MESS = {
    "crm_a": Mess(miss_last=0.0, email_missing=0.05, phone_missing=0.15, mobile_missing=0.3, merge_line2=0.5),
    "crm_b": Mess(nick=0.08, typo_first=0.02, typo_last=0.02, swap=0.02, upper=0.03, lower=0.02, ws=0.02,
                  email_missing=0.08, invalid=0.015, phone_missing=0.25, mobile_missing=0.35,
                  phone_fmt=(.02, .10, .30, .20, .10, .03, .10, .05, .06, .02, .02), abbr=0.12,
                  street_typo=0.02, city_var=0.04, pc_nospace=0.06),
    "shop": Mess(nick=0.06, fold=0.3, miss_first=0.0, miss_last=0.0, plus=0.05, invalid=0.003,
                 email_missing=0.0, phone_missing=0.2, mobile_missing=1.0, landline_pref=0.2,
                 phone_fmt=(.45, .05, .10, .25, .0, .0, .0, .0, .0, .15, .0), abbr=0.08, city_var=0.02),
    "subscribers": Mess(nick=0.05, miss_first=0.12, miss_last=0.2, plus=0.05, invalid=0.004, email_missing=0.0,
                        abbr=0.0, city_var=0.0, pc_nospace=0.0, pc_lower=0.0, street_typo=0.0),
    "payments": Mess(nick=0.05, fold=0.9, upper=0.2, lower=0.01, ws=0.01, gdots=0.03, plus=0.02,
                     email_missing=0.02, phone_missing=0.3, mobile_missing=1.0, landline_pref=0.1,
                     phone_fmt=(.80, .0, .0, .20, .0, .0, .0, .0, .0, .0, .0), abbr=0.0, city_var=0.0,
                     street_typo=0.0),
    "tickets": Mess(nick=0.12, miss_last=0.1, lower=0.05, email_missing=0.1, invalid=0.01, phone_missing=0.6,
                    mobile_missing=1.0, landline_pref=0.3, abbr=0.0, city_var=0.0, pc_nospace=0.0, pc_lower=0.0,
                    street_typo=0.0, phone_fmt=(.05, .20, .35, .20, .05, .02, .05, .03, .03, .01, .01)),
}


def _render_phones(voc: Vocab, types: np.ndarray, nsn: np.ndarray, fmt: np.ndarray) -> pa.Array:
    """Render national numbers in one of PHONE_FORMATS each; null where nsn < 0."""
    pt = voc.phone_types
    n = len(nsn)
    ok = nsn >= 0
    lay = np.where(ok, pt.layout[np.where(ok, types, 0)], -1)
    parts: list[tuple[np.ndarray, pa.Array]] = [(np.flatnonzero(~ok), pa.nulls(int((~ok).sum()), pa.string()))]
    for li, (c, groups) in enumerate(pt.layouts):
        for f in range(len(PHONE_FORMATS)):
            rows = np.flatnonzero((lay == li) & (fmt == f))
            if not len(rows):
                continue
            mat = _digits(nsn[rows], sum(groups))
            g, pos = [], 0
            for width in groups:
                g.append(_sa(mat[:, pos:pos + width]))
                pos += width
            parts.append((rows, _phone_format(PHONE_FORMATS[f], c, g, _sa(mat))))
    return _scatter(n, parts)


def _phone_format(name: str, c: int, g: list[pa.Array], full: pa.Array) -> pa.Array:
    """One PHONE_FORMATS rendering from the number's digit groups `g` (full = all digits)."""

    def sp(sep: str, gs: list[pa.Array] = g) -> pa.Array:
        return pc.binary_join_element_wise(*gs, sep)

    if c == US:
        us_nat = _cat("(", g[0], ") ", g[1], "-", g[2])
        us = {"e164": ("+1", full), "intl_sp": ("+1 ", sp("-")), "nat_sp": (us_nat, ""), "nat_compact": (full, ""),
              "intl_00": ("+1-", sp("-")), "intl_p0": ("+1 ", us_nat), "dashed": (sp("-"), ""),
              "dotted": (sp("."), ""), "parens": ("1-", sp("-")), "nsn_only": ("1", full), "cc_sp": ("1 ", sp(" "))}
        return _cat(*us[name])
    cc, trunk = _CC[c], "0"
    rendered = {
        "e164": lambda: _cat("+" + cc, full), "intl_sp": lambda: _cat("+" + cc + " ", sp(" ")),
        "nat_sp": lambda: _cat(trunk, sp(" ")), "nat_compact": lambda: _cat(trunk, full),
        "intl_00": lambda: _cat("00" + cc, full), "intl_p0": lambda: _cat("+" + cc + " (0)", sp(" ")),
        "dashed": lambda: _cat(trunk, sp("-")), "dotted": lambda: _cat(trunk, sp(".")),
        "parens": lambda: _cat("(" + trunk, g[0], ") ", sp(" ", g[1:]) if len(g) > 2 else g[1]),
        "nsn_only": lambda: full, "cc_sp": lambda: _cat(cc + " ", sp(" ")),
    }
    return rendered[name]()


def _e164(voc: Vocab, types: np.ndarray, nsn: np.ndarray) -> pa.Array:
    return _render_phones(voc, types, nsn, np.zeros(len(nsn), dtype=np.int64))


def _render_codes(seed: int, key: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = _rng(seed, "render", key)
    return rng.random((n, 28), dtype=np.float32), rng.integers(0, 1 << 30, (n, 3))


def _render(w: World, key: str, person: np.ndarray, v2addr: np.ndarray, v2email: np.ndarray,
            email_alt: np.ndarray, rows: np.ndarray | None = None, full: bool = True) -> dict[str, Any]:
    """How system `key` holds these people. Codes are drawn per record from a stream named
    after `key`, so rendering the same records at another date keeps their spelling."""
    ppl, voc, mess = w.people, w.vocab, MESS[key if key in MESS else key.split(":")[0]]
    n_all = len(person)
    uni, ri = _render_codes(w.seed, key, n_all)
    if rows is not None:
        person, v2addr, v2email, email_alt, uni, ri = (person[rows], v2addr[rows], v2email[rows], email_alt[rows],
                                                    uni[rows], ri[rows])
    n = len(person)
    p = person.clip(0)
    country = ppl.country[p]

    # names
    fnames, lnames = voc.first, voc.last
    fi, li = ppl.first[p], ppl.last[p]
    nick = (uni[:, 0] < mess.nick) & (fnames.nick_n[fi] > 0)
    fidx = np.where(nick, fnames.nick_start[fi] + (uni[:, 1] * fnames.nick_n[fi]).astype(np.int64), fnames.canon[fi])
    tf = (uni[:, 2] < mess.typo_first) & ~nick
    tl = uni[:, 3] < mess.typo_last
    typo_k = (uni[:, 4] * 3).astype(np.int64)
    fidx = np.where(tf, fnames.typo_start[fi] + typo_k, fidx)
    lidx = np.where(tl, lnames.typo_start[li] + typo_k, lnames.canon[li])
    fold = uni[:, 5] < mess.fold
    fidx = np.where(fold & ~nick & ~tf, fnames.fold[fi], fidx)
    lidx = np.where(fold & ~tl, lnames.fold[li], lidx)
    folded = fold & ((fnames.fold[fi] != fnames.canon[fi]) | (lnames.fold[li] != lnames.canon[li]))
    first, last = _take(fnames.strings, fidx), _take(lnames.strings, lidx)
    swap = uni[:, 6] < mess.swap
    first, last = _where(swap, last, first), _where(swap, first, last)
    miss_f, miss_l = uni[:, 7] < mess.miss_first, uni[:, 8] < mess.miss_last
    first, last = _where(miss_f, NULL, first), _where(miss_l, NULL, last)
    c9 = uni[:, 9]
    up, lo = c9 < mess.upper, (c9 >= mess.upper) & (c9 < mess.upper + mess.lower)
    odd = (c9 >= mess.upper + mess.lower) & (c9 < mess.upper + mess.lower + mess.odd)
    for_case = [(up, pc.utf8_upper), (lo, pc.utf8_lower), (odd, pc.utf8_swapcase)]
    for msk, fn in for_case:
        if msk.any():
            first, last = _where(msk, fn(first), first), _where(msk, fn(last), last)
    ws = uni[:, 10] < mess.ws
    first = _where(ws & (ri[:, 0] % 2 == 0), _cat(" ", first), first)
    last = _where(ws & (ri[:, 0] % 2 == 1), _cat(last, "  "), last)

    # e-mail
    kind = np.where(email_alt, 2, np.where(v2email, 1, 0))
    src = kind * ppl.n + p
    user, dom = _take(ppl.users, src), ppl.doms[src]
    is_g = (dom == GMAIL) | (dom == GOOGLEMAIL)
    plus = uni[:, 11] < mess.plus
    user = _where(plus, _cat(user, "+", _take(_vocab(PLUS_TAGS), ri[:, 1] % len(PLUS_TAGS))), user)
    gd = is_g & (uni[:, 12] < mess.gdots)
    has_dot = pc.match_substring(user, ".").to_numpy(zero_copy_only=False)
    dotted = _cat(pc.utf8_slice_codeunits(user, 0, 1), ".", pc.utf8_slice_codeunits(user, 1))
    user = _where(gd, _where(has_dot, pc.replace_substring(user, ".", ""), dotted), user)
    gs = is_g & (uni[:, 13] < mess.gmail_swap)
    dom = np.where(gs, np.where(dom == GMAIL, GOOGLEMAIL, GMAIL), dom)
    dom_s = _take(DOMAIN_V, dom)
    email = _cat(user, "@", dom_s)
    ecase = uni[:, 14] < mess.email_case
    email = _where(ecase, _where(ri[:, 2] % 2 == 0, pc.utf8_capitalize(email), pc.utf8_upper(email)), email)
    ews = uni[:, 14] > 1 - mess.email_ws
    email = _where(ews, _cat(email, " "), email)
    invalid = uni[:, 15] < mess.invalid
    if invalid.any():
        fl, ll = _take(fnames.ascii_lower, fi), _take(lnames.ascii_lower, li)
        bad = [_cat(user, "@"), _cat(fl, " ", ll, "@", dom_s), pa.array(["n/a"] * n),
               _cat(user, "@", pc.replace_substring(dom_s, ".", "")), _cat(user, "@@", dom_s)]
        email = _where(invalid, _take(pa.concat_arrays(bad), (ri[:, 1] % 5) * n + np.arange(n)), email)
    email = _where(uni[:, 16] < mess.email_missing, NULL, email)
    if not full:
        return {"email": email}

    # phones
    has_land = ppl.land_nsn[p] >= 0
    use_land = has_land & (uni[:, 17] < mess.landline_pref)
    ptype = np.where(use_land, ppl.land_type[p], ppl.mob_type[p])
    pnsn = np.where(use_land, ppl.land_nsn[p], ppl.mob_nsn[p])
    cum = np.cumsum(mess.phone_fmt) / sum(mess.phone_fmt)
    fmt1 = np.searchsorted(cum, uni[:, 18], side="right").clip(0, len(cum) - 1)
    fmt2 = np.searchsorted(cum, uni[:, 19], side="right").clip(0, len(cum) - 1)
    pnsn = np.where(uni[:, 20] < mess.phone_missing, -1, pnsn)
    mnsn = np.where(uni[:, 21] < mess.mobile_missing, -1, ppl.mob_nsn[p])
    phone = _render_phones(voc, ptype, pnsn, fmt1)
    mobile = _render_phones(voc, ppl.mob_type[p], mnsn, fmt2)
    junk = (uni[:, 22] < mess.phone_junk) & (pnsn >= 0)
    phone = _where(junk, _take(_vocab(JUNK_PHONES), ri[:, 2] % len(JUNK_PHONES)), phone)

    # address at the version this record holds
    addrs = ppl.addr
    v2 = v2addr
    city = np.where(v2, addrs[1].city[p], addrs[0].city[p])
    street = np.where(v2, addrs[1].street[p], addrs[0].street[p])
    house = np.where(v2, addrs[1].house[p], addrs[0].house[p])
    line2n = np.where(v2, addrs[1].line2[p], addrs[0].line2[p])
    postcode = _take(pa.concat_arrays([addrs[0].postcode, addrs[1].postcode]), v2 * ppl.n + p)
    abbr = uni[:, 23] < mess.abbr
    styp = uni[:, 24] < mess.street_typo
    svar = np.where(styp, 3 + ri[:, 0] % 2, np.where(abbr, 1, np.where(fold, 2, 0)))
    street_s = _take(voc.street, street * 5 + svar)
    house_s = _int_str(house)
    line1 = _where(country == DE, _cat(street_s, " ", house_s), _cat(house_s, " ", street_s))
    line2 = _where(line2n > 0, _cat(_take(_vocab(["Flat ", "Apt ", "Apt ", "Whg. ", "Appt "]), country),
                                    _int_str(line2n)), NULL)
    merge = (uni[:, 25] < mess.merge_line2) & (line2n > 0)
    line1 = _where(merge, _cat(line2, ", ", line1), line1)
    line2 = _where(merge, NULL, line2)
    cvar = np.where(uni[:, 26] < mess.city_var, 1 + ri[:, 1] % 3, 0)
    city_s = _take(voc.city, city * 4 + cvar)
    pcs = uni[:, 27]
    nospace = pcs < mess.pc_nospace
    pclow = (pcs >= mess.pc_nospace) & (pcs < mess.pc_nospace + mess.pc_lower)
    postcode = _where(nospace, pc.replace_substring(postcode, " ", ""), postcode)
    postcode = _where(pclow, pc.utf8_lower(postcode), postcode)
    varied = (nick | tf | tl | folded | swap | miss_f | miss_l | up | lo | odd | ws | plus | gd | gs | ecase | ews
              | invalid | abbr | styp | (cvar > 0) | ((nospace | pclow) & np.isin(country, [GB, IE])))
    return {"first": first, "last": last, "email": email, "phone": phone, "mobile": mobile, "line1": line1,
            "line2": line2, "city": city_s, "city_idx": city, "postcode": postcode,
            "state": _take(voc.city_state, city), "state_full": _take(voc.city_state_full, city),
            "country": country, "dob": ppl.dob[p], "gender": ppl.gender[p], "middle": ppl.middle[p],
            "person": person, "varied": varied}
