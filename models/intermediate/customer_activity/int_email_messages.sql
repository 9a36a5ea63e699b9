{#- One row per message: a campaign sent to one subscriber, with what became of it. Campaign,
    customer and monthly engagement all count messages, so the 20M raw events (at 1M people) are
    aggregated once here rather than by a distinct count in every mart. -#}

with

events as (
    select * from {{ ref('fct_email_events') }}
)

select
    subscriber_id,
    campaign_id,
    any_value(customer_id) as customer_id,
    any_value(channel) as channel,
    min(event_at) as first_event_at,
    bool_or(event_type = 'send') as was_sent,
    bool_or(event_type = 'delivered') as was_delivered,
    bool_or(event_type = 'open') as was_opened,
    bool_or(event_type = 'click') as was_clicked,
    bool_or(event_type = 'unsubscribe') as was_unsubscribed,
    bool_or(event_type = 'bounce') as was_bounced,
    max(event_at) filter (where event_type in ('open', 'click')) as last_engaged_at
from events
group by subscriber_id, campaign_id
