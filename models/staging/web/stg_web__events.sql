{{ config(materialized=incremental_materialization()) }}

{% call when_ingested('web') -%}
with

events as (
    select * from {{ source('web', 'events') }}
    where {{ unseen_loads(source('web', 'events')) }}
),

-- Trackers double-fire: keep one row per event id (on an incremental build, a copy of an event
-- already staged stays out).
deduplicated as (
    select *
    from events
    {%- if is_incremental() %}
    where not exists (select 1 from {{ this }} as staged where staged.event_id = events.event_id)
    {%- endif %}
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
        user_agent,
        _dlt_load_id,
        {{ staged_at() }} as _staged_at
    from deduplicated
)

select * from renamed
{% endcall %}
