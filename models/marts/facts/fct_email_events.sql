{#- One row per e-mail/SMS marketing event (send, delivered, open, click, unsubscribe, bounce),
    with the subscriber's resolved customer. Incremental on DuckDB: a build writes the events
    staged since the last one, and rewrites the events of the subscribers whose customer changed
    (a merge) and of the campaigns whose channel changed. -#}
{{ config(materialized=incremental_materialization(), unique_key='event_id', incremental_strategy='delete+insert') }}

with

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
),

{%- if is_incremental() %}

changed_subscribers as (
    select written.subscriber_id
    from (select distinct subscriber_id, customer_id from {{ this }}) as written
    left join subscribers
        on written.subscriber_id = subscribers.customer_record_id
    where written.customer_id is distinct from subscribers.customer_id
),

changed_campaigns as (
    select written.campaign_id
    from (select distinct campaign_id, channel from {{ this }}) as written
    left join campaigns on written.campaign_id = campaigns.campaign_id
    where written.channel is distinct from campaigns.channel
),
{%- endif %}

events as (
    select * from {{ ref('stg_activity__email_events') }}
    {%- if is_incremental() %}
    where
        {{ staged_since_last_build() }}
        or customer_record_id in (select changed_subscribers.subscriber_id from changed_subscribers)
        or campaign_id in (select changed_campaigns.campaign_id from changed_campaigns)
    {%- endif %}
)

select
    events.event_id,
    events.campaign_id,
    campaigns.channel,
    events.customer_record_id as subscriber_id,
    subscribers.customer_id,
    events.event_type,
    events.event_at,
    events._staged_at
from events
left join subscribers
    on
        events.customer_system = subscribers.customer_system
        and events.customer_record_id = subscribers.customer_record_id
left join campaigns on events.campaign_id = campaigns.campaign_id
