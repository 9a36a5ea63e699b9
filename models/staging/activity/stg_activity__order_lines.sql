{#- Every order line source in one contract: the demo shop and the company's own exports. -#}
with

shop as (
    select
        'shop' as source_system,
        cast(order_line_id as varchar) as order_line_id,
        cast(order_id as varchar) as order_id,
        cast(product_id as varchar) as product_id,
        cast(null as varchar) as product_name,
        quantity,
        unit_price,
        discount,
        created_at,
        cast(null as varchar) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_shop__order_lines') }}
),

unioned as (
    select * from shop
    {{ exported_activity('order_lines') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, order_line_id') }}
),

final as (
    select
        source_system,
        order_line_id,
        order_id,
        product_id,
        product_name,
        coalesce(quantity, 1) as quantity,
        unit_price,
        coalesce(discount, 0) as discount,
        created_at
    from latest
)

select * from final
