"""The project on Apache Spark (local mode, a real session): what already runs on both engines
gives the same answers on each."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from conftest import run_ingest, write_config

from c360.udfs import register as register_on_duckdb
from ingest.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """One local Spark session for the module (a JVM per process: its settings are fixed once made)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("C360_SPARK_DIR", str(tmp_path_factory.mktemp("spark")))
        from c360.spark import session

        spark = session()
        yield spark
        spark.stop()


def febrl_names() -> list[str | None]:
    with (PROJECT_ROOT / "tests" / "fixtures" / "febrl" / "febrl1.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return sorted({row[column] or None for row in rows for column in ("given_name", "surname")},
                  key=lambda value: value or "")


PHONES = [("07700 900123", "GB"), ("+44 20 7946 0958", None), ("020 7946 0958", "GB"), ("(212) 555-0100", "US"),
          ("0151 496 0000", "DE,GB"), ("+49 30 901820", "GB"), ("030 901820", "DE"), ("12", "GB"), ("", "GB"),
          (None, "GB"), ("+1 202-555-0143", "US"), ("0046 8 123 456 78", "SE"), ("08-123 456 78", "SE")]


def test_the_python_udfs_answer_on_spark_as_on_duckdb(spark):
    names = febrl_names()
    pairs = list(zip(names, reversed(names), strict=True))
    with duckdb.connect() as con:
        register_on_duckdb(con)
        con.execute("create table names (name varchar)")
        con.executemany("insert into names values (?)", [[name] for name in names])
        con.execute("create table pairs (a varchar, b varchar)")
        con.executemany("insert into pairs values (?, ?)", [list(pair) for pair in pairs])
        con.execute("create table phones (raw varchar, regions varchar)")
        con.executemany("insert into phones values (?, ?)", [list(phone) for phone in PHONES])
        keys_sql = "select name, metaphone(name), nysiis(name), soundex(name) from names order by name nulls first"
        pairs_sql = "select a, b, jellyfish_jaro_winkler(a, b) from pairs order by a nulls first, b nulls first"
        phones_sql = "select raw, regions, phone_e164(raw, regions) from phones order by raw nulls first, regions"
        on_duckdb = [con.execute(sql).fetchall() for sql in (keys_sql, pairs_sql, phones_sql)]
    spark.createDataFrame([(name,) for name in names], "name string").createOrReplaceTempView("names")
    spark.createDataFrame(pairs, "a string, b string").createOrReplaceTempView("pairs")
    spark.createDataFrame(PHONES, "raw string, regions string").createOrReplaceTempView("phones")
    on_spark = [[tuple(row) for row in spark.sql(sql).collect()] for sql in (keys_sql, pairs_sql, phones_sql)]
    assert len(on_duckdb[0]) > 700  # every distinct FEBRL1 given name and surname
    assert sum(e164 is not None for *_, e164 in on_duckdb[2]) >= 6  # the phones exercise real parsing
    assert on_spark == on_duckdb


@pytest.fixture(scope="module")
def example_bronze(spark, tmp_path_factory):
    """The example shop's exports landed twice, into a DuckDB warehouse and as Parquet through dlt's
    filesystem destination (the lake registered on the Spark session)."""
    from c360.spark import register_bronze

    root = tmp_path_factory.mktemp("example_bronze")
    config = PROJECT_ROOT / "examples" / "shop_platform" / "config.yml"
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert all(run.status == "ok" for run in run_ingest(config, root / "warehouse.duckdb", monkeypatch))
        monkeypatch.setenv("C360_BRONZE", "parquet")
        monkeypatch.setenv("C360_LAKE_DIR", str(root / "lake"))
        assert all(run.status == "ok" for run in run_ingest(config, root / "unused.duckdb", monkeypatch))
        registered = register_bronze(spark, root / "lake")
    return {"root": root, "warehouse": root / "warehouse.duckdb", "config": config, "registered": registered}


def test_bronze_lands_as_parquet_and_spark_reads_what_duckdb_has(spark, example_bronze):
    assert not (example_bronze["root"] / "unused.duckdb").exists()  # Parquet bronze needs no warehouse file
    with duckdb.connect(str(example_bronze["warehouse"]), read_only=True) as con:
        on_duckdb = {f"{schema}.{table}": con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
                     for schema, table in con.execute(
                         "select table_schema, table_name from information_schema.tables "
                         "where table_schema like 'raw_%' and table_name not like '\\_dlt%' escape '\\'").fetchall()}
        payments = sorted(con.execute("select payment_id, amount from raw_stripe.payments").fetchall())
    on_spark = {name: spark.sql(f"select count(*) from {name}").collect()[0][0]
                for name in example_bronze["registered"]}
    assert {name: rows for name, rows in on_duckdb.items() if rows} == on_spark
    assert "raw_ingest.source_runs" in on_spark and "raw_shopify.orders" in on_spark
    landed = spark.sql("select payment_id, amount from raw_stripe.payments").collect()
    assert sorted(tuple(row) for row in landed) == payments  # decimals as decimals


@pytest.fixture(scope="module")
def demo_on_spark(spark, built_warehouse, demo_template, tmp_path_factory):
    """The test demo landed as Parquet and built on Spark, every layer with its tests (the DuckDB
    build of the same demo is conftest's built_warehouse)."""
    from c360.spark import run_dbt as run_dbt_on_spark

    root = tmp_path_factory.mktemp("demo_spark")
    shutil.copytree(demo_template, root / "demo")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("C360_BRONZE", "parquet")
        monkeypatch.setenv("C360_LAKE_DIR", str(root / "lake"))
        runs = run_ingest(write_config(root / "run.yml", root / "demo"), root / "unused.duckdb", monkeypatch)
        assert all(run.status == "ok" for run in runs)
        assert run_dbt_on_spark(["build", "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
                                spark)
    return built_warehouse[0]


def one(spark, sql: str):
    return spark.sql(sql).collect()[0][0]


def test_the_seeds_load_on_spark(spark, demo_on_spark):
    for seed in sorted((PROJECT_ROOT / "seeds").glob("*.csv")):
        with seed.open(newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1
        assert one(spark, f"select count(*) from staging.{seed.stem}") == rows, seed.name
    # a value with an apostrophe, which dbt-spark's own seed insert could not write
    assert one(spark, "select country_code from staging.country_codes where country_name = 'cote d' || chr(39) || "
                      "'ivoire'") == "CI"


def test_every_layer_gives_the_same_answers_on_spark_as_on_duckdb(spark, demo_on_spark):
    """Every mart has the same rows on both engines, the key figures agree and the identity maps
    put at least 99.9% of records with the same customer."""
    with duckdb.connect(str(demo_on_spark), read_only=True) as con:
        def on_duckdb(sql: str) -> list[tuple]:
            return sorted(con.execute(sql).fetchall())

        for schema in ("staging", "intermediate", "marts"):  # views too: Spark runs a view's SQL when read
            relations = [table for (table,) in on_duckdb(
                f"select table_name from information_schema.tables where table_schema = '{schema}'")]
            assert sorted(row.tableName for row in spark.sql(f"show tables in {schema}").collect()
                          if not row.isTemporary) == relations
            for table in relations:
                assert one(spark, f"select count(*) from {schema}.{table}") == \
                    on_duckdb(f"select count(*) from {schema}.{table}")[0][0], f"{schema}.{table}"
        figures = [
            "select sum(revenue_reporting), count(*), count(distinct customer_id) from marts.fct_orders",
            "select count(*), sum(total_spend), sum(order_count) from marts.gold_cust_360",
            "select rfm_segment, count(*) from marts.gold_cust_360 group by rfm_segment",
            "select value_tier, count(*) from marts.gold_cust_360 group by value_tier",
            "select behavioural_segment, count(*) from marts.gold_cust_360 group by behavioural_segment",
            "select month_start, revenue, active_customers, new_customers, lapsed_customers from marts.kpi_monthly",
            "select campaign_id, conversions, attributed_revenue from marts.campaign_performance",
        ]
        for sql in figures:
            assert sorted(tuple(row) for row in spark.sql(sql).collect()) == on_duckdb(sql), sql
        clv = "select round(sum(predicted_clv), 2), round(avg(churn_risk), 4) from marts.gold_cust_360"
        assert tuple(spark.sql(clv).collect()[0]) == pytest.approx(on_duckdb(clv)[0], rel=1e-6)
        duckdb_map = dict(on_duckdb("select person_record_id, customer_id from marts.customer_identity_map"))
    spark_map = {row[0]: row[1] for row in spark.sql(
        "select person_record_id, customer_id from marts.customer_identity_map").collect()}
    assert spark_map.keys() == duckdb_map.keys()
    agreement = sum(spark_map[record] == customer for record, customer in duckdb_map.items()) / len(duckdb_map)
    assert len(duckdb_map) > 1000 and agreement >= 0.999


def test_the_run_summary_reads_what_spark_built(spark, demo_on_spark, capsys):
    from c360.spark import print_summary

    print_summary(spark)
    printed = capsys.readouterr().out
    records = one(spark, "select count(*) from marts.customer_identity_map")
    customers = one(spark, "select count(distinct customer_id) from marts.customer_identity_map")
    assert f"identity: {records:,} person records -> {customers:,} customers" in printed
    assert f"{one(spark, 'select count(*) from marts.gold_cust_360'):,} customers" in printed
    assert "python -m c360.spark sql" in printed
