{#- One row per month and order channel (web, app): orders, revenue, buyers and new buyers.
    A customer who bought in both channels in a month counts in both. -#}

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

final as (
    select
        cast(date_trunc('month', ordered_at) as date) as month_start,
        channel,
        count(*) as orders,
        count(distinct customer_id) as active_customers,
        count(*) filter (where is_first_order) as new_customers,
        sum(revenue_reporting) as revenue,
        round(sum(revenue_reporting) / count(*), 2) as average_order_value,
        round(sum(revenue_reporting) / count(distinct customer_id), 2) as arpu
    from orders
    group by all
)

select * from final
