{#- One row per product in the shop catalogue. -#}

with

products as (
    select * from {{ ref('stg_shop__products') }}
)

select
    product_id,
    sku,
    product_name,
    category,
    brand,
    price,
    currency,
    created_at
from products
