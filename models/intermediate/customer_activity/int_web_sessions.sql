{#- One row per web/app session: what happened in it, before it is attributed to a customer
    (marts.fct_web_sessions). Incremental on DuckDB: a build recomputes only the sessions that
    gained events since the last one, from all their events. -#}
{{ config(materialized=incremental_materialization(), unique_key='session_id', incremental_strategy='delete+insert') }}

with

events as (
    select * from {{ ref('stg_activity__web_events') }}
    {%- if is_incremental() %}
    where session_id in (
        select session_id from {{ ref('stg_activity__web_events') }}
        where {{ staged_since_last_build() }}
    )
    {%- endif %}
),

-- Events at the same instant are ordered by their id, so a rebuild picks the same one.
sessions as (
    select
        session_id,
        min(anonymous_id) as anonymous_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        min_by(platform, {{ instant_then('event_at', 'event_id') }}) as platform,
        min_by(device_type, {{ instant_then('event_at', 'event_id') }}) as device_type,
        min_by(utm_source, {{ instant_then('event_at', 'event_id') }}) as landing_utm_source,
        min_by(campaign_id, {{ instant_then('event_at', 'event_id') }}) as landing_campaign_id,
        count(*) as event_count,
        count(*) filter (where event_type = 'page_view') as page_views,
        count(*) filter (where event_type = 'product_view') as product_views,
        count(*) filter (where event_type = 'add_to_cart') as add_to_cart_events,
        count(*) filter (where event_type = 'checkout_started') as checkouts_started,
        count(*) filter (where event_type = 'order_completed') as orders_completed,
        count(*) filter (where event_type = 'login') as logins,
        -- The account logged in during the session (the latest, should there be two).
        max_by(customer_system, {{ instant_then('event_at', 'event_id') }})
        filter (where customer_record_id is not null) as customer_system,
        max_by(customer_record_id, {{ instant_then('event_at', 'event_id') }})
        filter (where customer_record_id is not null) as customer_record_id,
        max(_staged_at) as _staged_at
    from events
    group by session_id
)

select * from sessions
