"""Privacy at scale: publishing the role files, erasing one person, compacting the warehouse.

    python -m bench.privacy --people 100000 --compact-people 1000000   (make bench runs this)

Erasure runs on the demo at `--people` (cached by bench.identity in OUT/people_N, built here if it
is not yet): the role files are published, then the customer with the most person records is
erased (`c360.erase.erase`, the code `make erase` runs), timed by step. Compaction (the step that
copies the warehouse into a fresh file) is timed alone on the warehouse bench.gold built at
`--compact-people`, if it is there. Writes OUT/people_N/privacy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

import duckdb

from bench.identity import DBT, ingested_warehouse
from bench.ingest import run_child
from ingest.settings import PROJECT_ROOT


def built(warehouse: Path) -> bool:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return bool(con.execute("select count(*) from information_schema.tables where table_schema = 'marts' "
                                "and table_name = 'gold_cust_360'").fetchall()[0][0])


def most_linked_email(warehouse: Path) -> tuple[str, int]:
    """An e-mail of the customer with the most person records (and no e-mail shared with others)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("""
            with records as (
                select identity.customer_id, lower(people.email) as email
                from marts.customer_identity_map as identity
                join intermediate.int_person_records_unioned as people using (person_record_id)
            ),
            shared as (select email from records where email is not null group by 1
                       having count(distinct customer_id) > 1)
            select max(email), count(*) from records group by customer_id
            having max(email) is not null and count(*) filter (where email in (select email from shared)) = 0
            order by count(*) desc, customer_id limit 1""").fetchall()[0]


def erase_at(people: int, out_root: Path) -> dict:
    from c360.erase import erase
    from c360.roles import publish

    out, warehouse, env, target = ingested_warehouse(people, out_root)
    os.environ["C360_DUCKDB_PATH"] = str(warehouse)
    figures: dict = {"people": people}
    if not built(warehouse):
        code, seconds, peak = run_child([str(DBT), "build", "--quiet", "--full-refresh", *target], env)
        if code:
            raise SystemExit(f"dbt build failed for {people:,} people (logs: {out / 'logs'})")
        figures["build_seconds"] = round(seconds, 1)
    started = time.perf_counter()
    publish(out / "target" / "manifest.json")
    figures["publish_seconds"] = round(time.perf_counter() - started, 1)
    email, records = most_linked_email(warehouse)
    figures["person_records"] = records
    size_before = warehouse.stat().st_size
    entry = erase("email", email, out / "bench.yml", f"bench-{people}", confirm=lambda preview: True,
                  dbt_args=target)
    figures.update({key: entry[key] for key in ("seconds", "rebuild_seconds", "compact_seconds", "bronze_rows",
                                                "verified")})
    figures["warehouse_mb_before_after"] = [round(size_before / 2**20), round(warehouse.stat().st_size / 2**20)]
    figures["peak_rss_mb_self_and_dbt"] = round(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    (out / "privacy.json").write_text(json.dumps(figures, indent=2))
    return figures


def compaction_at(people: int, out_root: Path) -> dict | None:
    from c360.erase import compact

    warehouse = out_root / f"people_{people}" / "warehouse.duckdb"
    if not warehouse.exists():
        return None
    size_before = warehouse.stat().st_size
    seconds = compact(warehouse)
    return {"people": people, "compact_seconds": round(seconds, 1),
            "warehouse_mb_before_after": [round(size_before / 2**20), round(warehouse.stat().st_size / 2**20)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="erase one person at this scale")
    parser.add_argument("--compact-people", type=int, default=1_000_000, help="time compaction at this scale")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    erased = erase_at(args.people, args.out)
    print(f"erase at {args.people:,} people ({erased['person_records']} person records): {erased['seconds']:.1f}s "
          f"(rebuild {erased['rebuild_seconds']:.1f}s, compaction {erased['compact_seconds']:.1f}s), role files "
          f"published in {erased['publish_seconds']:.1f}s, verified: {erased['verified']}", flush=True)
    compacted = compaction_at(args.compact_people, args.out)
    if compacted is None:
        print(f"compaction at {args.compact_people:,} people: no warehouse there (bench.gold builds it)")
    else:
        before, after = compacted["warehouse_mb_before_after"]
        print(f"compaction at {args.compact_people:,} people: {compacted['compact_seconds']:.1f}s "
              f"({before:,} MB -> {after:,} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
