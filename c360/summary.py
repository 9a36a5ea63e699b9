"""The summary printed at the end of `make run`: what each layer holds and where to look next."""

from __future__ import annotations

import sys

import duckdb

from ingest.settings import PROJECT_ROOT, warehouse_path

LAYERS = (("bronze", "raw_%"), ("silver", "staging"), ("identity", "intermediate"), ("gold", "marts"))


def layer_counts(con: duckdb.DuckDBPyConnection, pattern: str) -> list[tuple[str, str, int]]:
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like ? and table_name not like '\\_dlt%' escape '\\' "
        "and table_type = 'BASE TABLE' order by 1, 2",
        [pattern],
    ).fetchall()
    return [(schema, table, con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0])
            for schema, table in tables]


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? "
                            "and table_name = ?", [schema, table]).fetchall()[0][0])


# What each kind of activity feeds in the gold layer, and the fact table that holds it.
ACTIVITY = (
    ("orders", "fct_orders", "revenue, CLV and churn risk, RFM segments, KPIs"),
    ("payments", "fct_payments", "payment methods and failed payments"),
    ("support tickets", "fct_support_tickets", "support history"),
    ("web and app sessions", "fct_web_sessions", "web behaviour and acquisition channels"),
    ("e-mail events", "fct_email_events", "campaign engagement and attribution"),
)


def print_gold(con: duckdb.DuckDBPyConnection) -> None:
    as_of, customers, buyers, revenue, clv, scored, repeat = con.execute(
        "select max(as_of_date), count(*), count(*) filter (where order_count > 0), sum(total_spend), "
        "sum(predicted_clv), count(predicted_clv), count(*) filter (where order_count > 1) from marts.gold_cust_360"
    ).fetchall()[0]
    money = f", revenue {revenue or 0:,.0f} GBP" if buyers else ""
    if scored:
        money += f", predicted CLV {clv:,.0f} GBP (clv_horizon_months ahead)"
    print(f"\n  gold (as of {as_of}): {customers:,} customers, {buyers:,} with orders{money}")
    missing = [(kind, feeds) for kind, table, feeds in ACTIVITY
               if con.execute(f"select count(*) from marts.{table}").fetchall()[0][0] == 0]
    for kind, feeds in missing:
        print(f"    no {kind} in this configuration: {feeds} not computed (left empty, not zero)")
    if buyers:
        segments = con.execute(
            "select rfm_segment, count(*) from marts.gold_cust_360 where order_count > 0 "
            "group by 1 order by 2 desc, 1 limit 5").fetchall()
        print("    largest RFM segments: " + ", ".join(f"{name} {count:,}" for name, count in segments))
    checks = dict(con.execute("select metric, model from marts.clv_holdout_metrics").fetchall())
    if checks:
        print(f"    CLV holdout: predicted {checks['holdout_purchases_predicted']:,.0f} vs actual "
              f"{checks['holdout_purchases_actual']:,.0f} purchases, churn AUC {checks['churn_auc']:.3f}")
    if buyers and not scored:
        print(f"    predicted CLV and churn risk left empty: the CLV model could not be fitted on this history "
              f"({buyers:,} buyers, {repeat:,} with a repeat order)")
    print("    details: marts.gold_cust_360, marts.kpi_monthly, marts.campaign_performance")


def has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.columns where table_schema = ? "
                            "and table_name = ? and column_name = ?", [schema, table, column]).fetchall()[0][0])


def main() -> int:
    warehouse = warehouse_path()
    if not warehouse.exists():
        print(f"No warehouse at {warehouse} yet: run `make run` first.")
        return 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        print_summary(con, f"Customer 360 warehouse: {warehouse}")
    return 0


def print_summary(con: duckdb.DuckDBPyConnection, title: str, next_steps: bool = True) -> None:
    """The summary of the warehouse `con` reads (DuckDB's, or Spark's tables copied in by c360.spark)."""
    print(f"\n{title}")
    for layer, pattern in LAYERS:
        counts = layer_counts(con, pattern)
        views = con.execute("select count(*) from information_schema.tables where table_schema like ? "
                            "and table_type = 'VIEW'", [pattern]).fetchall()[0][0]
        total = sum(rows for *_, rows in counts)
        print(f"  {layer:<9} {pattern.replace('%', '*'):<13} {len(counts):>3} tables {views:>3} views "
              f"{total:>12,} rows in tables")
    bronze: dict[str, int] = {}
    for schema, _table, rows in layer_counts(con, "raw_%"):
        if schema != "raw_ingest":
            bronze[schema.removeprefix("raw_")] = bronze.get(schema.removeprefix("raw_"), 0) + rows
    quarantined = dict(con.execute(
        "select source_system, count(*) from raw_ingest.quarantine group by all").fetchall())
    warnings = "string_agg(warnings, chr(10))" if has_column(con, "raw_ingest", "source_runs", "warnings") \
        else "null"
    last_run = {row[0]: row[1:] for row in con.execute(
        f"select source_system, status, sum(rows_read), max(error), {warnings} from raw_ingest.source_runs "
        "where run_id = (select max(run_id) from raw_ingest.source_runs) group by all").fetchall()}
    systems = sorted(set(bronze) | set(last_run))
    width = max([16, *(len(system) + 2 for system in systems)])
    print(f"\n  {'source system':<{width}}{'last run':<10}{'read then':>11}{'bronze rows':>13}{'quarantined':>13}")
    for system in systems:
        status, read, error, _ = last_run.get(system, ("-", 0, None, None))
        note = f"  <- {error}" if status not in ("ok", "-") else ""
        print(f"  {system:<{width}}{status:<10}{read:>11,}{bronze.get(system, 0):>13,}"
              f"{quarantined.get(system, 0):>13,}{note}")
    read_notes = [(system, note) for system, (*_, notes) in sorted(last_run.items()) if notes
                  for note in notes.splitlines()]
    if read_notes:
        print("\n  how files were read (last run; raw_ingest.source_runs.warnings):")
        for system, note in read_notes[:12]:
            print(f"    {system}: {note}")
    if has_table(con, "staging", "stg_person_files__reconciliation"):
        for system, records, superseded, quarantined_rows, issues in con.execute(
                "select source_system, records, superseded_rows, quarantined_rows, records_with_data_issues "
                "from staging.stg_person_files__reconciliation order by 1").fetchall():
            print(f"  {system}: {records:,} records + {superseded:,} superseded versions + "
                  f"{quarantined_rows:,} quarantined rows; {issues:,} records with a value that did not read "
                  "(data_issues)")
    reasons = con.execute(
        "select source_system || '.' || source_table, regexp_extract(reason, '^[^:(]*'), count(*) "
        "from raw_ingest.quarantine group by all order by 3 desc limit 8"
    ).fetchall()
    if reasons:
        print("\n  quarantined rows by reason (all runs; details in raw_ingest.quarantine):")
        for table, reason, rows in reasons:
            print(f"    {table:<24} {reason:<28} {rows:>7,}")
    if has_table(con, "marts", "customer_identity_map"):
        records, customers, largest, confident = con.execute(
            "select sum(records), count(*), max(records), sum(confident) / sum(records) from ("
            "select count(*) as records, sum((match_confidence >= 0.99)::int) as confident "
            "from marts.customer_identity_map group by customer_id)"
        ).fetchall()[0]
        print(f"\n  identity: {records:,} person records -> {customers:,} customers "
              f"(largest has {largest} records; {confident:.1%} of records matched with confidence >= 0.99)")
        print("    details: marts.customer_identity_map, marts.dim_customers, marts.customer_match_evidence; "
              "accuracy: make eval (TRUTH=labelled.csv for your own data)")
    example = "raw_ingest.source_runs"
    if has_table(con, "marts", "gold_cust_360"):
        example = "marts.gold_cust_360"
        print_gold(con)
    if not next_steps:
        return
    docs = PROJECT_ROOT / "target" / "static_index.html"
    print("\nWhere to look next:")
    if docs.exists():
        print(f"  docs and lineage: {docs} (open in a browser; works offline)")
    roles = sorted(path.stem for path in (warehouse_path().parent / "roles").glob("*.duckdb"))
    if roles:
        print(f"  role files:       {warehouse_path().parent / 'roles'}/<role>.duckdb ({', '.join(roles)}): PII masked "
              "per config/roles.yml; make sql and make dashboard read ROLE's file (default: the least privileged)")
    print("  dashboard:        make dashboard, then http://127.0.0.1:8501")
    print("  bronze tables:    raw_<system>.* (make sql ROLE=warehouse) ; quarantine: raw_ingest.quarantine ; "
          "runs: raw_ingest.source_runs")
    print(f'  query with SQL:   make sql Q="select * from {example} limit 5"   (or make sql for a prompt)')
    print("  erase a person:   make erase EMAIL=... (or PHONE=, CUSTOMER=, RECORD=system:id): shows what goes, asks")
    if (warehouse_path().parent / "serving" / "index.duckdb").exists():
        print("  real time:        make serve, then POST a person record to http://127.0.0.1:8600/resolve ; "
              "GET /customers/<customer_id>")
    print("  decisions:        DECISIONLOG.md ; source formats: ingest/demo/FORMATS.md")


if __name__ == "__main__":
    sys.exit(main())
