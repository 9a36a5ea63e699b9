"""The project on Apache Spark (local mode, a real session): what already runs on both engines
gives the same answers on each."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest
from conftest import run_dbt, run_ingest

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


def test_seeds_load_and_pass_their_tests_on_spark(spark, tmp_path):
    from c360.spark import run_dbt

    assert run_dbt(["build", "--select", "resource_type:seed", "--target-path", str(tmp_path / "target"),
                    "--log-path", str(tmp_path / "logs")], spark)
    for seed in sorted((PROJECT_ROOT / "seeds").glob("*.csv")):
        with seed.open(newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1
        assert spark.sql(f"select count(*) from staging.{seed.stem}").collect()[0][0] == rows, seed.name
    # a value with an apostrophe, which dbt-spark's own seed insert could not write
    assert spark.sql("select country_code from staging.country_codes where country_name = 'cote d\\'ivoire'"
                     ).collect()[0][0] == "CI"


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


def test_the_activity_contracts_build_on_spark_as_on_duckdb(spark, example_bronze, monkeypatch):
    """Orders, lines, products, payments, refunds, tickets, web and e-mail events and spend from the
    example's exports, through the same staging models on both engines: the same rows."""
    from c360.spark import run_dbt as run_dbt_on_spark
    from ingest.config import dbt_vars, load_config

    config = load_config(example_bronze["config"])
    # the models and their own tests (not a test that also needs a model outside the selection)
    selection = ["--select", "+path:models/staging/activity", "--indirect-selection", "cautious",
                 "--vars", json.dumps(dbt_vars(config))]
    root = example_bronze["root"]
    built = run_dbt(["build", *selection[:4]], example_bronze["warehouse"], root / "duckdb", dbt_vars(config))
    assert built.returncode == 0, built.stdout[-3000:]
    monkeypatch.setenv("C360_LAKE_DIR", str(root / "lake"))
    assert run_dbt_on_spark(["build", *selection, "--target-path", str(root / "spark" / "target"),
                             "--log-path", str(root / "spark" / "logs")], spark)
    models = sorted(path.stem for path in (PROJECT_ROOT / "models" / "staging" / "activity").glob("*.sql"))
    with duckdb.connect(str(example_bronze["warehouse"]), read_only=True) as con:
        for model in models:
            on_duckdb = con.execute(f"select count(*), count(distinct source_system) from staging.{model}").fetchone()
            on_spark = tuple(spark.sql(f"select count(*), count(distinct source_system) from staging.{model}")
                             .collect()[0])
            assert on_spark == on_duckdb, model
        revenue = con.execute("select sum(total_amount) from staging.stg_activity__orders").fetchone()[0]
    on_spark = spark.sql("select sum(total_amount) from staging.stg_activity__orders").collect()[0][0]
    assert revenue and on_spark == revenue
