{% call when_ingested('shop') -%}
with

order_lines as (
    select * from {{ source('shop', 'order_lines') }}
),

renamed as (
    select
        order_line_id,
        order_id,
        product_id,
        quantity,
        cast(unit_price as decimal(18, 2)) as unit_price,
        cast(coalesce(discount, 0) as decimal(18, 2)) as discount,
        cast(created_at as timestamp) as created_at
    from order_lines
)

select * from renamed
{% endcall %}
