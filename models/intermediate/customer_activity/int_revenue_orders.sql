{{ config(materialized='view') }}
{#- The orders every KPI and the CLV model count: revenue orders (not cancelled) of real,
    resolved customers, placed before the end of the as-of date. A view: one definition, no copy. -#}

with

orders as (
    select * from {{ ref('fct_orders') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
)

select
    orders.source_system,
    orders.order_id,
    orders.customer_id,
    orders.ordered_at,
    orders.channel,
    orders.campaign_id,
    orders.revenue_reporting,
    orders.refunded_amount_reporting,
    orders.is_first_order
from orders
cross join period
where
    orders.is_revenue_order
    and not orders.is_test_account
    and orders.customer_id is not null
    and orders.ordered_at < period.as_of_at
