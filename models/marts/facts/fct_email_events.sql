{#- One row per e-mail/SMS marketing event (send, delivered, open, click, unsubscribe, bounce),
    with the subscriber's resolved customer. -#}

with

events as (
    select * from {{ ref('stg_email__events') }}
),

subscribers as (
    select
        source_record_id as subscriber_id,
        customer_id
    from {{ ref('customer_identity_map') }}
    where source_system = 'email'
),

campaigns as (
    select
        campaign_id,
        channel
    from {{ ref('stg_email__campaigns') }}
)

select
    events.event_id,
    events.campaign_id,
    campaigns.channel,
    events.subscriber_id,
    subscribers.customer_id,
    events.event_type,
    events.event_at
from events
left join subscribers on events.subscriber_id = subscribers.subscriber_id
left join campaigns on events.campaign_id = campaigns.campaign_id
