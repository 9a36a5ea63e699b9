"""The shipped example: a web shop's own Shopify, Stripe, Zendesk, Meta Ads, Mailchimp and Segment
exports, demo off, built through every layer. Figures are traced back to the export files, read
here independently."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal

import duckdb
import pytest
from conftest import run_dbt, run_ingest

from ingest.config import dbt_vars, load_config
from ingest.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "shop_platform"


def rows_of(name: str) -> list[dict]:
    with (EXAMPLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def lines_of(name: str) -> list[dict]:
    return [json.loads(line) for line in (EXAMPLE / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def example_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE, root / "shop_platform")
    config_path = root / "shop_platform" / "config.yml"
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        runs = run_ingest(config_path, warehouse, monkeypatch)
    assert [(run.system, run.status) for run in runs] == [
        ("shopify_customers", "ok"), ("shopify", "ok"), ("shopify_products", "ok"), ("stripe", "ok"),
        ("stripe_refunds", "ok"), ("zendesk", "ok"),
        ("meta_ads", "ok"), ("mailchimp", "ok"), ("mailchimp_unsubscribed", "ok"),
        ("mailchimp_campaigns", "ok"), ("segment", "ok"), ("mailchimp_activity", "ok")]
    build = run_dbt(["build"], warehouse, root, dbt_vars(load_config(config_path)))
    assert build.returncode == 0, build.stdout[-4000:]
    return warehouse


def query(warehouse, sql):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_export_row_is_accounted_for(example_warehouse):
    order_rows = rows_of("shopify_orders_export.csv")
    loaded = dict(query(example_warehouse, """
        select 'orders', count(*) from raw_shopify.orders union all
        select 'order_lines', count(*) from raw_shopify.order_lines union all
        select 'payments', count(*) from raw_stripe.payments union all
        select 'tickets', count(*) from raw_zendesk.support_tickets union all
        select 'products', count(*) from raw_shopify_products.products union all
        select 'refunds', count(*) from raw_stripe_refunds.refunds union all
        select 'spend', count(*) from raw_meta_ads.marketing_spend union all
        select 'web_events', count(*) from raw_segment.web_events union all
        select 'email_events', count(*) from raw_mailchimp_activity.email_events union all
        select 'quarantined', count(*) from raw_ingest.quarantine"""))
    # a Shopify order spans its line items' rows: one order per Name, one line per row
    assert loaded == {"orders": len({row["Name"] for row in order_rows}), "order_lines": len(order_rows),
                      "payments": len(rows_of("stripe_payments.csv")),
                      "tickets": len(rows_of("zendesk_tickets.csv")),
                      "products": len(rows_of("shopify_products_export.csv")),
                      "refunds": len(rows_of("stripe_refunds.csv")),
                      "spend": len(rows_of("meta_ads_spend.csv")),
                      # Segment delivers at least once: a message archived twice is one event
                      "web_events": len({line["messageId"] for line in lines_of("segment_tracks.jsonl")}),
                      "email_events": len(lines_of("mailchimp_email_activity.jsonl")), "quarantined": 0}


def test_revenue_traces_back_to_the_order_export(example_warehouse):
    rates = {row["currency"]: Decimal(row["rate_to_reporting"]) for row in
             csv.DictReader((PROJECT_ROOT / "seeds" / "fx_rates.csv").open())}
    expected = Decimal(0)
    for row in rows_of("shopify_orders_export.csv"):
        if row["Financial Status"] and row["Financial Status"] != "voided":  # an order's first row
            amount = Decimal(row["Subtotal"]) + Decimal(row["Shipping"])
            expected += (amount * rates[row["Currency"]]).quantize(Decimal("0.01"))
    ((revenue, gold_spend),) = query(example_warehouse, """
        select (select sum(revenue_reporting) from marts.fct_orders),
               (select sum(total_spend) from marts.gold_cust_360)""")
    assert revenue == expected
    assert gold_spend == expected  # no refunds in total_spend: gross, like the order export
    refunded = sum((Decimal(row["Amount"]) * rates[row["Currency"].upper()]).quantize(Decimal("0.01"))
                   for row in rows_of("stripe_refunds.csv"))
    assert query(example_warehouse, "select sum(refunded_amount_reporting), sum(revenue_reporting) - "
                                    "sum(net_revenue_reporting) from marts.fct_orders") == [(refunded, refunded)]
    # every line's product is in the catalogue export, with its category
    assert query(example_warehouse, "select count(*) from marts.fct_order_lines where category is null") == [(0,)]


def test_orders_payments_and_tickets_reach_the_same_customers(example_warehouse):
    unlinked = query(example_warehouse, """
        select (select count(*) from marts.fct_orders where customer_id is null),
               (select count(*) from marts.fct_payments where customer_id is null or order_id is null),
               (select count(*) from marts.fct_support_tickets where customer_id is null)""")
    assert unlinked == [(0, 0, 0)]
    # precision: no customer mixes two people (the export's e-mail is the truth here)
    emails_per_customer = query(example_warehouse, """
        select max(emails) from (select count(distinct lower(records.email)) as emails
            from marts.customer_identity_map as identity_map
            join intermediate.int_person_records_unioned as records using (person_record_id)
            group by identity_map.customer_id)""")
    assert emails_per_customer == [(1,)]
    # recall: one customer per person, whether the name is written in full or with an initial
    assert query(example_warehouse, "select count(*) from marts.dim_customers") == [
        (len({row["Email"] for row in rows_of("shopify_customers_export.csv")}),)]
    # a payer's payments land on the customer of the order they paid for
    mismatched = query(example_warehouse, """
        select count(*) from marts.fct_payments as payments
        join marts.fct_orders as orders using (order_id)
        join marts.customer_identity_map as payer on payer.customer_id = payments.customer_id
        join marts.customer_identity_map as buyer on buyer.customer_id = orders.customer_id
        join intermediate.int_person_records_unioned as payer_record on payer_record.person_record_id
            = payer.person_record_id
        join intermediate.int_person_records_unioned as buyer_record on buyer_record.person_record_id
            = buyer.person_record_id
        where lower(payer_record.email) != lower(buyer_record.email)""")
    assert mismatched == [(0,)]


def test_the_gold_layer_and_its_figures(example_warehouse):
    ((customers, buyers, tickets, failed, as_of),) = query(example_warehouse, """
        select count(*), count(*) filter (where order_count > 0), sum(support_tickets), sum(failed_payments),
               max(as_of_date) from marts.gold_cust_360""")
    # the gold layer reports as of the last order's day: later tickets are not history yet
    assert tickets == sum(row["Created at"][:10] <= str(as_of) for row in rows_of("zendesk_tickets.csv"))
    assert buyers == customers
    # ten customers buying at one rate: the CLV fit degenerates, yet every buyer still has a forecast
    ((forecast,),) = query(example_warehouse, """
        select count(*) from marts.gold_cust_360 where expected_purchases_next_horizon > 0 and predicted_clv > 0""")
    assert forecast == buyers
    assert failed == sum(row["Status"] == "Failed" for row in rows_of("stripe_payments.csv"))
    assert query(example_warehouse, "select count(*) from marts.kpi_monthly")[0][0] >= 12
    # ad spend by day is summed into months, in the reporting currency
    rate = Decimal(next(row["rate_to_reporting"] for row in csv.DictReader((PROJECT_ROOT / "seeds" / "fx_rates.csv")
                                                                          .open()) if row["currency"] == "EUR"))
    spent = sum(Decimal(row["Amount spent (EUR)"]) for row in rows_of("meta_ads_spend.csv") if row["Day"] <= str(as_of))
    ((reported,),) = query(example_warehouse, "select sum(marketing_spend) from marts.kpi_monthly")
    assert abs(Decimal(str(reported)) - spent * rate) < Decimal("0.05")


def test_subscriptions_reach_their_customers(example_warehouse):
    unsubscribed = {row["Email Address"] for row in rows_of("mailchimp_unsubscribed_members_export.csv")}
    subscribed = {row["Email Address"] for row in rows_of("mailchimp_subscribed_members_export.csv")}
    rows = query(example_warehouse, """
        select lower(gold.email), gold.is_unsubscribed from marts.gold_cust_360 as gold
        where gold.subscription_status is not null""")
    assert {email for email, is_unsubscribed in rows if is_unsubscribed} == unsubscribed
    assert {email for email, is_unsubscribed in rows if not is_unsubscribed} == subscribed


def test_every_dashboard_page_shows_the_example(example_warehouse, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.pages import PAGES

    monkeypatch.setenv("C360_DUCKDB_PATH", str(example_warehouse))
    monkeypatch.setenv("C360_ROLE", "admin")  # the search is by name, which the analyst's file masks
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.run()
    for title in PAGES:
        app.sidebar.radio(key="page").set_value(title).run()
        assert not app.exception, (title, [e.value for e in app.exception])
        assert not app.warning, (title, [w.value for w in app.warning])
    app.sidebar.radio(key="page").set_value("Customer 360").run()
    app.text_input(key="customer_search").set_value("gallas").run()
    assert any("Sophie Gallas" in option for option in app.selectbox[0].options)


def test_campaigns_from_the_campaign_report(example_warehouse):
    reports = rows_of("mailchimp_campaign_reports.csv")
    rows = query(example_warehouse, "select campaign_name, audience_size, strftime(sent_at, '%Y-%m-%d %H:%M') "
                                    "from marts.dim_campaigns order by sent_at")
    assert rows == [(row["Title"], int(row["Total Recipients"]), f"2024-{1 + 3 * index:02d}-05 10:00")
                    for index, row in enumerate(reports)]


def test_web_and_email_events_reach_their_customers(example_warehouse):
    tracks = lines_of("segment_tracks.jsonl")
    signed_in = {line["anonymousId"] for line in tracks if line["userId"]}
    # Segment's event names become the contract's; a device that signed in is its account's all day
    by_type = dict(query(example_warehouse, "select event_type, count(*) from marts.fct_web_events group by 1"))
    expected = {}
    for event in {line["messageId"]: line["event"] for line in tracks}.values():
        name = {"Product Viewed": "product_view", "Product Added": "add_to_cart", "Signed In": "login",
                "Checkout Started": "checkout_started", "Order Completed": "order_completed"}[event]
        expected[name] = expected.get(name, 0) + 1
    assert by_type == expected
    ((sessions, stitched, completed),) = query(example_warehouse, """
        select count(*), count(customer_id), sum(orders_completed) from marts.fct_web_sessions""")
    assert stitched == len(signed_in) and sessions > stitched
    assert completed == len({line["messageId"] for line in tracks if line["event"] == "Order Completed"})
    # the account a session signed in to is the customer who placed the order it completed
    assert query(example_warehouse, """
        select count(*) from marts.fct_web_events as events
        join marts.fct_orders as orders on events.order_number = orders.order_number
        where events.event_type = 'order_completed' and events.customer_id != orders.customer_id""") == [(0,)]
    # every e-mail action reaches the subscriber's customer; opens per campaign as Mailchimp counts them
    activity = lines_of("mailchimp_email_activity.jsonl")
    assert query(example_warehouse, "select count(*), count(customer_id) from marts.fct_email_events") == [
        (len(activity), len(activity))]
    opens = {}
    for line in activity:
        if line["action"] == "open":
            opens.setdefault(line["campaign_id"], set()).add(line["email_address"])
    assert dict(query(example_warehouse, "select campaign_id, unique_opens from marts.campaign_performance "
                                         "where unique_opens > 0")) == {key: len(value) for key, value in opens.items()}
