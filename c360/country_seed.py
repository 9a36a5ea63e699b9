"""Write seeds/country_codes.csv: every ISO 3166-1 country by name, official name, common name,
alpha-2 and alpha-3 code (from pycountry, which tracks the ISO standard), plus the endonyms and
abbreviations customers type. Names are lower case without accents; staging matches them the
same way (`country_code` in macros/standardise.sql).

    python -m c360.country_seed     # after upgrading pycountry
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "country_codes.csv"

# What people write that ISO does not list: constituent countries, abbreviations, own-language names.
ALIASES = {
    "GB": ["uk", "u.k.", "great britain", "britain", "england", "scotland", "wales", "northern ireland"],
    "IE": ["eire", "éire", "republic of ireland"],
    "US": ["usa", "u.s.a.", "u.s.", "united states of america", "america"],
    "DE": ["deutschland", "bundesrepublik deutschland"],
    "FR": ["frankreich"],
    "ES": ["españa"], "IT": ["italia"], "NL": ["nederland", "holland", "the netherlands"],
    "BE": ["belgië", "belgique"], "AT": ["österreich"], "CH": ["schweiz", "suisse", "svizzera"],
    "SE": ["sverige"], "NO": ["norge"], "DK": ["danmark"], "FI": ["suomi"], "IS": ["ísland"],
    "PL": ["polska"], "PT": ["portugal"], "CZ": ["czech republic", "česko"], "GR": ["hellas", "ελλάδα"],
    "KR": ["south korea", "korea"], "RU": ["russia"], "AE": ["uae", "u.a.e."],
}


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed: the form both sides are matched in."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def rows() -> list[tuple[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(fold(value), country.alpha_2)
    for code, aliases in ALIASES.items():
        for alias in aliases:
            names.setdefault(fold(alias), code)
    return sorted(names.items())


def main() -> None:
    with SEED.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country_name", "country_code"])
        writer.writerows(rows())
    print(f"{SEED}: {len(rows())} names")


if __name__ == "__main__":
    main()
