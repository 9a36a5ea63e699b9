{#- gold_cust_360 holds every real customer of dim_customers exactly once and nobody else, and its
    per-customer totals add up to the facts. Returns one row when any figure disagrees. -#}
{{ config(enabled=('shop' in var('source_systems', ['shop'])) and ('support' in var('source_systems', ['support']))) }}

with

period as (
    select * from {{ ref('int_reporting_period') }}
),

gold as (
    select
        count(*) as gold_rows,
        count(distinct customer_id) as gold_customers,
        sum(total_spend) as gold_spend,
        sum(support_tickets) as gold_tickets
    from {{ ref('gold_cust_360') }}
),

customers as (
    select count(*) as real_customers
    from {{ ref('dim_customers') }}
    where not is_test_account
),

orders as (
    select sum(fct_orders.revenue_reporting) as facts_spend
    from {{ ref('fct_orders') }} as fct_orders
    cross join period
    where not fct_orders.is_test_account and fct_orders.ordered_at < period.as_of_at
),

tickets as (
    select count(*) as facts_tickets
    from {{ ref('fct_support_tickets') }} as tickets
    cross join period
    where not tickets.is_test_account and tickets.customer_id is not null and tickets.created_at < period.as_of_at
)

select
    gold.*,
    customers.*,
    orders.*,
    tickets.*
from gold
cross join customers
cross join orders
cross join tickets
where
    gold.gold_rows != customers.real_customers
    or gold.gold_customers != gold.gold_rows
    or abs(gold.gold_spend - orders.facts_spend) > 0.005
    or gold.gold_tickets != tickets.facts_tickets
