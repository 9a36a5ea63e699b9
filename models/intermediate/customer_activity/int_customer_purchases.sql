{#- One row per customer with at least one order before the as-of date: purchase behaviour. -#}

with

orders as (
    select * from {{ ref('fct_orders') }}
),

order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

orders_in_period as (
    select orders.*
    from orders
    cross join period
    where orders.ordered_at < period.as_of_at
),

category_spend as (
    select
        order_lines.customer_id,
        order_lines.category,
        sum(order_lines.line_amount_reporting) as category_amount
    from order_lines
    cross join period
    where order_lines.is_revenue_order and order_lines.ordered_at < period.as_of_at
    group by order_lines.customer_id, order_lines.category
),

favourite_categories as (
    select
        customer_id,
        -- Top two categories by spend, ties broken by name so the result is stable.
        {{ first_values('category', [('category_amount', 'desc'), ('category', 'asc')], 2) }} as favourite_categories,
        count(*) as categories_bought
    from category_spend
    group by customer_id
),

per_customer as (
    select
        customer_id,
        count(*) filter (where is_revenue_order) as order_count,
        count(*) filter (where order_status = 'cancelled') as cancelled_orders,
        count(*) filter (where order_status = 'returned') as returned_orders,
        sum(revenue_reporting) as total_spend,
        sum(net_revenue_reporting) as net_spend,
        sum(refunded_amount_reporting) as refunded_amount,
        min(ordered_at) filter (where is_revenue_order) as first_order_at,
        max(ordered_at) filter (where is_revenue_order) as last_order_at,
        count(*) filter (where is_revenue_order and channel = 'app') as app_orders,
        count(*) filter (where is_revenue_order and channel = 'web') as web_orders,
        count(*) filter (where is_revenue_order and campaign_id is not null) as campaign_orders,
        sum(item_count) filter (where is_revenue_order) as items_bought
    from orders_in_period
    where customer_id is not null
    group by customer_id
),

final as (
    select
        per_customer.customer_id,
        per_customer.order_count,
        per_customer.cancelled_orders,
        per_customer.returned_orders,
        per_customer.total_spend,
        per_customer.net_spend,
        per_customer.refunded_amount,
        round(per_customer.total_spend / nullif(per_customer.order_count, 0), 2) as average_order_value,
        per_customer.first_order_at,
        per_customer.last_order_at,
        -- Mean days between consecutive orders; null for a one-order customer.
        round(
            {{ date_diff_in('day', 'per_customer.first_order_at', 'per_customer.last_order_at') }}
            / nullif(per_customer.order_count - 1, 0), 1
        ) as days_between_orders,
        {{ date_diff_in('day', 'per_customer.last_order_at', 'period.as_of_at') }} as days_since_last_order,
        per_customer.app_orders,
        per_customer.web_orders,
        per_customer.campaign_orders,
        per_customer.items_bought,
        favourite_categories.favourite_categories,
        coalesce(favourite_categories.categories_bought, 0) as categories_bought
    from per_customer
    cross join period
    left join favourite_categories on per_customer.customer_id = favourite_categories.customer_id
)

select * from final
