{#- KPI reconciliation: revenue, orders and new customers summed over kpi_monthly (and over the
    channel split) equal the same figures counted straight from fct_orders. Returns a row per
    figure that disagrees. -#}
{{ config(enabled=('shop' in var('source_systems', ['shop'])) and ('marketing' in var('source_systems', ['marketing']))) }}

with

period as (
    select * from {{ ref('int_reporting_period') }}
),

orders as (
    select fct_orders.*
    from {{ ref('fct_orders') }} as fct_orders
    cross join period
    where
        fct_orders.is_revenue_order and not fct_orders.is_test_account and fct_orders.customer_id is not null
        and fct_orders.ordered_at < period.as_of_at
),

from_facts as (
    select
        sum(revenue_reporting) as revenue,
        count(*) as orders,
        count(*) filter (where is_first_order) as new_customers
    from orders
),

from_kpis as (
    select
        sum(revenue) as revenue,
        sum(orders) as orders,
        sum(new_customers) as new_customers
    from {{ ref('kpi_monthly') }}
),

from_channels as (
    select
        sum(revenue) as revenue,
        sum(orders) as orders,
        sum(new_customers) as new_customers
    from {{ ref('kpi_monthly_by_channel') }}
),

from_cohorts as (
    select
        sum(revenue) as revenue,
        sum(cohort_customers) filter (where months_since_acquisition = 0) as new_customers
    from {{ ref('kpi_cohort_retention') }}
),

from_acquisition as (
    select sum(new_customers) as new_customers
    from {{ ref('kpi_acquisition_by_channel') }}
),

checks as (
    select 'kpi_monthly revenue' as figure, from_facts.revenue as expected, from_kpis.revenue as actual
    from from_facts, from_kpis
    union all
    select 'kpi_monthly orders', from_facts.orders, from_kpis.orders from from_facts, from_kpis
    union all
    select 'kpi_monthly new customers', from_facts.new_customers, from_kpis.new_customers from from_facts, from_kpis
    union all
    select 'kpi_monthly_by_channel revenue', from_facts.revenue, from_channels.revenue from from_facts, from_channels
    union all
    select 'kpi_monthly_by_channel orders', from_facts.orders, from_channels.orders from from_facts, from_channels
    union all
    select 'kpi_cohort_retention revenue', from_facts.revenue, from_cohorts.revenue from from_facts, from_cohorts
    union all
    select 'kpi_cohort_retention cohort sizes', from_facts.new_customers, from_cohorts.new_customers
    from from_facts, from_cohorts
    union all
    select 'kpi_acquisition_by_channel new customers', from_facts.new_customers, from_acquisition.new_customers
    from from_facts, from_acquisition
)

select * from checks
where abs(coalesce(expected, 0) - coalesce(actual, 0)) > 0.005
