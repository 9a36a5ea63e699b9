"""Seeded, scalable demo data for *Northwind Outfitters* (contract: ``FORMATS.md``).

Why it is built this way:

* The whole world (people, their records in every system, their activity up to
  2025-09-30) is derived from ``(seed, people)`` alone; a batch is only a time-window
  view of that world. So batch 2 is consistent with batch 1 whatever order they are
  written in, and writing a batch twice gives byte-identical files.
* A demo of more than 250,000 people is built and written in parts of at most that many, one
  world in memory at a time (``world.build_parts``), so memory stays flat as the demo grows; a
  demo of one part is exactly the world of ``(seed, people)``.
* Everything big is vectorised: numpy draws the numbers, pyarrow compute kernels build
  the strings, pyarrow writes CSV/Parquet, and JSON lines are assembled as Arrow
  strings. Per-event randomness in the web stream comes from a counter-based hash, so
  any slice of sessions can be expanded independently (bounded memory, parts of ~1M
  rows).
* The mess (typos, nicknames, formats, duplicates, bad rows) is applied per record with
  seeded codes, and the ground truth keeps the true person behind every record.

Batches: batch 1 is the initial full load (a quarter of the people are customers from
before 2023, so their records carry older created dates; all activity starts 2023-01-01),
batch 2 is 2025-07-01..09-30. ``shop.sqlite`` records its state in ``PRAGMA user_version``
(last batch applied) and ``application_id`` (fingerprint of seed and scale): batch 2 is
applied in place to a batch-1 database of the same demo, otherwise the batch-1 state is
written first, so the file is byte-identical whichever way it was produced.

CLI: ``python -m ingest.demo.generate --out data/demo --people 5000 --seed 42 --batch 1``

Parts, in the order the world is built: ``timeline`` (the time line and batch windows),
``vocabulary`` (word lists, cities, phone formats), ``arrays`` (numeric and string helpers),
``vocab_tables`` (name, street, city and phone variants), ``people``, ``records`` (the person
systems), ``mess`` (rendering a person as one system typed them in), ``products``,
``campaigns``, ``orders``, ``payments``, ``support``, ``web``, ``world`` (all of it from
``(seed, people)``), ``writing`` (one batch's exports) and ``entry`` (``generate`` and the CLI).
"""

from __future__ import annotations

from ingest.demo.generator.entry import generate, main
from ingest.demo.generator.vocabulary import COUNTRIES, COUNTRY_NAMES, NICKNAMES
from ingest.demo.generator.world import World, build_world

__all__ = ["COUNTRIES", "COUNTRY_NAMES", "NICKNAMES", "World", "build_world", "generate", "main"]
