{#- Web stitching only attributes what the logins say: a session attributed through its device's
    history belongs to a device on which every login resolved to that same customer, and a
    session with a login keeps that login's customer. Returns the sessions that break this. -#}
{{ config(enabled=('web' in var('source_systems', ['web'])) and ('shop' in var('source_systems', ['shop']))) }}

with

sessions as (
    select * from {{ ref('fct_web_sessions') }}
),

logins as (
    select
        events.anonymous_id,
        identity_map.customer_id
    from {{ ref('stg_web__events') }} as events
    inner join {{ ref('customer_identity_map') }} as identity_map
        on
            identity_map.source_system = 'shop'
            and cast(events.shop_customer_id as string) = identity_map.source_record_id
    where events.event_type = 'login'
),

device_logins as (
    select
        anonymous_id,
        count(distinct customer_id) as customers,
        min(customer_id) as customer_id
    from logins
    group by anonymous_id
)

select sessions.*
from sessions
left join device_logins on sessions.anonymous_id = device_logins.anonymous_id
where
    (
        sessions.stitch_method = 'device_history'
        and (device_logins.customers != 1 or device_logins.customer_id != sessions.customer_id)
    )
    or (sessions.stitch_method is null and device_logins.customers = 1)
