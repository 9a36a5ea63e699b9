"""The product catalogue: names, SKUs, brands, categories and prices (some changed later, some
products added in seasonal drops), and the lookups orders use to pick a product by category,
price level and popularity, falling back to a launch product where the chosen one did not exist
yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.demo.generator.arrays import _group_starts, _pick, _rng, _zipf
from ingest.demo.generator.timeline import DAY, LEGACY_START, NEVER, T_START, WORLD_END, _epoch
from ingest.demo.generator.vocabulary import _BRANDS, _CATEGORY_P, _COLOURS, _PRODUCT_LINES, _PRODUCT_NOUNS, CATEGORIES

_DROPS = [_epoch(d) for d in ("2023-03-01T06:00:00", "2023-09-01T06:00:00", "2024-03-01T06:00:00",
                              "2024-09-01T06:00:00", "2025-03-01T06:00:00", "2025-09-01T06:00:00")]


@dataclass
class Products:
    n: int
    sku: list[str]
    name: list[str]
    category: np.ndarray
    brand: list[str]
    price_c: np.ndarray  # GBP pence, before any change
    new_price_c: np.ndarray
    change_t: np.ndarray
    created: np.ndarray
    cat_sorted: np.ndarray  # product indexes sorted by (category, price)
    cat_start: np.ndarray
    cat_n: np.ndarray
    fallback: np.ndarray  # a launch product of the same category and similar price
    pop_cum: np.ndarray

    def price_at(self, prod: np.ndarray, t: np.ndarray) -> np.ndarray:
        return np.where(t >= self.change_t[prod], self.new_price_c[prod], self.price_c[prod])


def _build_products(seed: int, people: int) -> Products:
    rng = _rng(seed, "products")
    n = int(np.clip(round(3.2 * np.sqrt(people)), 200, 2000))
    cat = np.sort(_pick(rng, n, _CATEGORY_P))
    names, skus, brands, price = [], [], [], np.zeros(n, dtype=np.int64)
    lines = rng.integers(0, len(_PRODUCT_LINES), n)
    colours = rng.integers(0, len(_COLOURS), n)
    brand_i = rng.integers(0, len(_BRANDS), n)
    noun_u = rng.random(n)
    price_u = rng.random(n)
    for i in range(n):
        cname = CATEGORIES[cat[i]]
        nouns = _PRODUCT_NOUNS[cname]
        noun, lo, hi = nouns[int(noun_u[i] * len(nouns))]
        names.append(f"{_PRODUCT_LINES[lines[i]]} {noun} - {_COLOURS[colours[i]]}")
        skus.append(f"NW-{cname[:3].upper()}-{i + 1:05d}")
        brands.append("Northwind Kids" if cname == "kids" else _BRANDS[brand_i[i]])
        price[i] = max(2, round(float(np.exp(np.log(lo) + price_u[i] * (np.log(hi) - np.log(lo)))))) * 100 - 1
    launch = rng.random(n) < 0.85
    created = np.where(launch, LEGACY_START + rng.integers(0, T_START - LEGACY_START, n),
                       np.array(_DROPS)[rng.integers(0, len(_DROPS), n)] + rng.integers(0, 3600, n))
    change = rng.random(n) < 0.12
    change_t = created + 60 * DAY + (rng.random(n) * (WORLD_END + 180 * DAY - created)).astype(np.int64)
    change_t = np.where(change, change_t, NEVER)
    new_price = (np.round(price * rng.uniform(0.75, 1.15, n) / 100) * 100 - 1).clip(99)
    order = np.lexsort((price, cat))
    cat_n = np.bincount(cat, minlength=len(CATEGORIES))
    fallback = np.arange(n)
    for i in np.flatnonzero(~launch):
        cands = np.flatnonzero(launch & (cat == cat[i]))
        cands = cands if len(cands) else np.flatnonzero(launch)
        fallback[i] = cands[np.argmin(np.abs(price[cands] - price[i]))]
    pop = _zipf(n, 1.0, 5)[rng.permutation(n)]
    return Products(n, skus, names, cat, brands, price, new_price, change_t, created, order, _group_starts(cat_n),
                    cat_n, fallback, np.cumsum(pop) / pop.sum())
