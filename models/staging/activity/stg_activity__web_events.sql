{#- Every web and app event source in one contract: the demo's event stream and the company's own
    event exports. Events are immutable: an event exported twice is one event. -#}
with

stream as (
    select
        'web' as source_system,
        event_id,
        event_type,
        event_at,
        anonymous_id,
        case when shop_customer_id is not null then 'shop' end as customer_system,
        cast(shop_customer_id as varchar) as customer_record_id,
        session_id,
        platform,
        device_type,
        page_path,
        cast(product_id as varchar) as product_id,
        order_number,
        utm_source,
        campaign_id,
        cast(null as varchar) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_web__events') }}
),

unioned as (
    select * from stream
    {{ exported_activity('web_events') }}
),

distinct_events as (
    select *
    from unioned
    {{ latest_exported_version('source_system, event_id', which='first') }}
),

final as (
    select
        source_system,
        event_id,
        lower(trim(event_type)) as event_type,
        event_at,
        anonymous_id,
        customer_system,
        customer_record_id,
        -- an export without sessions: one session per device and day
        coalesce(session_id, anonymous_id || ':' || cast(cast(event_at as date) as varchar)) as session_id,
        lower(trim(platform)) as platform,
        lower(trim(device_type)) as device_type,
        page_path,
        product_id,
        order_number,
        lower(trim(utm_source)) as utm_source,
        campaign_id
    from distinct_events
)

select * from final
