"""The real-time service at scale: publish time, agreement with the batch, resolve and lookup latency,
and a bounded load test, all over HTTP on 127.0.0.1.

    python -m bench.serving --people 1000000     (make bench runs it after bench.gold, on the same build)

Uses the demo cached by bench.identity (data/bench/people_N/), builds it if no build is there,
publishes the serving index, then measures (targets from issue 15 beside each figure):
- agreement: records resolved with their own profile left out of the index, against the batch;
- resolve: one client, one record per request, p50 / p95 (target p95 <= 50 ms);
- lookup: GET /customers/<id>, p50 / p95 (target p95 <= 20 ms);
- load: 50 concurrent clients, p50 / p95, requests per second and errors (target: no errors).
Writes data/bench/people_N/serving.json.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from bench.identity import DBT, ingested_warehouse
from bench.ingest import run_child
from bench.privacy import built
from ingest.settings import PROJECT_ROOT

TARGETS = {"resolve_p95_ms": 50, "lookup_p95_ms": 20, "agreement": 0.995}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


def timed_call(url: str, body: dict | None = None) -> tuple[float, int]:
    data = None if body is None else json.dumps(body).encode()
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return 1000 * (time.perf_counter() - started), status


def sample_records(warehouse: Path, count: int) -> tuple[list[dict], list[str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(f"""
            select first_name, last_name, email, phone_e164, cast(date_of_birth as varchar), postcode,
                country_code
            from intermediate.int_person_records_unioned using sample reservoir({count} rows) repeatable (7)
        """).fetchall()
        customers = [row[0] for row in con.execute(
            f"select customer_id from marts.gold_cust_360 using sample reservoir({count} rows) repeatable (7)"
        ).fetchall()]
    fields = ("first_name", "last_name", "email", "phone", "date_of_birth", "postcode", "country")
    records = [{key: value for key, value in zip(fields, row, strict=True) if value is not None} for row in rows]
    return records, customers


def measure(people: int, out_root: Path, requests: int, clients: int) -> dict:
    from c360.serve import serve
    from c360.serving import Resolver, agreement, publish

    out, warehouse, env, target = ingested_warehouse(people, out_root)
    os.environ["C360_DUCKDB_PATH"] = str(warehouse)
    figures: dict = {"people": people, "targets": TARGETS}
    if not built(warehouse):
        code, seconds, _ = run_child([str(DBT), "build", "--quiet", "--full-refresh", *target], env)
        if code:
            raise SystemExit(f"dbt build failed for {people:,} people (logs: {out / 'logs'})")
        figures["build_seconds"] = round(seconds, 1)
    elif (out / "serving.json").exists():
        # kept for bench.incremental, which otherwise times a full build again in place (twice the disk)
        earlier = json.loads((out / "serving.json").read_text()).get("build_seconds")
        if earlier is not None:
            figures["build_seconds"] = earlier
    published = publish(warehouse, target=out / "target")
    figures["publish"] = {key: published[key] for key in ("profiles", "block_keys", "customers", "seconds")}
    print(f"  published {published['profiles']:,} profiles in {published['seconds']} s", flush=True)
    resolver = Resolver()
    checked = agreement(resolver, warehouse, sample=2000)
    resolver.close()
    figures["agreement"] = {"records": checked["records"], "agreement": checked["agreement"],
                            "seconds": checked["seconds"]}
    print(f"  agreement {checked['agreement']} on {checked['records']:,} records left out", flush=True)

    server = serve(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    records, customers = sample_records(warehouse, requests)
    timed_call(f"{url}/resolve", records[0])  # the worker's first query registers its functions
    resolve = [timed_call(f"{url}/resolve", record) for record in records[:200]]
    lookup = [timed_call(f"{url}/customers/{customer}") for customer in customers[:500]]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        load = list(pool.map(lambda record: timed_call(f"{url}/resolve", record), records))
    load_seconds = time.perf_counter() - started
    server.shutdown()
    for name, timings in (("resolve_one_client", resolve), ("lookup_one_client", lookup),
                          (f"resolve_{clients}_clients", load)):
        latencies = [ms for ms, _ in timings]
        figures[name] = {"requests": len(timings), "p50_ms": percentile(latencies, 0.5),
                         "p95_ms": percentile(latencies, 0.95),
                         "errors": sum(1 for _, status in timings if status != 200)}
    figures[f"resolve_{clients}_clients"]["requests_per_second"] = round(len(load) / load_seconds, 1)
    figures["ratios_to_target"] = {
        "resolve_p95": round(figures["resolve_one_client"]["p95_ms"] / TARGETS["resolve_p95_ms"], 2),
        "lookup_p95": round(figures["lookup_one_client"]["p95_ms"] / TARGETS["lookup_p95_ms"], 2)}
    (out / "serving.json").write_text(json.dumps(figures, indent=2))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000, help="records sent in the load test")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "bench")
    args = parser.parse_args()
    print(json.dumps(measure(args.people, args.out, args.requests, args.clients), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
