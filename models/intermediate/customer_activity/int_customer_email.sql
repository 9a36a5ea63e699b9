{#- One row per customer who is an e-mail/SMS subscriber or received a campaign before the
    as-of date: engagement counts campaigns (unique opens and clicks), not raw events. -#}

with

messages as (
    select * from {{ ref('int_email_messages') }}
),

subscribers as (
    select
        subscribers.subscription_status,
        subscribers.updated_at,
        subscribers.customer_system,
        subscribers.customer_record_id,
        identity_map.customer_id
    from {{ ref('stg_activity__email_subscriptions') }} as subscribers
    inner join {{ ref('customer_identity_map') }} as identity_map
        on
            subscribers.customer_system = identity_map.source_system
            and subscribers.customer_record_id = identity_map.source_record_id
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

-- A customer with two subscriber records counts a campaign once.
engagement as (
    select
        messages.customer_id,
        count(distinct messages.campaign_id) filter (where messages.was_sent) as campaigns_sent,
        count(distinct messages.campaign_id) filter (where messages.was_delivered) as campaigns_delivered,
        count(distinct messages.campaign_id) filter (where messages.was_opened) as campaigns_opened,
        count(distinct messages.campaign_id) filter (where messages.was_clicked) as campaigns_clicked,
        count(*) filter (where messages.was_bounced) as bounces,
        max(messages.last_engaged_at) as last_engaged_at
    from messages
    cross join period
    where messages.customer_id is not null and messages.first_event_at < period.as_of_at
    group by messages.customer_id
),

subscription as (
    select
        customer_id,
        -- A customer with several subscriber records: the latest record's status wins (records
        -- updated at the same instant: the last by system and id).
        max_by(
            subscription_status,
            {{ instant_then('updated_at', "customer_system || ':' || customer_record_id") }}
        ) as subscription_status
    from subscribers
    group by customer_id
),

final as (
    select
        coalesce(engagement.customer_id, subscription.customer_id) as customer_id,
        subscription.subscription_status,
        coalesce(subscription.subscription_status = 'unsubscribed', false) as is_unsubscribed,
        coalesce(engagement.campaigns_sent, 0) as campaigns_sent,
        coalesce(engagement.campaigns_delivered, 0) as campaigns_delivered,
        coalesce(engagement.campaigns_opened, 0) as campaigns_opened,
        coalesce(engagement.campaigns_clicked, 0) as campaigns_clicked,
        coalesce(engagement.bounces, 0) as bounces,
        round(engagement.campaigns_opened / nullif(engagement.campaigns_delivered, 0), 3) as open_rate,
        round(engagement.campaigns_clicked / nullif(engagement.campaigns_delivered, 0), 3) as click_rate,
        engagement.last_engaged_at
    from engagement
    full outer join subscription on engagement.customer_id = subscription.customer_id
)

select * from final
