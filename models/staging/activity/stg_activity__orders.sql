{#- Every order source in one contract: the demo shop (when ingested) and the company's own order
    exports. An order exported again keeps its latest version. -#}
with

shop as (
    select
        'shop' as source_system,
        cast(order_id as string) as order_id,
        order_number,
        'shop' as customer_system,
        cast(shop_customer_id as string) as customer_record_id,
        order_status,
        channel,
        currency,
        subtotal,
        shipping,
        total_amount,
        campaign_id,
        ordered_at,
        updated_at,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_shop__orders') }}
),

unioned as (
    {{ exported_activity('orders', demo='shop') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, order_id', updated_at='updated_at') }}
),

standardised as (
    select
        source_system,
        order_id,
        coalesce(order_number, order_id) as order_number,
        customer_system,
        customer_record_id,
        case
            when lower(trim(order_status)) in ('cancelled', 'canceled', 'voided', 'void') then 'cancelled'
            else lower(trim(order_status))
        end as order_status,
        lower(trim(channel)) as channel,
        upper(trim(currency)) as currency,
        coalesce(subtotal, total_amount - coalesce(shipping, 0)) as subtotal,
        coalesce(shipping, 0) as shipping,
        coalesce(total_amount, subtotal + coalesce(shipping, 0)) as total_amount,
        campaign_id,
        ordered_at,
        coalesce(updated_at, ordered_at) as updated_at
    from latest
)

select * from standardised
