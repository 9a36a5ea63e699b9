{#- One row per order line, with its order's customer and the product's category. -#}

with

order_lines as (
    select * from {{ ref('stg_activity__order_lines') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

final as (
    select
        order_lines.source_system,
        order_lines.order_line_id,
        order_lines.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_status,
        orders.is_revenue_order,
        order_lines.product_id,
        coalesce(products.product_name, order_lines.product_name) as product_name,
        products.category,
        products.brand,
        order_lines.quantity,
        order_lines.unit_price,
        order_lines.discount,
        order_lines.quantity * order_lines.unit_price - order_lines.discount as line_amount,
        cast(
            round(
                (order_lines.quantity * order_lines.unit_price - order_lines.discount) * fx_rates.rate_to_reporting, 2
            )
            as decimal(18, 2)
        ) as line_amount_reporting,
        orders.currency,
        orders.is_test_account
    from order_lines
    inner join orders on order_lines.source_system = orders.source_system and order_lines.order_id = orders.order_id
    left join products on order_lines.product_id = products.product_id
    left join fx_rates on orders.currency = fx_rates.currency
)

select * from final
