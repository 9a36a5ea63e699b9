{#- gold_cust_360 holds every real customer of dim_customers exactly once and nobody else, and its
    per-customer totals add up to the facts: returns the figures that disagree. -#}
{{ config(enabled=('shop' in var('source_systems', ['shop'])) and ('marketing' in var('source_systems', ['marketing']))) }}

with

gold as (
    select * from {{ ref('gold_cust_360') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

checks as (
    select
        'customers' as figure,
        (select count(*) from {{ ref('dim_customers') }} where not is_test_account) as expected,
        (select count(distinct customer_id) from gold) as actual
    union all
    select
        'rows',
        (select count(distinct customer_id) from gold),
        (select count(*) from gold)
    union all
    select
        'total spend',
        (
            select sum(revenue_reporting) from {{ ref('fct_orders') }}, period
            where not is_test_account and ordered_at < period.as_of_at
        ),
        (select sum(total_spend) from gold)
    union all
    select
        'support tickets',
        (
            select count(*) from {{ ref('fct_support_tickets') }}, period
            where not is_test_account and customer_id is not null and created_at < period.as_of_at
        ),
        (select sum(support_tickets) from gold)
)

select * from checks
where abs(coalesce(expected, 0) - coalesce(actual, 0)) > 0.005
