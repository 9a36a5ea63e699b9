{% call when_ingested('shop') -%}
with

products as (
    select * from {{ source('shop', 'products') }}
),

renamed as (
    select
        product_id,
        sku,
        name as product_name,
        category,
        brand,
        cast(price as decimal(18, 2)) as price,
        upper(currency) as currency,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at
    from products
)

select * from renamed
{% endcall %}
