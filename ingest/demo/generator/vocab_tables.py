"""Vocabulary tables, built once from the word lists and independent of the seed: every first
and last name with its nicknames, ASCII fold and plausible typos, street and city spelling
variants, and the phone number ranges per country and city that phonenumbers accepts.
``_build_vocab`` returns them as one cached ``Vocab``.
"""

from __future__ import annotations

import functools
import random
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import phonenumbers
import pyarrow as pa

from ingest.demo.generator.arrays import _vocab
from ingest.demo.generator.vocabulary import (
    _CC,
    _CITY_ROWS,
    _DE_F,
    _DE_LAST,
    _DE_M,
    _DE_STREETS,
    _EN_F,
    _EN_LAST,
    _EN_M,
    _FR_ABBR,
    _FR_F,
    _FR_LAST,
    _FR_M,
    _FR_STREETS,
    _GB_STREET_BASE,
    _GB_TYPES,
    _IE_F,
    _IE_LAST,
    _IE_M,
    _IE_STREET_BASE,
    _IE_TYPES,
    _MOBILE_SPECS,
    _US_LAST,
    _US_STREET_BASE,
    _US_TYPES,
    DE,
    FR,
    GB,
    IE,
    NICKNAMES,
    US,
    US_STATE_NAMES,
)

_FOLD1 = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_FOLD2 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss", "é": "e",
                        "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "î": "i", "ï": "i", "ô": "o",
                        "û": "u", "ù": "u", "ç": "c", "á": "a", "í": "i", "ó": "o", "ú": "u", "É": "E",
                        "Á": "A", "Ó": "O", "Í": "I", "Ú": "U", "Œ": "Oe", "œ": "oe"})
_KEY_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm",
                           ["wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol", "qsz", "awdx", "sefc",
                            "drgv", "fthb", "gyjn", "hukm", "jilm", "kop", "asx", "zsdc", "xdfv", "cfgb", "vghn",
                            "bhjm", "njk"], strict=True))


def _ascii(s: str) -> str:
    return s.translate(_FOLD1).translate(_FOLD2)


def _username_part(s: str) -> str:
    return "".join(ch for ch in _ascii(s).lower() if ch.isalnum())


def _typos(s: str, k: int = 3) -> list[str]:
    """k plausible one-edit typos (transposition, deletion, doubling, neighbour key)."""
    r = random.Random(zlib.crc32(s.encode()))
    out: list[str] = []
    for _ in range(40):
        if len(out) == k:
            break
        if len(s) < 3:
            t = s + s[-1]
        else:
            i = r.randrange(1, len(s) - 1)
            op = r.randrange(4)
            if op == 0:
                t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
            elif op == 1:
                t = s[:i] + s[i + 1:]
            elif op == 2:
                t = s[:i] + s[i] + s[i:]
            else:
                c = s[i].lower()
                nb = _KEY_NEIGHBOURS.get(c)
                if not nb:
                    continue
                t = s[:i] + r.choice(nb) + s[i + 1:]
        if t != s and t not in out and t.strip() and " " not in t.strip()[-1:]:
            out.append(t)
    while len(out) < k:
        out.append(s + s[-1] * (len(out) + 1))
    return out


@dataclass
class VariantTable:
    """Strings with per-entry variants: canonical, nicknames, ascii fold, typos."""

    strings: pa.Array
    canon: np.ndarray
    nick_start: np.ndarray
    nick_n: np.ndarray
    fold: np.ndarray
    typo_start: np.ndarray
    ascii_lower: pa.Array  # for usernames
    names: list[str]


def _variant_table(names: list[str], nick: dict[str, list[str]] | None = None) -> VariantTable:
    strings: list[str] = []
    canon, ns, nn, fold, ts = [], [], [], [], []
    for s in names:
        canon.append(len(strings))
        strings.append(s)
        nicks = (nick or {}).get(s, [])
        ns.append(len(strings))
        nn.append(len(nicks))
        strings.extend(nicks)
        a = s.translate(_FOLD2) if s.translate(_FOLD2) != s else s
        if a != s:
            fold.append(len(strings))
            strings.append(a)
        else:
            fold.append(canon[-1])
        ts.append(len(strings))
        strings.extend(_typos(s))
    return VariantTable(_vocab(strings), np.array(canon), np.array(ns), np.array(nn), np.array(fold),
                        np.array(ts), _vocab([_username_part(s) for s in names]), names)


@dataclass
class Vocab:
    first: VariantTable
    first_gender: np.ndarray
    first_pool: dict[tuple[str, int], np.ndarray]  # (pool, gender) -> candidate indices (by popularity)
    nick_user: pa.Array  # first-name nickname (or name) for usernames
    last: VariantTable
    last_pool: dict[str, np.ndarray]
    street: pa.Array  # 5 variants per street: canonical, abbreviated, ascii, typo, typo
    street_country: np.ndarray
    street_by_country: dict[int, np.ndarray]
    city_country: np.ndarray
    city_p: dict[int, tuple[np.ndarray, np.ndarray]]
    city: pa.Array  # 4 variants per city: canonical, alt, upper, typo
    city_state: pa.Array
    city_state_full: pa.Array
    city_specs: list[Any]
    phone_types: PhoneTypes


@dataclass
class PhoneTypes:
    country: np.ndarray
    prefix: np.ndarray  # int64
    sub_len: np.ndarray
    nsn_len: np.ndarray
    layout: np.ndarray  # index into layouts
    layouts: list[tuple[int, tuple[int, ...]]]  # (country, groups)
    mobile_by_country: dict[int, np.ndarray]
    mobile_by_city: dict[int, np.ndarray]  # US: mobiles share the city's area codes
    landline_by_city: dict[int, np.ndarray]


def _valid_prefixes(country: int, prefix: str, sub_len: int, r: random.Random, tries: int) -> list[tuple[str, int]]:
    """The parts of a number range that phonenumbers accepts: each next digit is sampled `tries`
    times and a range with invalid parts (e.g. French 0262 is Reunion) is split into its valid parts."""
    cc = int(_CC[country])
    out: list[tuple[str, int]] = []
    for d in "0123456789":
        ok = True
        for _ in range(tries):
            rest = "".join(str(r.randrange(10)) for _ in range(sub_len - 1))
            if country == US:  # no N11 or 555 exchanges
                rest = ("2" + rest[1:]) if (prefix + d + rest)[4:6] == "11" else rest
            num = phonenumbers.PhoneNumber(country_code=cc, national_number=int(prefix + d + rest))
            ok = ok and phonenumbers.is_valid_number(num)
        if ok:
            out.append((prefix + d, sub_len - 1))
    return [(prefix, sub_len)] if len(out) == 10 else out


def _build_phone_types(city_rows: list[Any]) -> PhoneTypes:
    """Number ranges per country/city, kept only where phonenumbers says they are valid."""
    r = random.Random(20240601)
    rows: list[tuple[int, str, int, tuple[int, ...], int, int]] = []  # country, prefix, sub, groups, kind, city

    def add(country: int, prefix: str, sub: int, groups: tuple[int, ...], kind: int, city: int) -> bool:
        valid = _valid_prefixes(country, prefix, sub, r, 2 if kind == 0 else 6) if sub > 1 else []
        rows.extend((country, p, s, groups, kind, city) for p, s in valid)
        return bool(valid)

    for c, specs in _MOBILE_SPECS.items():
        for prefix, sub, groups in specs:
            if c == GB:  # UK mobile ranges are allocated per 7xxx block
                for d in range(100):
                    add(c, f"{prefix}{d:02d}", sub - 2, groups, 0, -1)
            else:
                add(c, prefix, sub, groups, 0, -1)
    for ci, (c, _name, _w, _st, _spec, areas, _alt) in enumerate(city_rows):
        for area in areas:
            for d in "2345678":
                ie_len = (8,) if area in ("1", "91", "61", "51") else (9,)
                for nsn_len in {GB: (10,), IE: ie_len, US: (10,), DE: (10, 11), FR: (9,)}[c]:
                    if c == GB:
                        groups: tuple[int, ...] = {2: (2, 4, 4), 3: (3, 3, 4), 4: (4, 6)}[len(area)]
                    elif c == IE:
                        groups = (len(area), 3, nsn_len - len(area) - 3)
                    elif c == US:
                        groups = (3, 3, 4)
                    elif c == DE:
                        groups = (len(area), nsn_len - len(area))
                    else:
                        groups = (1, 2, 2, 2, 2)
                    sub = nsn_len - len(area) - 1
                    ok = add(c, area + d, sub, groups, 1, ci)
                    if c == US:  # US mobiles live in the same geographic area codes
                        add(c, area + d, sub, groups, 0, ci)
                    if ok:
                        break
    layouts: list[tuple[int, tuple[int, ...]]] = []
    lay_idx = []
    for c, _prefix, _sub, groups, _k, _ci in rows:
        if (c, groups) not in layouts:
            layouts.append((c, groups))
        lay_idx.append(layouts.index((c, groups)))
    country = np.array([x[0] for x in rows])
    kind = np.array([x[4] for x in rows])
    city = np.array([x[5] for x in rows])
    return PhoneTypes(
        country=country, prefix=np.array([int(x[1]) for x in rows], dtype=np.int64),
        sub_len=np.array([x[2] for x in rows]), nsn_len=np.array([len(x[1]) + x[2] for x in rows]),
        layout=np.array(lay_idx), layouts=layouts,
        mobile_by_country={c: np.flatnonzero((country == c) & (kind == 0) & (city < 0)) for c in range(5)},
        mobile_by_city={ci: np.flatnonzero((city == ci) & (kind == 0)) for ci in range(len(city_rows))},
        landline_by_city={ci: np.flatnonzero((city == ci) & (kind == 1)) for ci in range(len(city_rows))})


@functools.lru_cache(maxsize=1)
def _build_vocab() -> Vocab:
    first_entries: list[tuple[str, int, str]] = []
    for pool, fem, mal in (("en", _EN_F, _EN_M), ("ie", _IE_F, _IE_M), ("de", _DE_F, _DE_M), ("fr", _FR_F, _FR_M)):
        seen: set[tuple[str, int]] = set()
        for g, lst in ((0, fem), (1, mal)):
            for s in lst:
                if (s, g) not in seen:
                    seen.add((s, g))
                    first_entries.append((s, g, pool))
    first_names = [e[0] for e in first_entries]
    first = _variant_table(first_names, NICKNAMES)
    first_gender = np.array([e[1] for e in first_entries])
    first_pool = {}
    for pool in ("en", "ie", "de", "fr"):
        for g in (0, 1):
            first_pool[(pool, g)] = np.array([i for i, e in enumerate(first_entries) if e[2] == pool and e[1] == g])
    nick_user = _vocab([_username_part((NICKNAMES.get(s) or [s])[0]) for s in first_names])

    last_names: list[str] = []
    last_pool: dict[str, np.ndarray] = {}
    for pool, lst in (("en", _EN_LAST), ("us", _US_LAST), ("ie", _IE_LAST), ("de", _DE_LAST), ("fr", _FR_LAST)):
        idx = []
        for s in dict.fromkeys(lst):
            if s not in last_names:
                last_names.append(s)
            idx.append(last_names.index(s))
        last_pool[pool] = np.array(idx)
    last = _variant_table(last_names)

    streets: list[str] = []
    street_country: list[int] = []

    def add_street(c: int, full: str, abbr: str, base: str) -> None:
        t = _typos(base, 2)
        streets.extend([full, abbr, _ascii(full), full.replace(base, t[0]), full.replace(base, t[1])])
        street_country.append(c)

    for c, bases, types in ((GB, _GB_STREET_BASE, _GB_TYPES), (IE, _IE_STREET_BASE, _IE_TYPES),
                            (US, _US_STREET_BASE, _US_TYPES)):
        for b in bases:
            for full_t, abbr_t in types:
                add_street(c, f"{b} {full_t}", f"{b} {abbr_t}", b)
    for s in _DE_STREETS:
        abbr = s.replace("straße", "str.").replace("Straße", "Str.")
        add_street(DE, s, abbr, s.split()[0] if " " in s else s)
    for s in _FR_STREETS:
        abbr = s
        for a, b in _FR_ABBR:
            if s.startswith(a):
                abbr = b + s[len(a):]
                break
        add_street(FR, s, abbr, s.split()[-1])
    street_country_a = np.array(street_country)

    cities: list[str] = []
    for _c, name, _w, _st, _spec, _areas, alt in _CITY_ROWS:
        alt_name = alt[0] if alt else name
        cities.extend([name, alt_name, name.upper(), _typos(name, 1)[0]])
    city_country = np.array([r[0] for r in _CITY_ROWS])
    city_p = {}
    for c in range(5):
        idx = np.flatnonzero(city_country == c)
        w = np.array([_CITY_ROWS[i][2] for i in idx], dtype=float)
        city_p[c] = (idx, w / w.sum())
    return Vocab(
        first=first, first_gender=first_gender, first_pool=first_pool, nick_user=nick_user, last=last,
        last_pool=last_pool, street=_vocab(streets), street_country=street_country_a,
        street_by_country={c: np.flatnonzero(street_country_a == c) for c in range(5)},
        city_country=city_country, city_p=city_p, city=_vocab(cities),
        city_state=_vocab([r[3] for r in _CITY_ROWS]),
        city_state_full=_vocab([US_STATE_NAMES.get(r[3] or "") for r in _CITY_ROWS]),
        city_specs=[r[4] for r in _CITY_ROWS], phone_types=_build_phone_types(_CITY_ROWS))
