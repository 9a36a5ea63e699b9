{#- Every product catalogue in one contract: the demo shop's and the company's own product exports. -#}
with

shop as (
    select
        'shop' as source_system,
        cast(product_id as string) as product_id,
        sku,
        product_name,
        category,
        brand,
        price,
        currency,
        created_at,
        updated_at,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_shop__products') }}
),

unioned as (
    {{ exported_activity('products', demo='shop') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, product_id', updated_at='updated_at') }}
),

final as (
    select
        source_system,
        product_id,
        coalesce(sku, product_id) as sku,
        product_name,
        lower(trim(category)) as category,
        brand,
        price,
        upper(trim(currency)) as currency,
        created_at,
        coalesce(updated_at, created_at) as updated_at
    from latest
)

select * from final
