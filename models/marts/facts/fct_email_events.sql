{#- One row per e-mail/SMS marketing event (send, delivered, open, click, unsubscribe, bounce),
    with the subscriber's resolved customer. -#}

with

events as (
    select * from {{ ref('stg_activity__email_events') }}
),

subscribers as (
    select
        source_system as customer_system,
        source_record_id as customer_record_id,
        customer_id
    from {{ ref('customer_identity_map') }}
),

campaigns as (
    select
        campaign_id,
        channel
    from {{ ref('stg_activity__email_campaigns') }}
)

select
    events.event_id,
    events.campaign_id,
    campaigns.channel,
    events.customer_record_id as subscriber_id,
    subscribers.customer_id,
    events.event_type,
    events.event_at
from events
left join subscribers
    on
        events.customer_system = subscribers.customer_system
        and events.customer_record_id = subscribers.customer_record_id
left join campaigns on events.campaign_id = campaigns.campaign_id
