"""Command line entry point of the demo generator; the code lives in ``ingest.demo.generator``.

``python -m ingest.demo.generate --out data/demo --people 5000 --seed 42 --batch 1`` writes one
batch; ``from ingest.demo.generate import generate`` (and ``COUNTRIES``, ``COUNTRY_NAMES``,
``NICKNAMES``) keeps working for the code that imported them from here.
"""

from __future__ import annotations

from ingest.demo.generator import COUNTRIES, COUNTRY_NAMES, NICKNAMES, World, build_world, generate, main

__all__ = ["COUNTRIES", "COUNTRY_NAMES", "NICKNAMES", "World", "build_world", "generate", "main"]

if __name__ == "__main__":
    main()
