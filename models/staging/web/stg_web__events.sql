{% call when_ingested('web') -%}
with

events as (
    select * from {{ source('web', 'events') }}
),

-- Trackers double-fire: keep one row per event id.
deduplicated as (
    select *
    from events
    qualify row_number() over (partition by event_id order by _source_file) = 1
),

renamed as (
    select
        event_id,
        event_type,
        event_at,
        anonymous_id,
        customer_id as shop_customer_id,
        session_id,
        platform,
        device_type,
        page_path,
        product_id,
        order_number,
        utm_source,
        utm_campaign as campaign_id,
        user_agent
    from deduplicated
)

select * from renamed
{% endcall %}
