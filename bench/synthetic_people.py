"""Independent synthetic person records with known truth, for benchmarking identity resolution.

Why: the engine must be measured on data it was not designed around. This generator shares no code, vocabulary
or error model with the project's demo data; its error model follows how retail CRM exports actually go wrong
(the record-linkage literature: FEBRL's generator and the geco corruptor, Christen's "Data Matching", and the
usual data-quality audits), and its vocabularies live in `bench/synthetic_vocabulary/` as hand-written lists
(names in rough popularity order, a syllable-built tail of rarer English surnames, streets, towns with their
postcode and dialling patterns, e-mail providers). Phone numbers follow ranges in service (the towns' subscriber
lengths and first digits were checked once against libphonenumber's metadata), so ~99 % of them validate.

Output: `people_1.csv` (and `people_2.csv` with files=2) in CRM-export columns customer_ref, given_name,
family_name, birth_date (ISO), email, phone, street, town, postcode, country; `truth.csv` (file, customer_ref,
person_id) kept apart. Rows are shuffled and customer_ref is numbered after the shuffle, so it leaks nothing.

Population (per person, then per household)
- Country: GB 50 %, US 30 %, IE 6 %, DE 6 %, FR 4 %, AU 4 %; a family origin per household (e.g. GB: English
  80 %, South Asian 8 %, Irish 5 %, ...) picks the name lists; 25 % of people carry a local given name instead.
- Names are drawn Zipf-Mandelbrot by rank (w = 1/(rank+q)): a few very common, a long tail; 45 % of English
  family names come uniformly from a syllable-built tail of 1,800 rarer ones. Namesakes (same given and family
  name, different people) arise naturally (~50 "James Smith" per million records; 21 % of people share their
  name with someone at 100k records, 61 % at 1M) and on purpose: 6 % of sons of a male head of household carry
  his given name ("Jr"), 10 % of households with two children have twins (same birth date, surname, address).
- Households of 1-5 adults (42/34/12/8/4 %): head, partner (80 % of 2+ households; 75 % married, the wife takes
  the family name in 82 %, double-barrels it in 6 %, keeps hers in 12 %), adult children, lodgers. Members share
  the address, the landline (45 % of households, 35 % in the US) and, in 20 % of 2+ households, a family e-mail.
- Ages 18-90 (flat to 60, thinning to 90); households with children have a head aged 40-80.
- 88 % of people have a personal e-mail (70 % over 70), 95 % a mobile (75 % over 75); 30 % have a second
  e-mail, 20 % a second mobile. 30 % of households moved (a previous address shared by the family), 10 % of
  people moved alone (half of all moves stay in the same town, 4 % come from abroad).
- "Office" contacts: one group per 4,000 people (at least 3), each of 20-300 unrelated people of one country who
  give the same work e-mail (60 % of their records) and switchboard number (50 %).
- Records per person: 1-6 with 60/22/9/5/2.5/1.5 % (mean 1.73). With files=2 a person with 2+ records is in
  both files with 55 % probability (first record in people_1, second in people_2, the rest at random), else
  all of their records are in one file; duplicates within a file remain (a link-and-dedupe task).

Error model, per record (probabilities are per record; "15 % clean" records are exact copies of the person's
current values and get none of the errors below, only the person's own gaps)
- Versions (life events, not typos): previous address 40 % when the person has one; maiden or former family
  name 30 % when they have one; second e-mail 25 %, family e-mail 35 %, work e-mail 60 % when they exist;
  second mobile 25 %, household landline 35 % when they exist.
- Given name: nickname 10 % (Robert -> Bob, Elizabeth -> Liz), spelling variant 3 % (Steven/Stephen),
  middle initial appended 2 %, initial only 1 %, accents folded 35 % where present (Jürgen -> Jurgen or
  Juergen), hyphen/apostrophe variants 30 % where present, typo 6 %, missing 6 %.
- Family name: accents folded 35 % and punctuation variants 30 % where present (O'Brien -> OBrien/O Brien,
  Smith-Jones -> Smith Jones/Jones, McDonald -> Mcdonald), typo 6 %, missing 6 %; given and family swapped 1.5 %.
- Typos (names, streets, towns, e-mails): insert 20 % (doubled letter or neighbouring key), delete 25 %,
  neighbouring-key substitution 30 %, transposition 15 %, OCR/phonetic confusion 10 % (rn/m, cl/d, ph/f, c/k,
  ie/ei, ...); the first letter is spared 85 % of the time; 10 % of typos come with a second one.
- Birth date: missing 10 % (people_2: 15 %), day and month swapped 2.5 % (when valid), one digit wrong 3 %,
  year off by one 2 %, only the year known (YYYY-01-01) 0.7 %, placeholder 1900-01-01 0.3 %.
- E-mail: missing 55 % of records (people_2, a web shop: 40 %) on top of people without one; of the missing,
  1.5 % are filled with a junk placeholder (noemail@noemail.com, ...); typo 2 %, upper case 3 %.
- Phone: missing 45 % (people_2: 55 %); of the missing 1 % junk (07000000000, 01234567890, ...); written as
  national grouped 45 %, national compact 25 %, international grouped 12 %, international compact 12 %, other
  (+44 (0)..., 0049 ..., (02) 9876 5432, 212.555.0123) 6 %; one digit wrong or two swapped 2 %.
- Street: abbreviated type 15 % (Road -> Rd, straße -> str.), flat/unit dropped 30 % where present, house
  number dropped 2 %, typo 5 %, missing 7 %.
- Town: alias 10 % where known (München/Munich, Newcastle upon Tyne/Newcastle), typo 3 %, missing 6 %.
- Postcode: missing 7 %, typo 4 % (substitution, transposition, O/0 I/1 S/5 B/8), space dropped 15 % (GB, IE),
  lower case 4 %, leading zero lost 25 % where it has one (US 02134 -> 2134, spreadsheet damage).
- Country: missing 8 % (ISO codes otherwise).
- Case and spacing: whole record upper case 5 %, lower case 1 %; family name alone upper case 4 %; stray
  leading/trailing/double spaces 1.5 % per text field.

Run: `python -m bench.synthetic_people OUT_DIR --records N [--seed S] [--files 1|2]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

VOCABULARY = Path(__file__).with_name("synthetic_vocabulary")
REFERENCE_DATE = np.datetime64("2025-01-01")  # fixed "today", so a seed gives the same ages on any day

COUNTRIES = ("GB", "US", "IE", "DE", "FR", "AU")
COUNTRY_SHARE = (0.50, 0.30, 0.06, 0.06, 0.04, 0.04)
CALLING_CODE = {"GB": "44", "US": "1", "IE": "353", "DE": "49", "FR": "33", "AU": "61"}
ORIGINS = ("en", "ie", "sa", "es", "ea", "de", "fr")
ORIGIN_MIX = {  # family origin of a household, by country
    "GB": (0.80, 0.05, 0.08, 0.01, 0.02, 0.02, 0.02),
    "US": (0.66, 0.05, 0.03, 0.17, 0.06, 0.02, 0.01),
    "IE": (0.30, 0.62, 0.02, 0.01, 0.02, 0.015, 0.015),
    "DE": (0.04, 0.0, 0.02, 0.02, 0.02, 0.88, 0.02),
    "FR": (0.04, 0.0, 0.01, 0.03, 0.02, 0.02, 0.88),
    "AU": (0.76, 0.06, 0.05, 0.01, 0.09, 0.02, 0.01),
}
LOCAL_ORIGIN = {"GB": 0, "US": 0, "IE": 0, "AU": 0, "DE": 5, "FR": 6}
HOUSEHOLD_SIZE = (0.42, 0.34, 0.12, 0.08, 0.04)
RECORDS_PER_PERSON = (0.60, 0.22, 0.09, 0.05, 0.025, 0.015)
HEAD, PARTNER, CHILD, LODGER = 0, 1, 2, 3

# Per-file capture profile: people_1 is a store/loyalty CRM, people_2 a web shop (e-mail asked for more often).
EMAIL_MISSING = (0.55, 0.40)
PHONE_MISSING = (0.45, 0.55)
DOB_MISSING = (0.10, 0.15)

JUNK_EMAILS = ("noemail@noemail.com", "none@none.com", "no@email.com", "na@na.com", "noemail@gmail.com",
               "declined@noemail.com", "test@test.com")
JUNK_PHONES = ("07000000000", "01234567890", "00000000000", "0000000000", "1234567890", "9999999999",
               "01111111111")
OFFICE_LOCALS = ("info", "office", "accounts", "admin", "reception", "enquiries", "sales", "hr")
OFFICE_WORDS = ("logistics", "consulting", "group", "solutions", "partners", "holdings", "engineering",
                "associates", "healthcare", "systems", "legal", "motors")
OFFICE_TLD = {"GB": "co.uk", "US": "com", "IE": "ie", "DE": "de", "FR": "fr", "AU": "com.au"}
MIDDLE_LETTERS = "AJMELRDCSKTNGPWBFH"

KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
OCR_PHONETIC = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("li", "h"),
                ("h", "li"), ("ph", "f"), ("f", "ph"), ("ck", "k"), ("c", "k"), ("k", "c"), ("y", "i"),
                ("i", "y"), ("ie", "ei"), ("ei", "ie"), ("ou", "ow"), ("e", "a"), ("a", "e"), ("s", "z"),
                ("z", "s"), ("u", "v"), ("n", "h"))
POSTCODE_OCR = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8", "2": "Z",
                "Z": "2"}
TRANSLITERATE = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def _neighbours() -> dict[str, str]:
    """Keys next to each letter on a QWERTY keyboard: the commonest substitution and insertion typos."""
    out: dict[str, str] = {}
    for r, row in enumerate(KEYBOARD_ROWS):
        for c, ch in enumerate(row):
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(KEYBOARD_ROWS):
                    near += [KEYBOARD_ROWS[rr][i] for i in (c - 1, c, c + 1) if 0 <= i < len(KEYBOARD_ROWS[rr])]
            out[ch] = "".join(near)
    return out


NEIGHBOURS = _neighbours()


# --------------------------------------------------------------------------------------------------- vocabulary

def _rows(name: str) -> list[dict[str, str]]:
    """A vocabulary CSV as dicts (the files are small: csv is enough)."""
    with open(VOCABULARY / name, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f)]


def _zipf(n: int, q: float) -> np.ndarray:
    """Zipf-Mandelbrot weights by rank: the file order is the popularity order."""
    w = 1.0 / (np.arange(n) + 1.0 + q)
    return w / w.sum()


@dataclass
class Pool:
    """Indices into a vocabulary with their sampling probabilities."""

    index: np.ndarray
    p: np.ndarray

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n vocabulary indices, vectorised."""
        return self.index[rng.choice(self.index.size, size=n, p=self.p)]


@dataclass
class Vocabulary:
    """The hand-written lists, loaded once: strings as object arrays, pools per country / sex / origin."""

    given: np.ndarray
    nicknames: list[tuple[str, ...]]
    variants: list[tuple[str, ...]]
    given_pools: dict[tuple[int, int], Pool]
    surnames: np.ndarray
    surname_pools: dict[int, Pool]
    stems: np.ndarray
    stem_pools: dict[int, Pool]
    types: np.ndarray
    type_abbr: np.ndarray
    type_position: np.ndarray
    type_pools: dict[int, Pool]
    town: np.ndarray
    town_country: np.ndarray
    town_prefix: list[str]
    town_dmin: np.ndarray
    town_dmax: np.ndarray
    town_area: list[str]
    town_sub_digits: list[int]
    town_sub_first: list[str]
    town_aliases: list[tuple[str, ...]]
    town_pools: dict[int, Pool]
    domains: np.ndarray
    domain_pools: dict[int, Pool]
    words: np.ndarray

    @classmethod
    def load(cls) -> Vocabulary:
        """Read every list under synthetic_vocabulary/ and build the sampling pools."""
        g = _rows("given_names.csv")
        given = np.array([r["name"] for r in g], dtype=object)
        sex = np.array([0 if r["sex"] == "M" else 1 for r in g])
        origin = np.array([ORIGINS.index(r["origin"]) for r in g])
        given_pools = {}
        for s in (0, 1):
            for o in range(len(ORIGINS)):
                idx = np.flatnonzero((sex == s) & (origin == o))
                given_pools[(s, o)] = Pool(idx, _zipf(idx.size, 8))
        s_rows = _rows("surnames.csv")
        surnames = np.array([r["surname"] for r in s_rows], dtype=object)
        s_origin = np.array([ORIGINS.index(r["origin"]) for r in s_rows])
        generated = np.array([r["source"] == "generated" for r in s_rows])
        surname_pools = {}
        for o in range(len(ORIGINS)):  # listed names by rank; 45 % of draws from the rare generated tail, if any
            listed, tail = np.flatnonzero((s_origin == o) & ~generated), np.flatnonzero((s_origin == o) & generated)
            share = 0.45 if tail.size else 0.0
            p = np.concatenate([_zipf(listed.size, 20) * (1 - share), np.full(tail.size, share / max(tail.size, 1))])
            surname_pools[o] = Pool(np.concatenate([listed, tail]), p / p.sum())
        st = _rows("street_names.csv")
        stems = np.array([r["name"] for r in st], dtype=object)
        stem_pools = {}
        for c, code in enumerate(COUNTRIES):
            idx = np.array([i for i, r in enumerate(st) if code in r["countries"].split("|")])
            stem_pools[c] = Pool(idx, _zipf(idx.size, 5))
        ty = _rows("street_types.csv")
        ty_country = np.array([COUNTRIES.index(r["country"]) for r in ty])
        ty_weight = np.array([float(r["weight"]) for r in ty])
        type_pools = {}
        for c in range(len(COUNTRIES)):
            idx = np.flatnonzero(ty_country == c)
            type_pools[c] = Pool(idx, ty_weight[idx] / ty_weight[idx].sum())
        tw = _rows("towns.csv")
        town_country = np.array([COUNTRIES.index(r["country"]) for r in tw])
        tw_weight = np.array([float(r["weight"]) for r in tw])
        town_pools = {}
        for c in range(len(COUNTRIES)):
            idx = np.flatnonzero(town_country == c)
            town_pools[c] = Pool(idx, tw_weight[idx] / tw_weight[idx].sum())
        dm = _rows("email_domains.csv")
        dm_country = np.array([COUNTRIES.index(r["country"]) for r in dm])
        dm_weight = np.array([float(r["weight"]) for r in dm])
        domain_pools = {}
        for c in range(len(COUNTRIES)):
            idx = np.flatnonzero(dm_country == c)
            domain_pools[c] = Pool(idx, dm_weight[idx] / dm_weight[idx].sum())
        words = [w.strip() for w in (VOCABULARY / "email_words.txt").read_text().splitlines()]
        return cls(
            given=given,
            nicknames=[tuple(x for x in r["nicknames"].split("|") if x) for r in g],
            variants=[tuple(x for x in r["variants"].split("|") if x) for r in g],
            given_pools=given_pools, surnames=surnames, surname_pools=surname_pools, stems=stems,
            stem_pools=stem_pools, types=np.array([r["type"] for r in ty], dtype=object),
            type_abbr=np.array([r["abbreviation"] for r in ty], dtype=object),
            type_position=np.array([r["position"] for r in ty], dtype=object), type_pools=type_pools,
            town=np.array([r["town"] for r in tw], dtype=object), town_country=town_country,
            town_prefix=[r["postcode_prefix"] for r in tw],
            town_dmin=np.array([int(r["district_min"] or 0) for r in tw]),
            town_dmax=np.array([int(r["district_max"] or 0) for r in tw]),
            town_area=[r["area_code"] for r in tw], town_sub_digits=[int(r["subscriber_digits"]) for r in tw],
            town_sub_first=[r["subscriber_first"] for r in tw],
            town_aliases=[tuple(x for x in r["aliases"].split("|") if x) for r in tw], town_pools=town_pools,
            domains=np.array([r["domain"] for r in dm], dtype=object), domain_pools=domain_pools,
            words=np.array([w for w in words if w and not w.startswith("#")], dtype=object),
        )


# ------------------------------------------------------------------------------------------------ string errors

@cache
def _ascii(s: str) -> str:
    """Accents stripped (Jürgen -> Jurgen), as an ASCII-only system stores them."""
    return unicodedata.normalize("NFKD", s.replace("ß", "ss").replace("ı", "i")).encode("ascii", "ignore").decode()


@cache
def _handle(s: str) -> str:
    """A name as it appears in an e-mail address: ASCII, lower case, letters only."""
    return "".join(ch for ch in _ascii(s).lower() if ch.isalnum())


def _fold(s: str, u: list[float]) -> str:
    """Accents lost: German umlauts half the time transliterated (Müller -> Mueller), else stripped."""
    if u[0] < 0.5 and any(ch in TRANSLITERATE for ch in s):
        return "".join(TRANSLITERATE.get(ch, ch) for ch in s)
    return _ascii(s)


def _keep_case(new: str, old: str) -> str:
    """A replacement letter in the case of the one it replaces, so typos stay plausible."""
    return new.upper() if old.isupper() else new


def _typo(s: str, u: list[float]) -> str:
    """One keyboard/OCR error (u: four uniforms); the first letter is spared most of the time."""
    n = len(s)
    if n < 2:
        return s
    pos = 1 + int(u[1] * (n - 1)) if u[2] < 0.85 else 0
    pos = min(pos, n - 1)
    ch = s[pos]
    kind = u[0]
    if kind < 0.20:  # insert: a doubled letter or a neighbouring key
        near = NEIGHBOURS.get(ch.lower(), "")
        extra = ch if (u[3] < 0.5 or not near) else _keep_case(near[int(u[3] * 7919) % len(near)], ch)
        return s[:pos] + extra + s[pos:]
    if kind < 0.45:  # delete
        return s[:pos] + s[pos + 1:]
    if kind < 0.75:  # substitute a neighbouring key
        near = NEIGHBOURS.get(ch.lower(), "")
        if not near:
            return s[:pos] + s[pos + 1:]
        return s[:pos] + _keep_case(near[int(u[3] * len(near))], ch) + s[pos + 1:]
    if kind < 0.90:  # transpose with the next character
        if pos >= n - 1:
            pos = n - 2
        return s[:pos] + s[pos + 1] + s[pos] + s[pos + 2:]
    low = s.lower()  # OCR / phonetic confusion, at a place where one applies
    hits = []
    for a, b in OCR_PHONETIC:
        i = low.find(a, 1)
        while i != -1:
            hits.append((i, a, b))
            i = low.find(a, i + 1)
    if not hits:
        return s[:pos] + s[pos + 1:]
    i, a, b = hits[int(u[3] * len(hits))]
    return s[:i] + b + s[i + len(a):]


def _typos(s: str, u: list[float]) -> str:
    """A typo, and one time in ten a second one."""
    s = _typo(s, u)
    if u[3] < 0.10:
        s = _typo(s, [u[1], u[2], u[0], (u[3] * 10) % 1.0])
    return s


def _punctuation(s: str, u: list[float]) -> str:
    """How hyphens, apostrophes, particles and Mc/Mac get entered: O'Brien -> OBrien, Smith-Jones -> Jones."""
    k = int(u[0] * 4)
    if "-" in s:
        parts = s.split("-")
        return (s.replace("-", " "), s.replace("-", ""), parts[0], parts[-1])[k]
    if "'" in s:
        return (s.replace("'", ""), s.replace("'", " "), s.replace("'", "\u2019"), s.replace("'", "").title())[k]
    if " " in s:
        return (s.replace(" ", ""), s.title(), s.split(" ")[-1], s.replace(" ", "").lower().title())[k]
    if s.startswith("Mac") and len(s) > 3 and s[3].isupper():
        return ("Mac " + s[3:], s.title(), "Mc" + s[3:], s.title())[k]
    if s.startswith("Mc") and len(s) > 2 and s[2].isupper():
        return ("Mc " + s[2:], s.title(), "Mac" + s[2:], s.title())[k]
    return s


def _has_punctuation(s: str) -> bool:
    """Whether a name has a hyphen, apostrophe, particle or Mc/Mac that people enter in several ways."""
    return "-" in s or "'" in s or " " in s or (s[:2] == "Mc" and s[2:3].isupper()) or (
        s[:3] == "Mac" and s[3:4].isupper())


def _spaces(s: str, u: list[float]) -> str:
    """Stray whitespace from copy-paste and fixed-width systems."""
    if u[0] < 0.4:
        return s + " "
    if u[0] < 0.7:
        return " " + s
    i = s.find(" ")
    return s[:i] + "  " + s[i + 1:] if i > 0 else s + "  "


def _digit_error(s: str, u: list[float]) -> str:
    """One digit of a phone number wrong (keypad neighbour or random) or two adjacent digits swapped."""
    digits = [i for i, ch in enumerate(s) if ch.isdigit()][2:]  # leave the prefix alone
    if len(digits) < 2:
        return s
    i = digits[int(u[1] * len(digits))]
    if u[0] < 0.6:
        d = (int(s[i]) + (1 if u[2] < 0.5 else 9) + (int(u[3] * 8) if u[3] < 0.3 else 0)) % 10
        return s[:i] + str(d) + s[i + 1:]
    j = digits[digits.index(i) + 1] if i != digits[-1] else digits[-2]
    a, b = sorted((i, j))
    if s[a] == s[b]:
        return s[:a] + str((int(s[a]) + 1) % 10) + s[a + 1:]
    return s[:a] + s[b] + s[a + 1:b] + s[a] + s[b + 1:]


def _postcode_typo(s: str, u: list[float]) -> str:
    """A postcode miskeyed: a character swapped for one of its class, a transposition, or O/0, I/1, S/5."""
    idx = [i for i, ch in enumerate(s) if ch != " "]
    i = idx[int(u[1] * len(idx))]
    ch = s[i]
    if u[0] < 0.3 and ch in POSTCODE_OCR:
        return s[:i] + POSTCODE_OCR[ch] + s[i + 1:]
    if u[0] < 0.6 and len(idx) > 1:
        k = idx.index(i)
        j = idx[k + 1] if k + 1 < len(idx) else idx[k - 1]
        a, b = sorted((i, j))
        return s[:a] + s[b] + s[a + 1:b] + s[a] + s[b + 1:]
    new = str(int(u[2] * 10)) if ch.isdigit() else "ABDEFGHJLNPQRSTUWXY"[int(u[2] * 19)]
    return s[:i] + new + s[i + 1:]


def _email_typo(s: str, u: list[float]) -> str:
    """A typo in the local part or in the provider's name (gmial.com), never in the @."""
    local, _, domain = s.partition("@")
    if u[3] < 0.6 or "." not in domain:
        return _typo(local, u) + "@" + domain
    name, _, tld = domain.partition(".")
    return local + "@" + _typo(name, u) + "." + tld


def _date_digit(s: str, u: list[float]) -> str:
    """One digit of YYYY-MM-DD wrong, the result still a real date (an invalid one would be rejected at entry)."""
    positions = (2, 3, 3, 3, 5, 6, 8, 9, 9, 9)
    for attempt in range(6):
        p = positions[int(((u[0] + attempt * 0.37) % 1.0) * len(positions))]
        d = (int(s[p]) + 1 + int(((u[1] + attempt * 0.61) % 1.0) * 9)) % 10
        cand = s[:p] + str(d) + s[p + 1:]
        try:
            np.datetime64(cand)
        except ValueError:
            continue
        if "1901" <= cand[:4] <= "2007":
            return cand
    return s


def _year_shift(s: str, u: list[float]) -> str:
    """Birth year off by one (age mis-stated or mis-remembered), kept a real date."""
    y = int(s[:4]) + (1 if u[0] < 0.5 else -1)
    cand = f"{y:04d}{s[4:]}"
    return cand if cand[5:] != "02-29" or y % 4 == 0 else f"{y:04d}-02-28"


def _apply(col: np.ndarray, mask: np.ndarray, fn: Any, rng: np.random.Generator, where: Any = None) -> None:
    """Run a string error over the masked, non-missing entries of an object column (those `where` accepts)."""
    idx = np.flatnonzero(mask)
    if where is not None:
        vals = col[idx].tolist()
        idx = idx[np.array([s is not None and bool(where(s)) for s in vals], dtype=bool)]
    if idx.size == 0:
        return
    u = rng.random((idx.size, 4)).tolist()
    col[idx] = [v if v is None else fn(v, r) for v, r in zip(col[idx].tolist(), u, strict=True)]


# ---------------------------------------------------------------------------------------------------- addresses

def _mix(*cols: np.ndarray) -> np.ndarray:
    """A deterministic 64-bit hash of integer columns (splitmix64 finaliser): postcodes follow streets."""
    with np.errstate(over="ignore"):
        h = np.full(cols[0].shape, 0x9E3779B97F4A7C15, dtype=np.uint64)
        for c in cols:
            h = h ^ (c.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15) + (h << np.uint64(6)) + (h >> np.uint64(2)))
            h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            h = h ^ (h >> np.uint64(31))
    return h


GERMAN_ADJECTIVES = frozenset(("Neue", "Alte", "Lange", "Breite", "Hohe", "Grüne"))


def _street_name(country: str, stem: str, kind: str, position: str) -> str:
    """Church Road, Rue Victor Hugo, Lindenstraße, Lange Straße, Thomas-Mann-Straße: each language's order."""
    if position == "prefix":
        return f"{kind} {stem}"
    if position == "joined":
        if "-" in stem:
            return f"{stem}-{kind.capitalize()}" if kind[0].islower() else f"{stem}-{kind}"
        if stem in GERMAN_ADJECTIVES:
            return f"{stem} {kind.capitalize()}" if kind[0].islower() else f"{stem} {kind}"
        return stem + kind
    return f"{stem} {kind}"


def _street_line(country: str, street: str, number: int, unit: int, extra: int) -> str:
    """The first address line in each country's usual order; number 0 = left out."""
    no = "" if number == 0 else str(number)
    if country == "DE":
        return f"{street} {no}{'a' if extra and no else ''}".rstrip()
    if country == "FR":
        return f"{no}{' bis' if extra and no else ''} {street}".lstrip()
    line = f"{no} {street}".lstrip()
    if unit:
        if country == "US":
            return f"{line} Apt {unit}"
        if country == "AU":
            return f"{unit}/{line}" if no else f"Unit {unit}, {line}"
        return f"{'Flat' if country == 'GB' else 'Apt'} {unit}, {line}"
    return line


@dataclass
class Addresses:
    """An address table: one row per dwelling ever lived in, current or previous."""

    country: np.ndarray
    town: np.ndarray
    stem: np.ndarray
    kind: np.ndarray
    number: np.ndarray
    unit: np.ndarray
    extra: np.ndarray
    line: np.ndarray
    postcode: np.ndarray


def _addresses(rng: np.random.Generator, v: Vocabulary, country: np.ndarray, town: np.ndarray) -> Addresses:
    """Streets, house numbers and postcodes for dwellings whose country and town are chosen."""
    n = country.size
    stem = np.empty(n, dtype=np.int64)
    kind = np.empty(n, dtype=np.int64)
    for c in range(len(COUNTRIES)):
        m = country == c
        stem[m] = v.stem_pools[c].draw(rng, int(m.sum()))
        kind[m] = v.type_pools[c].draw(rng, int(m.sum()))
    top = np.array([300, 9000, 250, 150, 200, 300])[country]  # log-uniform house numbers: most are low
    number = np.exp(rng.random(n) * np.log(top)).astype(np.int64) + 1
    number = np.where(country == 1, number + np.where(rng.random(n) < 0.7, 100, 0), number)
    unit_share = np.array([0.07, 0.10, 0.05, 0.0, 0.0, 0.08])[country]
    unit = np.where(rng.random(n) < unit_share, rng.integers(1, 40, n), 0)
    extra = (rng.random(n) < np.array([0, 0, 0, 0.05, 0.03, 0])[country]).astype(np.int64)
    street_key = _mix(town, stem, kind)
    gb_key = _mix(town, stem, kind, number // 30)  # a GB postcode covers a stretch of one street
    ie_key = _mix(town, stem, kind, number, unit)  # an Eircode is one dwelling
    dmin, dmax = v.town_dmin[town], v.town_dmax[town]
    span = (dmax - dmin + 1).astype(np.uint64)
    district = dmin + (street_key % span).astype(np.int64)
    gb_district = dmin + (gb_key % span).astype(np.int64)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    eir = "ACDEFHKNPRTVWXY0123456789"
    postcode = []
    line = []
    for c, t, s, k, no, un, ex, d, gd, gk, ik in zip(
            country.tolist(), town.tolist(), stem.tolist(), kind.tolist(), number.tolist(), unit.tolist(),
            extra.tolist(), district.tolist(), gb_district.tolist(), gb_key.tolist(), ie_key.tolist(), strict=True):
        code = COUNTRIES[c]
        prefix = v.town_prefix[t]
        if code == "GB":
            pc_ = f"{prefix}{gd} {(gk >> 16) % 10}{letters[(gk >> 24) % 20]}{letters[(gk >> 32) % 20]}"
        elif code == "IE":
            key = prefix if len(prefix) == 3 else f"{prefix}{d:02d}"
            pc_ = f"{key} {eir[(ik >> 8) % 15]}{eir[(ik >> 16) % 25]}{eir[(ik >> 24) % 25]}{eir[(ik >> 32) % 25]}"
        else:
            width = (4 if code == "AU" else 5) - len(prefix)
            pc_ = prefix + str(d).zfill(width)
        postcode.append(pc_)
        street = _street_name(code, v.stems[s], v.types[k], v.type_position[k])
        line.append(_street_line(code, street, no, un, ex))
    return Addresses(country, town, stem, kind, number, unit, extra, np.array(line, dtype=object),
                     np.array(postcode, dtype=object))


def _concat(parts: list[Addresses]) -> Addresses:
    """One address table, so records index current and previous dwellings alike."""
    return Addresses(*(np.concatenate([getattr(p, f) for p in parts]) for f in Addresses.__dataclass_fields__))


# ------------------------------------------------------------------------------------------------------- phones

def _group_national(code: str, digits: str, area_len: int) -> str:
    """The national written form of a number, grouped the way people write it locally."""
    if code == "US":
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    if code == "FR":
        return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    if code == "GB":
        if digits[1] == "7":
            return f"{digits[:5]} {digits[5:]}"
        if area_len == 3:
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        if area_len == 4:
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        return f"{digits[:area_len]} {digits[area_len:]}"
    if code == "IE":
        return f"{digits[:area_len]} {digits[area_len:area_len + 3]} {digits[area_len + 3:]}"
    if code == "AU":
        if digits[1] == "4":
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        return f"{digits[:2]} {digits[2:6]} {digits[6:]}"
    return f"{digits[:area_len]} {digits[area_len:]}"  # DE


MOBILE_PREFIXES = {  # (prefix, total national digits) of ranges in service, so that the numbers pass validation
    "GB": tuple((p, 11) for p in ("074", "075", "077", "078", "0790", "0792", "0793", "0794", "0795", "0796",
                                  "0797", "0798", "0799")),
    "IE": tuple((p, 10) for p in ("083", "085", "086", "087", "089")),
    "DE": tuple((p, 12) for p in ("0151", "0152", "0157", "0159")) + tuple(
        (p, 11) for p in ("0160", "0162", "0163", "0170", "0171", "0172", "0173", "0175", "0176", "0177", "0178",
                          "0179")),
    "FR": tuple((p, 10) for p in ("06", "06", "06", "073", "075", "076", "077", "078")),
    "AU": tuple((p, 10) for p in ("040", "041", "042", "043", "046", "048")),
}


def _phones(rng: np.random.Generator, v: Vocabulary, country: np.ndarray, town: np.ndarray,
            mobile: np.ndarray, taken: set[str]) -> tuple[list[str], list[str]]:
    """Unique plausible numbers: mobiles by national pattern, landlines with the town's area code."""
    n = country.size
    rnd = rng.integers(0, 10**9, size=(n, 2)).tolist()
    pick = rng.random(n).tolist()
    us_areas = sorted({v.town_area[t] for t in v.town_pools[COUNTRIES.index("US")].index.tolist()})
    canon: list[str] = []
    digits_out: list[str] = []
    for c, t, mob, (r1, r2), u in zip(country.tolist(), town.tolist(), mobile.tolist(), rnd, pick, strict=True):
        code = COUNTRIES[c]
        area, first, size = v.town_area[t], v.town_sub_first[t], v.town_sub_digits[t]
        while True:
            sub = f"{r1:09d}{r2:09d}"
            if code == "US":  # a mobile keeps the area code of wherever it was bought: 20 % from elsewhere
                a = us_areas[r2 % len(us_areas)] if mob and u < 0.2 else area
                d = a + str(2 + r1 % 8) + sub[1:7]
            elif mob:
                prefix, total = MOBILE_PREFIXES[code][r1 % len(MOBILE_PREFIXES[code])]
                d = prefix + sub[1:1 + total - len(prefix)]
            else:
                d = area + first[r1 % len(first)] + sub[1:size]
            if d not in taken:
                break
            r1, r2 = (r1 * 48271 + 11) % 10**9, (r2 * 69621 + 7) % 10**9
        taken.add(d)
        digits_out.append(d)
        canon.append(_group_national(code, d, {"IE": 3, "DE": 4}.get(code, 0) if mob else len(area)))
    return canon, digits_out


def _phone_format(canon: str, digits: str, code: str, f: int, u: float) -> str:
    """A number as one of the ways it gets typed: compact, international, +44 (0), 00 prefixes, dots."""
    cc = CALLING_CODE[code]
    if code == "US":
        if f == 2:
            return f"+1 {digits[:3]}-{digits[3:6]}-{digits[6:]}"
        if f == 3:
            return "+1" + digits
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:]}" if u < 0.5 else f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if f == 2:
        return f"+{cc} {canon[1:]}"
    if f == 3:
        return f"+{cc}{digits[1:]}"
    if code == "GB" and u < 0.6:
        return f"+44 (0){canon[1:]}"
    if code == "AU":  # (02) 9876 5432, 0412-345-678
        return canon.replace(" ", "-") if canon[1] == "4" else f"({canon[:2]}) {canon[3:]}"
    return f"00{cc} {canon[1:]}"


# ------------------------------------------------------------------------------------------------------ emails

def _email_handle(first: str, last: str, nick: str, year: int, word: str, u: float, n: int) -> str:
    """The local part people choose: mostly built from their names, sometimes a word and digits."""
    f, l_ = _handle(first), _handle(last)
    if not f:
        f = "x"
    if not l_:
        l_ = f
    k = n % 100
    if u < 0.24:
        return f"{f}.{l_}"
    if u < 0.36:
        return f"{f}{l_}"
    if u < 0.42:
        return f"{f[0]}.{l_}"
    if u < 0.48:
        return f"{f[0]}{l_}"
    if u < 0.58:
        return f"{f}.{l_}{k}"
    if u < 0.66:
        return f"{f}{year % 100:02d}"
    if u < 0.71:
        return f"{f}_{l_}"
    if u < 0.75:
        return f"{l_}.{f}"
    if u < 0.82:
        return f"{f}{n % 1000}"
    if u < 0.86:
        return f"{_handle(nick) or f}{l_[0]}{k}"
    if u < 0.94:
        return f"{word}{k}"
    if u < 0.97:
        return f"{word}.{l_}"
    return f"{f}{l_}{year}"


# ------------------------------------------------------------------------------------------------------ people

@dataclass
class People:
    """One row per person: true current values, the versions a life produces, and their household."""

    house: np.ndarray
    role: np.ndarray
    country: np.ndarray
    given: np.ndarray
    middle: np.ndarray
    surname: np.ndarray
    alt_surname: np.ndarray
    dob: np.ndarray
    addr: np.ndarray
    prev_addr: np.ndarray
    email: np.ndarray
    alt_email: np.ndarray
    house_email: np.ndarray
    office_email: np.ndarray
    mobile: np.ndarray
    alt_mobile: np.ndarray
    landline: np.ndarray
    office_phone: np.ndarray
    households: int


def _ages(rng: np.random.Generator, n: int) -> np.ndarray:
    """Adult ages 18-90: flat to 60, then thinning (customers, not a census)."""
    a = np.arange(18, 91)
    w = np.where(a <= 60, 1.0, 1.0 - (a - 60) / 30 * 0.75)
    return rng.choice(a, size=n, p=w / w.sum())


def _people(rng: np.random.Generator, v: Vocabulary, n: int, emails: list[str], phones: list[tuple[str, str, int]]
            ) -> tuple[People, Addresses]:
    """Households first, then their members, their life events, and shared or office contacts."""
    sizes = _sizes_summing_to(rng, HOUSEHOLD_SIZE, n)
    h = sizes.size
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    house = np.repeat(np.arange(h), sizes)
    rank = np.arange(n) - starts[house]

    h_country = rng.choice(len(COUNTRIES), size=h, p=COUNTRY_SHARE)
    h_origin = np.empty(h, dtype=np.int64)
    for c, code in enumerate(COUNTRIES):
        m = h_country == c
        h_origin[m] = rng.choice(len(ORIGINS), size=int(m.sum()), p=np.array(ORIGIN_MIX[code]) / sum(ORIGIN_MIX[code]))
    h_partner = (sizes >= 2) & (rng.random(h) < 0.8)
    role = np.where(rank == 0, HEAD, np.where((rank == 1) & h_partner[house], PARTNER,
                                              np.where(rng.random(n) < 0.85, CHILD, LODGER)))
    h_children = np.bincount(house, weights=(role == CHILD), minlength=h)

    country = h_country[house]
    origin = h_origin[house]
    lodger = role == LODGER
    partner_mixed = (role == PARTNER) & (rng.random(n) < 0.2)
    redraw = lodger | partner_mixed
    for c, code in enumerate(COUNTRIES):
        m = redraw & (country == c)
        mix = np.array(ORIGIN_MIX[code])
        origin[m] = rng.choice(len(ORIGINS), size=int(m.sum()), p=mix / mix.sum())

    head_sex = rng.integers(0, 2, h)
    sex = rng.integers(0, 2, n)
    sex = np.where(role == HEAD, head_sex[house], sex)
    sex = np.where(role == PARTNER, np.where(rng.random(n) < 0.95, 1 - head_sex[house], head_sex[house]), sex)

    head_age = np.where(h_children > 0, rng.integers(40, 81, h), _ages(rng, h))
    ha = head_age[house]
    age = np.where(role == HEAD, ha, 0)
    age = np.where(role == PARTNER, ha + np.rint(rng.normal(0, 4, n)).astype(np.int64)
                   + np.where(sex == 0, 2, -2), age)
    age = np.where(role == CHILD, ha - rng.integers(20, 39, n), age)
    age = np.where(role == LODGER, ha + rng.integers(-12, 13, n), age)
    age = np.clip(age, 18, 90)
    days = (age * 365.25 + rng.random(n) * 365).astype(np.int64)
    dob = REFERENCE_DATE - days.astype("timedelta64[D]")

    # given names: a local name for a quarter of people, else one of the family's origin
    g_origin = np.where(rng.random(n) < 0.25, np.array([LOCAL_ORIGIN[c] for c in COUNTRIES])[country], origin)
    g_origin = np.where((g_origin == 4) & (rng.random(n) < 0.5), 0, g_origin)  # East Asian: often an English name
    given = np.empty(n, dtype=np.int64)
    for s in (0, 1):
        for o in range(len(ORIGINS)):
            m = (sex == s) & (g_origin == o)
            if m.any():
                given[m] = v.given_pools[(s, o)].draw(rng, int(m.sum()))
    head_of = starts[house]
    junior = (role == CHILD) & (sex == 0) & (sex[head_of] == 0) & (rng.random(n) < 0.06)
    given = np.where(junior, given[head_of], given)
    twins = (rank == 3) & (role == CHILD) & (role[np.maximum(np.arange(n) - 1, 0)] == CHILD) & (rng.random(n) < 0.1)
    dob = np.where(twins, dob[np.maximum(np.arange(n) - 1, 0)], dob)
    middle = np.where(rng.random(n) < 0.35, np.array(list(MIDDLE_LETTERS), dtype=object)[
        rng.integers(0, len(MIDDLE_LETTERS), n)], None)

    # family names: the household's, a partner's or lodger's own, maiden and former names
    def draw_surnames(orig: np.ndarray) -> np.ndarray:
        """Family names for people of the given origins."""
        out = np.empty(orig.size, dtype=np.int64)
        for o in range(len(ORIGINS)):
            m = orig == o
            if m.any():
                out[m] = v.surname_pools[o].draw(rng, int(m.sum()))
        return out

    fam = draw_surnames(h_origin)
    own = draw_surnames(origin)
    married = (role == PARTNER) & (rng.random(n) < 0.75)
    partner_rank = starts + 1
    married_house = np.zeros(h, dtype=bool)
    married_house[house[married]] = True
    surname = v.surnames[np.where((role == LODGER) | ((role == PARTNER) & ~married)
                                  | ((role == CHILD) & (rng.random(n) < 0.05)), own, fam[house])].copy()
    alt_surname = np.full(n, None, dtype=object)
    # the wife of a married couple (the partner if both or neither are women) had a maiden name
    wife_is_head = married_house & (head_sex == 1) & (sex[np.minimum(partner_rank, n - 1)] == 0)
    wife = np.where(wife_is_head, starts, partner_rank)[married_house]
    maiden = v.surnames[own[wife]]
    u = rng.random(wife.size)
    alt_surname[wife] = np.where(u < 0.88, maiden, None)
    surname[wife] = np.where(u < 0.82, surname[wife], np.where(u < 0.88, None, maiden))
    hyphen = wife[(u >= 0.82) & (u < 0.88)]
    surname[hyphen] = [f"{m}-{f}" for m, f in zip(maiden[(u >= 0.82) & (u < 0.88)].tolist(),
                                                    v.surnames[fam[house[hyphen]]].tolist(), strict=True)]
    single = (sizes[house] == 1) & (sex == 1) & (age >= 28) & (rng.random(n) < 0.15)
    alt_surname[single] = v.surnames[draw_surnames(origin[single])]

    # addresses: current per household, a family's previous one, a person's own previous one
    h_town = np.empty(h, dtype=np.int64)
    for c in range(len(COUNTRIES)):
        m = h_country == c
        h_town[m] = v.town_pools[c].draw(rng, int(m.sum()))
    current = _addresses(rng, v, h_country, h_town)

    def elsewhere(ctry: np.ndarray, twn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where people lived before: half in the same town, 4 % abroad."""
        k = ctry.size
        new_c = np.where(rng.random(k) < 0.04, rng.choice(len(COUNTRIES), size=k, p=COUNTRY_SHARE), ctry)
        new_t = np.empty(k, dtype=np.int64)
        for c in range(len(COUNTRIES)):
            m = new_c == c
            new_t[m] = v.town_pools[c].draw(rng, int(m.sum()))
        return new_c, np.where((new_c == ctry) & (rng.random(k) < 0.5), twn, new_t)

    h_moved = np.flatnonzero(rng.random(h) < 0.30)
    hc, ht = elsewhere(h_country[h_moved], h_town[h_moved])
    h_prev_tab = _addresses(rng, v, hc, ht)
    p_moved = np.flatnonzero(rng.random(n) < 0.10)
    pcn, ptn = elsewhere(country[p_moved], h_town[house[p_moved]])
    p_prev_tab = _addresses(rng, v, pcn, ptn)
    addresses = _concat([current, h_prev_tab, p_prev_tab])
    h_prev = np.full(h, -1, dtype=np.int64)
    h_prev[h_moved] = h + np.arange(h_moved.size)
    prev_addr = h_prev[house]
    prev_addr[p_moved] = h + h_moved.size + np.arange(p_moved.size)
    addr = house.copy()

    # phones: mobiles per person, landlines per household, switchboards per office
    taken: set[str] = set()
    p_town = addresses.town[addr]
    has_mobile = rng.random(n) < np.where(age > 75, 0.75, 0.95)
    alt_mob = has_mobile & (rng.random(n) < 0.20)
    h_land = rng.random(h) < np.where(h_country == 1, 0.35, 0.45)

    def add_phones(ctry: np.ndarray, twn: np.ndarray, mob: bool) -> np.ndarray:
        """New unique numbers in the shared phone table; their ids."""
        canon, digits = _phones(rng, v, ctry, twn, np.full(ctry.size, mob), taken)
        first = len(phones)
        phones.extend(zip(canon, digits, ctry.tolist(), strict=True))
        return first + np.arange(ctry.size)

    mobile = np.full(n, -1, dtype=np.int64)
    mobile[has_mobile] = add_phones(country[has_mobile], p_town[has_mobile], True)
    alt_mobile = np.full(n, -1, dtype=np.int64)
    alt_mobile[alt_mob] = add_phones(country[alt_mob], p_town[alt_mob], True)
    h_landline = np.full(h, -1, dtype=np.int64)
    h_landline[h_land] = add_phones(h_country[h_land], h_town[h_land], False)

    # e-mails: unique personal ones, family ones, the second address people acquire
    seen: dict[str, int] = {}

    def add_email(local: str, domain: str, r: int) -> int:
        """A new address in the shared e-mail table, made unique with digits as providers force people to."""
        e = f"{local}@{domain}"
        while e in seen:
            r = (r * 48271 + 13) % 2147483647
            e = f"{local}{r % 100 if r % 3 else r % 10000}@{domain}"
        seen[e] = len(emails)
        emails.append(e)
        return len(emails) - 1

    first_names = v.given[given]
    nick = [ns[0] if ns else g for ns, g in zip((v.nicknames[i] for i in given.tolist()), first_names.tolist(),
                                                  strict=True)]
    years = dob.astype("datetime64[Y]").astype(np.int64) + 1970
    has_email = rng.random(n) < np.where(age > 70, 0.70, 0.88)
    alt_e = has_email & (rng.random(n) < 0.30)
    p_dom = np.empty((2, n), dtype=np.int64)
    for c in range(len(COUNTRIES)):
        m = country == c
        p_dom[:, m] = v.domain_pools[c].draw(rng, 2 * int(m.sum())).reshape(2, -1)
    word = v.words[rng.integers(0, v.words.size, (2, n))]
    uu = rng.random((2, n))
    rr = rng.integers(0, 2**31 - 1, (2, n))
    email = np.full(n, -1, dtype=np.int64)
    alt_email = np.full(n, -1, dtype=np.int64)
    sn = surname.tolist()
    fn_ = first_names.tolist()
    yl = years.tolist()
    for which, (has, out) in enumerate(((has_email, email), (alt_e, alt_email))):
        idx = np.flatnonzero(has)
        out[idx] = [
            add_email(_email_handle(fn_[i], sn[i] or "", nick[i], y, w, u, r), d, r)
            for i, y, w, u, r, d in zip(idx.tolist(), [yl[i] for i in idx.tolist()], word[which, idx].tolist(),
                                        uu[which, idx].tolist(), rr[which, idx].tolist(),
                                        v.domains[p_dom[which, idx]].tolist(), strict=True)]
    h_shared = (sizes >= 2) & (rng.random(h) < 0.20)
    h_email = np.full(h, -1, dtype=np.int64)
    hd = np.empty(h, dtype=np.int64)
    for c in range(len(COUNTRIES)):
        m = h_country == c
        hd[m] = v.domain_pools[c].draw(rng, int(m.sum()))
    hu = rng.random(h)
    for j in np.flatnonzero(h_shared).tolist():
        head, partner = int(starts[j]), int(starts[j]) + 1
        last = _handle(sn[head] or "") or "home"
        a, b = _handle(fn_[head]), _handle(fn_[partner])
        local = (f"the{last}s", f"{last}family", f"{a}and{b}", f"{last}{int(current.number[j])}")[int(hu[j] * 4)]
        h_email[j] = add_email(local, v.domains[hd[j]], j)

    # offices: dozens to hundreds of unrelated people behind one work e-mail and one switchboard
    groups = max(3, n // 4000)
    office_email = np.full(n, -1, dtype=np.int64)
    office_phone = np.full(n, -1, dtype=np.int64)
    g_country = rng.choice(len(COUNTRIES), size=groups, p=COUNTRY_SHARE)
    g_size = np.exp(rng.uniform(np.log(20), np.log(300), groups)).astype(np.int64)
    g_town = np.array([int(v.town_pools[int(c)].draw(rng, 1)[0]) for c in g_country])
    g_phone = add_phones(g_country, g_town, False)
    g_name = v.surnames[v.surname_pools[0].draw(rng, groups)]
    for g in range(groups):
        pool = np.flatnonzero((country == g_country[g]) & (office_email < 0))
        members = rng.choice(pool, size=min(int(g_size[g]), pool.size), replace=False)
        domain = f"{_handle(g_name[g])}{OFFICE_WORDS[g % len(OFFICE_WORDS)]}.{OFFICE_TLD[COUNTRIES[g_country[g]]]}"
        office_email[members] = add_email(OFFICE_LOCALS[g % len(OFFICE_LOCALS)], domain, g)
        office_phone[members] = g_phone[g]

    return People(house=house, role=role, country=country, given=given, middle=middle, surname=surname,
                  alt_surname=alt_surname, dob=dob, addr=addr, prev_addr=prev_addr, email=email,
                  alt_email=alt_email, house_email=h_email[house], office_email=office_email, mobile=mobile,
                  alt_mobile=alt_mobile, landline=h_landline[house], office_phone=office_phone,
                  households=h), addresses


# ----------------------------------------------------------------------------------------------------- records

def _sizes_summing_to(rng: np.random.Generator, p: tuple[float, ...], total: int) -> np.ndarray:
    """Group sizes 1..len(p) drawn with probabilities p, the last one cut so that they sum exactly to total."""
    values = np.arange(1, len(p) + 1)
    mean = float(np.dot(values, p))
    sizes = rng.choice(values, size=int(total / mean * 1.1) + 20, p=p)
    ends = np.cumsum(sizes)
    while ends[-1] < total:  # only for tiny runs
        sizes = np.concatenate([sizes, rng.choice(values, size=20, p=p)])
        ends = np.cumsum(sizes)
    k = int(np.searchsorted(ends, total)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= int(ends[k - 1] - total)
    return sizes


def _files(rng: np.random.Generator, counts: np.ndarray, files: int) -> np.ndarray:
    """Which file each record lands in: a person is in one file, or (55 % of the repeat customers) in both."""
    n = counts.size
    rp = np.repeat(np.arange(n), counts)
    if files == 1:
        return np.zeros(rp.size, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    j = np.arange(rp.size) - starts[rp]
    both = (counts >= 2) & (rng.random(n) < 0.55)
    one = rng.integers(0, 2, n)
    rest = rng.integers(0, 2, rp.size)
    return np.where(both[rp], np.where(j == 0, 0, np.where(j == 1, 1, rest)), one[rp])


def generate(out_dir: Path, records: int = 100_000, seed: int = 1, files: int = 1) -> dict:
    """Write people_*.csv and truth.csv under out_dir; return records, people and true pair counts."""
    if files not in (1, 2):
        raise ValueError("files must be 1 or 2")
    if records < 1:
        raise ValueError("records must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    v = Vocabulary.load()
    counts = _sizes_summing_to(streams[0], RECORDS_PER_PERSON, records)
    n = counts.size
    emails: list[str] = []
    phones: list[tuple[str, str, int]] = []
    people, addresses = _people(streams[1], v, n, emails, phones)
    file_of = _files(streams[2], counts, files)
    rng = streams[3]

    rp = np.repeat(np.arange(n), counts)
    order = rng.permutation(rp.size)
    rp, file_of = rp[order], file_of[order]
    r = rp.size
    clean = rng.random(r) < 0.15

    def err(p: float | np.ndarray) -> np.ndarray:
        """Records hit by an error of probability p (never the clean copies)."""
        return (rng.random(r) < p) & ~clean

    email_obj = np.array(emails + list(JUNK_EMAILS), dtype=object)
    junk_email0 = len(emails)
    ph_canon = np.array([p[0] for p in phones] + list(JUNK_PHONES), dtype=object)
    ph_digits = np.array([p[1] for p in phones] + list(JUNK_PHONES), dtype=object)
    ph_country = np.array([p[2] for p in phones] + [-1] * len(JUNK_PHONES))
    junk_phone0 = len(phones)

    # ---- names
    g = people.given[rp]
    given = v.given[g].copy()
    nick_ok = np.array([bool(x) for x in v.nicknames])[g]
    var_ok = np.array([bool(x) for x in v.variants])[g]
    m = err(0.10) & nick_ok
    given[m] = [v.nicknames[i][int(u * len(v.nicknames[i]))] for i, u in zip(g[m].tolist(), rng.random(int(m.sum())),
                                                                            strict=True)]
    m = err(0.03) & var_ok & ~m
    given[m] = [v.variants[i][int(u * len(v.variants[i]))] for i, u in zip(g[m].tolist(), rng.random(int(m.sum())),
                                                                          strict=True)]
    mid = people.middle[rp]
    m = err(0.02) & mid.astype(bool)
    given[m] = [f"{a} {b}" for a, b in zip(given[m].tolist(), mid[m].tolist(), strict=True)]
    m = err(0.01)
    given[m] = [s[0] + ("." if i % 2 else "") for i, s in enumerate(given[m].tolist())]

    alt = people.alt_surname[rp]
    family = np.where(err(0.30) & alt.astype(bool), alt, people.surname[rp])
    for col in (given, family):
        _apply(col, err(0.30), _punctuation, rng, where=_has_punctuation)
        _apply(col, err(0.35), _fold, rng, where=lambda s: not s.isascii())
    _apply(given, err(0.06), _typos, rng)
    _apply(family, err(0.06), _typos, rng)
    given[err(0.06)] = None
    family[err(0.06)] = None
    swap = err(0.015)
    given[swap], family[swap] = family[swap], given[swap].copy()

    # ---- birth date
    dob = people.dob[rp]
    dob_s = np.datetime_as_string(dob, unit="D").astype(object)
    _apply(dob_s, err(0.025), lambda s, u: f"{s[:5]}{s[8:]}-{s[5:7]}" if s[8:] <= "12" else s, rng)
    _apply(dob_s, err(0.03), _date_digit, rng)
    _apply(dob_s, err(0.02), _year_shift, rng)
    m = err(0.007)
    dob_s[m] = [s[:4] + "-01-01" for s in dob_s[m].tolist()]
    dob_s[err(0.003)] = "1900-01-01"
    dob_s[err(np.array(DOB_MISSING)[file_of])] = None

    # ---- e-mail
    e = people.email[rp].copy()
    e = np.where(err(0.25) & (people.alt_email[rp] >= 0), people.alt_email[rp], e)
    e = np.where(err(0.35) & (people.house_email[rp] >= 0), people.house_email[rp], e)
    e = np.where(err(0.60) & (people.office_email[rp] >= 0), people.office_email[rp], e)
    e = np.where(err(np.array(EMAIL_MISSING)[file_of]), -1, e)
    junk = err(0.015) & (e < 0)
    e[junk] = junk_email0 + np.minimum(rng.zipf(1.6, int(junk.sum())) - 1, len(JUNK_EMAILS) - 1)
    email = np.where(e >= 0, email_obj[np.maximum(e, 0)], None)
    _apply(email, err(0.02), _email_typo, rng)

    # ---- phone
    ph = np.where(people.mobile[rp] >= 0, people.mobile[rp], people.landline[rp])
    ph = np.where(err(0.25) & (people.alt_mobile[rp] >= 0), people.alt_mobile[rp], ph)
    ph = np.where(err(0.35) & (people.landline[rp] >= 0), people.landline[rp], ph)
    ph = np.where(err(0.50) & (people.office_phone[rp] >= 0), people.office_phone[rp], ph)
    ph = np.where(err(np.array(PHONE_MISSING)[file_of]), -1, ph)
    junk = err(0.01) & (ph < 0)
    ph[junk] = junk_phone0 + np.minimum(rng.zipf(1.6, int(junk.sum())) - 1, len(JUNK_PHONES) - 1)
    fmt = np.where(clean, 0, rng.choice(5, size=r, p=(0.45, 0.25, 0.12, 0.12, 0.06)))
    fmt = np.where(ph_country[np.maximum(ph, 0)] < 0, 0, fmt)
    phone = np.where(ph < 0, None, np.where(fmt == 1, ph_digits[np.maximum(ph, 0)], ph_canon[np.maximum(ph, 0)]))
    m = np.flatnonzero((ph >= 0) & (fmt >= 2))
    fu = rng.random(m.size).tolist()
    phone[m] = [_phone_format(ph_canon[p], ph_digits[p], COUNTRIES[ph_country[p]], f, u)
                for p, f, u in zip(ph[m].tolist(), fmt[m].tolist(), fu, strict=True)]
    _apply(phone, err(0.02), _digit_error, rng)

    # ---- address
    a = np.where(err(0.40) & (people.prev_addr[rp] >= 0), people.prev_addr[rp], people.addr[rp])
    a_country = addresses.country[a]
    street = addresses.line[a].copy()
    abbrev = err(0.15)
    drop_unit = err(0.30) & (addresses.unit[a] > 0)
    drop_no = err(0.02)
    m = np.flatnonzero(abbrev | drop_unit | drop_no)
    street[m] = [
        _street_line(COUNTRIES[c], _street_name(COUNTRIES[c], v.stems[s],
                                                v.type_abbr[k] if ab else v.types[k], v.type_position[k]),
                     0 if dn else no, 0 if du else un, ex)
        for c, s, k, no, un, ex, ab, du, dn in zip(
            a_country[m].tolist(), addresses.stem[a[m]].tolist(), addresses.kind[a[m]].tolist(),
            addresses.number[a[m]].tolist(), addresses.unit[a[m]].tolist(), addresses.extra[a[m]].tolist(),
            abbrev[m].tolist(), drop_unit[m].tolist(), drop_no[m].tolist(), strict=True)]
    _apply(street, err(0.05), _typos, rng)
    street[err(0.07)] = None

    t = addresses.town[a]
    town = v.town[t].copy()
    alias_ok = np.array([bool(x) for x in v.town_aliases])[t]
    m = err(0.10) & alias_ok
    town[m] = [v.town_aliases[i][int(u * len(v.town_aliases[i]))] for i, u in zip(t[m].tolist(),
                                                                                   rng.random(int(m.sum())),
                                                                                   strict=True)]
    _apply(town, err(0.03), _typos, rng)
    town[err(0.06)] = None

    postcode = addresses.postcode[a].copy()
    _apply(postcode, err(0.04), _postcode_typo, rng)
    m = err(0.15) & ((a_country == 0) | (a_country == 2))
    postcode[m] = [s.replace(" ", "") for s in postcode[m].tolist()]
    m = err(0.25) & np.isin(a_country, (1, 3, 4, 5)) & (np.array([s[0] == "0" for s in postcode.tolist()]))
    postcode[m] = [s[1:] for s in postcode[m].tolist()]
    lower_pc = err(0.04)
    postcode[err(0.07)] = None

    country = np.array(COUNTRIES, dtype=object)[a_country]
    country[err(0.08)] = None

    # ---- case and spacing
    for col in (given, family, street, town, postcode, email):
        _apply(col, err(0.015), _spaces, rng)
    upper, lower, fam_upper, email_upper = err(0.05), err(0.01), err(0.04), err(0.03)

    def text(col: np.ndarray, up: np.ndarray | None = None, low: np.ndarray | None = None) -> pa.Array:
        """An Arrow string column with the record's case damage applied, vectorised."""
        arr = pa.array(col, type=pa.string())
        if up is not None:
            arr = pc.if_else(pa.array(up), pc.utf8_upper(arr), arr)
        if low is not None:
            arr = pc.if_else(pa.array(low), pc.utf8_lower(arr), arr)
        return arr

    out_cols = {
        "given_name": text(given, upper, lower),
        "family_name": text(family, upper | fam_upper, lower & ~fam_upper),
        "birth_date": text(dob_s),
        "email": text(email, email_upper),
        "phone": text(phone),
        "street": text(street, upper, lower),
        "town": text(town, upper, lower),
        "postcode": text(postcode, None, lower_pc & ~upper),
        "country": text(country),
    }
    person_ids = pa.array(np.char.add("P", np.char.zfill(rp.astype(str), 7)).astype(object), type=pa.string())

    summary: dict[str, Any] = {"records": int(r), "people": int(n), "households": int(people.households)}
    truth_parts = []
    per_file = np.zeros((files, n), dtype=np.int64)
    for f in range(files):
        sel = np.flatnonzero(file_of == f)
        name = f"people_{f + 1}"
        prefix = ("CRM-", "WEB")[f]
        refs = pa.array([f"{prefix}{k:08d}" for k in range(1, sel.size + 1)], type=pa.string())
        idx = pa.array(sel)
        table = pa.table({"customer_ref": refs, **{k: c.take(idx) for k, c in out_cols.items()}})
        pacsv.write_csv(table, out_dir / f"{name}.csv", pacsv.WriteOptions(quoting_style="needed"))
        truth_parts.append(pa.table({"file": pa.array([name] * sel.size, type=pa.string()), "customer_ref": refs,
                                     "person_id": person_ids.take(idx)}))
        per_file[f] = np.bincount(rp[sel], minlength=n)
        summary[f"{name}_records"] = int(sel.size)
        summary[f"{name}_people"] = int((per_file[f] > 0).sum())
    pacsv.write_csv(pa.concat_tables(truth_parts), out_dir / "truth.csv",
                    pacsv.WriteOptions(quoting_style="needed"))
    within = int(sum((k * (k - 1) // 2).sum() for k in per_file))
    across = int((per_file[0] * per_file[1]).sum()) if files == 2 else 0
    summary["true_pairs"] = within + across
    if files == 2:
        summary["true_pairs_within_files"] = within
        summary["true_pairs_across_files"] = across
    full = np.char.add(np.char.add(v.given[people.given].astype(str), "|"), people.surname.astype(str))
    _, inv, cnt = np.unique(full, return_inverse=True, return_counts=True)
    summary["namesake_people"] = int((cnt[inv] > 1).sum())
    return summary


def main() -> None:
    """CLI: generate, then print the summary with seconds and peak memory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, choices=(1, 2), default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    summary = generate(args.out_dir, args.records, args.seed, args.files)
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    summary["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
