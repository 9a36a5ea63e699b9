{#- One row per product: every catalogue (stg_activity__products), and the products an order export
    names only on its lines (id and name, no category), so every order line has its product. -#}

with

products as (
    select * from {{ ref('stg_activity__products') }}
),

order_lines as (
    select * from {{ ref('stg_activity__order_lines') }}
),

-- a product in two catalogues: the latest description
catalogue as (
    select {{ all_columns_except(none, ['source_system', 'updated_at']) }}
    from products
    qualify row_number() over (partition by product_id order by updated_at desc nulls last, source_system asc) = 1
),

seen_on_lines as (
    select
        product_id,
        product_id as sku,
        max(product_name) as product_name,
        cast(null as string) as category,
        cast(null as string) as brand,
        cast(null as decimal(18, 2)) as price,
        cast(null as string) as currency,
        min(created_at) as created_at
    from order_lines
    where product_id is not null and product_id not in (select catalogue.product_id from catalogue)
    group by product_id
),

final as (
    select * from catalogue
    union all
    select * from seen_on_lines
)

select * from final
