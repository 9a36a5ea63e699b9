{% call when_ingested('shop') -%}
with

orders as (
    select * from {{ source('shop', 'orders') }}
),

renamed as (
    select
        order_id,
        order_number,
        customer_id as shop_customer_id,
        status as order_status,
        channel,
        upper(currency) as currency,
        cast(subtotal as decimal(18, 2)) as subtotal,
        cast(shipping as decimal(18, 2)) as shipping,
        cast(total_amount as decimal(18, 2)) as total_amount,
        campaign_id,
        cast(created_at as timestamp) as ordered_at,
        cast(updated_at as timestamp) as updated_at
    from orders
)

select * from renamed
{% endcall %}
