{#- One row per month and order channel (web, app): orders, revenue, buyers and new buyers.
    A customer who bought in both channels in a month counts in both. -#}

with

orders as (
    select * from {{ ref('int_revenue_orders') }}
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
