{#- Every order line source in one contract: the demo shop and the company's own exports. -#}
with

shop as (
    select
        'shop' as source_system,
        cast(order_line_id as string) as order_line_id,
        cast(order_id as string) as order_id,
        cast(product_id as string) as product_id,
        cast(null as string) as product_name,
        quantity,
        unit_price,
        discount,
        created_at,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_shop__order_lines') }}
),

unioned as (
    {{ exported_activity('order_lines', demo='shop') }}
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
