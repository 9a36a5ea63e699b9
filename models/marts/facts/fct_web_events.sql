{#- One row per web/app event with the customer of its session: events before a login, and
    earlier sessions on the same device, carry the customer too (stitched history). -#}

with

events as (
    select * from {{ ref('stg_activity__web_events') }}
),

sessions as (
    select
        session_id,
        customer_id,
        stitch_method
    from {{ ref('fct_web_sessions') }}
)

select
    events.event_id,
    events.event_type,
    events.event_at,
    sessions.customer_id,
    sessions.stitch_method,
    events.session_id,
    events.anonymous_id,
    events.source_system,
    events.customer_system,
    events.customer_record_id,
    events.platform,
    events.device_type,
    events.page_path,
    events.product_id,
    events.order_number,
    events.utm_source,
    events.campaign_id
from events
left join sessions on events.session_id = sessions.session_id
