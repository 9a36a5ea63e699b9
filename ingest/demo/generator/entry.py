"""Entry points: ``generate`` writes one batch of the demo company (every export, the ground
truth and the manifests) and ``main`` is the command line behind
``python -m ingest.demo.generate``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from ingest.demo.generator.arrays import _fmt_time
from ingest.demo.generator.timeline import BATCHES
from ingest.demo.generator.world import PEOPLE_PER_PART, build_parts, part_sizes
from ingest.demo.generator.writing import (
    Emit,
    _emit_campaigns,
    _emit_crm_a,
    _emit_crm_b,
    _emit_email,
    _emit_payments,
    _emit_shop,
    _emit_spend,
    _emit_tickets,
    _emit_web,
    _write_csv,
    shop_batch_1,
    shop_batch_1_rows,
    shop_holds_batch_1,
    shop_row_counts,
)


def _count_shop_batch_1(seed: int, people: int, people_per_part: int,
                        say: Callable[[str], None]) -> dict[str, int] | None:
    """Every part's batch-1 rows of the shop's numbered tables, which the shop numbers first: counted
    by building each part once more. None for a demo of one part, which counts its own as it goes."""
    if len(part_sizes(people, people_per_part)) == 1:
        return None
    totals: dict[str, int] = {}
    for w in build_parts(seed, people, people_per_part):
        for table, rows in shop_batch_1_rows(w).items():
            totals[table] = totals.get(table, 0) + rows
        del w
    say(f"[generate] the shop's batch-1 rows, counted part by part: {totals}")
    return totals


def _write_shop_batch_1(out_dir: Path, seed: int, people: int, people_per_part: int,
                        say: Callable[[str], None]) -> None:
    """The shop database as of batch 1, which batch 2 updates in place."""
    parts = len(part_sizes(people, people_per_part))
    batch_1_rows = _count_shop_batch_1(seed, people, people_per_part, say)
    before = Emit(out_dir, 1, seed=seed, people=people, parts=parts, log=say)
    for part, w in enumerate(build_parts(seed, people, people_per_part, say)):
        before.first, before.last = part == 0, part == parts - 1
        before.ids.shop_batch_1_total = batch_1_rows or shop_batch_1_rows(w)
        shop_batch_1(w, before)
        before.ids = before.ids.after(w)
        del w
    say("[generate] shop: batch 1 state written first")


def generate(out_dir: Path, people: int, seed: int = 42, batch: int = 1,
             log: Callable[[str], None] | None = None, people_per_part: int = PEOPLE_PER_PART) -> dict:
    """Write batch `batch` of the demo company for (`seed`, `people`) under `out_dir`, `people_per_part`
    people at a time (the demo depends on it: keep the default to get the same files).

    Returns the manifest (also in out_dir/manifest.json; per batch in manifest_000B.json)."""
    if batch not in BATCHES:
        raise ValueError(f"batch must be one of {BATCHES}, not {batch}")
    if people < 50 or min(part_sizes(people, people_per_part)) < 50:
        raise ValueError("people (and people per part) must be at least 50")
    say = log or (lambda s: print(s, flush=True))
    out_dir = Path(out_dir)
    started = time.perf_counter()
    parts = len(part_sizes(people, people_per_part))
    if batch == 2 and not shop_holds_batch_1(out_dir, seed, people, parts):  # missing, another demo, or at batch 2
        _write_shop_batch_1(out_dir, seed, people, people_per_part, say)
    em = Emit(out_dir, batch, seed=seed, people=people, parts=parts, log=say)
    batch_1_rows = shop_row_counts(out_dir) if batch == 2 else _count_shop_batch_1(seed, people, people_per_part, say)
    gt_rel = f"ground_truth/person_records_{batch:04d}.csv"
    (out_dir / "ground_truth").mkdir(parents=True, exist_ok=True)
    gt_rows = 0
    for part, w in enumerate(build_parts(seed, people, people_per_part, say)):
        em.first, em.last = part == 0, part == parts - 1
        em.ids.shop_batch_1_total = batch_1_rows or shop_batch_1_rows(w)
        for step in (_emit_crm_a, _emit_crm_b, _emit_shop, _emit_payments, _emit_tickets, _emit_email, _emit_web):
            step(w, em)
        t0 = time.perf_counter()
        gt = pa.concat_tables(em.gt)
        _write_csv(out_dir / gt_rel, gt, mode=em.mode)
        gt_rows += gt.num_rows
        em.gt.clear()
        say(f"[generate] {gt_rel}: {gt.num_rows:,} rows in {time.perf_counter() - t0:.1f}s")
        em.ids = em.ids.after(w)
        campaigns = w.campaigns
        del w, gt  # before the next part is built
    for company_step in (_emit_campaigns, _emit_spend):
        company_step(campaigns, em)
    manifest = {
        "seed": seed, "people": people, "parts": parts, "batch": batch,
        "window": {"start": _fmt_time(np.array([em.start]), "%Y-%m-%dT%H:%M:%SZ")[0].as_py(),
                   "end": _fmt_time(np.array([em.end]), "%Y-%m-%dT%H:%M:%SZ")[0].as_py()},
        "files": dict(sorted(em.files.items())),
        "shop_tables": em.tables,
        "ground_truth": {gt_rel: gt_rows},
        "stats": {k: round(v, 4) for k, v in sorted(em.stats.items())},
    }
    (out_dir / f"manifest_{batch:04d}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    batches = {}
    for b in BATCHES:
        p = out_dir / f"manifest_{b:04d}.json"
        if p.exists():
            m = json.loads(p.read_text())
            if (m.get("seed"), m.get("people"), m.get("parts", 1)) == (seed, people, parts):
                batches[str(b)] = {k: m[k] for k in ("files", "shop_tables", "ground_truth")}
    (out_dir / "manifest.json").write_text(json.dumps({**manifest, "batches": batches}, indent=2) + "\n")
    total = sum(em.files.values())
    say(f"[generate] done: batch {batch} of {people:,} people (seed {seed}): {len(em.files)} files, "
        f"{total:,} rows, {gt_rows:,} ground-truth records in {time.perf_counter() - started:.1f}s -> {out_dir}")
    return manifest


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Generate the Northwind Outfitters demo exports (see FORMATS.md).")
    ap.add_argument("--out", type=Path, default=Path("data/demo"))
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch", type=int, default=1, choices=BATCHES)
    ap.add_argument("--people-per-part", type=int, default=PEOPLE_PER_PART,
                    help="people held in memory at a time (changes the demo: keep it for the same files)")
    args = ap.parse_args(argv)
    generate(args.out, people=args.people, seed=args.seed, batch=args.batch, people_per_part=args.people_per_part)


if __name__ == "__main__":
    main()
