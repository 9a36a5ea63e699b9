{#- One row per product: every catalogue (stg_activity__products), and the products an order export
    names only on its lines (id and name, no category), so every order line has its product. -#}

with

products as (
    select * from {{ ref('stg_activity__products') }}
),

order_lines as (
    select * from {{ ref('stg_activity__order_lines') }}
),

catalogue as (
    select distinct on (product_id)
        product_id,
        sku,
        product_name,
        category,
        brand,
        price,
        currency,
        created_at
    from products
    order by product_id asc, updated_at desc
),

seen_on_lines as (
    select
        product_id,
        product_id as sku,
        max(product_name) as product_name,
        cast(null as varchar) as category,
        cast(null as varchar) as brand,
        cast(null as decimal(18, 2)) as price,
        cast(null as varchar) as currency,
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
