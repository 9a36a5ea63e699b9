{#- KPI reconciliation: revenue, orders and new customers summed over each KPI mart equal the same
    figures counted straight from fct_orders. Returns one row when any of them disagrees. -#}
{{ config(enabled=('shop' in var('source_systems', ['shop']))
    and ('marketing' in var('source_systems', ['marketing']))) }}

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
        sum(revenue_reporting) as facts_revenue,
        count(*) as facts_orders,
        count(*) filter (where is_first_order) as facts_new_customers
    from orders
),

from_kpis as (
    select
        sum(revenue) as monthly_revenue,
        sum(orders) as monthly_orders,
        sum(new_customers) as monthly_new_customers
    from {{ ref('kpi_monthly') }}
),

from_channels as (
    select
        sum(revenue) as channel_revenue,
        sum(orders) as channel_orders
    from {{ ref('kpi_monthly_by_channel') }}
),

from_cohorts as (
    select
        sum(revenue) as cohort_revenue,
        sum(cohort_customers) filter (where months_since_acquisition = 0) as cohort_customers
    from {{ ref('kpi_cohort_retention') }}
),

from_acquisition as (
    select sum(new_customers) as acquired_customers
    from {{ ref('kpi_acquisition_by_channel') }}
)

select
    from_facts.*,
    from_kpis.*,
    from_channels.*,
    from_cohorts.*,
    from_acquisition.*
from from_facts
cross join from_kpis
cross join from_channels
cross join from_cohorts
cross join from_acquisition
where
    abs(from_facts.facts_revenue - from_kpis.monthly_revenue) > 0.005
    or abs(from_facts.facts_revenue - from_channels.channel_revenue) > 0.005
    or abs(from_facts.facts_revenue - from_cohorts.cohort_revenue) > 0.005
    or from_facts.facts_orders != from_kpis.monthly_orders
    or from_facts.facts_orders != from_channels.channel_orders
    or from_facts.facts_new_customers != from_kpis.monthly_new_customers
    or from_facts.facts_new_customers != from_cohorts.cohort_customers
    or from_facts.facts_new_customers != from_acquisition.acquired_customers
