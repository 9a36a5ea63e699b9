{#- One row per order attributed to a marketing campaign. An order carrying a campaign id (the
    shop's tag from the campaign link) placed within campaign_attribution_days of the send is
    attributed to it; an untagged order is attributed to the campaign the customer last clicked
    within that window before ordering. One campaign per order at most (see DECISIONLOG.md). -#}

with

orders as (
    select * from {{ ref('fct_orders') }}
    where is_revenue_order and customer_id is not null and not is_test_account
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

clicks as (
    select
        customer_id,
        campaign_id,
        event_id as click_event_id,
        event_at as clicked_at
    from {{ ref('fct_email_events') }}
    where event_type = 'click' and customer_id is not null
),

tagged as (
    select
        orders.source_system,
        orders.order_id,
        orders.campaign_id,
        'tagged_order' as attribution_method
    from orders
    inner join campaigns on orders.campaign_id = campaigns.campaign_id
    where
        orders.ordered_at >= campaigns.sent_at
        and orders.ordered_at < campaigns.sent_at + interval {{ var('campaign_attribution_days') }} day
),

clicked as (
    select
        orders.source_system,
        orders.order_id,
        -- clicks at the same instant: the last by event id
        max_by(clicks.campaign_id, {{ instant_then('clicks.clicked_at', 'clicks.click_event_id') }})
            as campaign_id,
        'last_click' as attribution_method
    from orders
    inner join clicks
        on
            orders.customer_id = clicks.customer_id
            and orders.ordered_at >= clicks.clicked_at
            and clicks.clicked_at > orders.ordered_at - interval {{ var('campaign_attribution_days') }} day
    where
        not exists (
            select 1 from tagged
            where tagged.source_system = orders.source_system and tagged.order_id = orders.order_id
        )
    group by orders.source_system, orders.order_id
),

attributed as (
    select * from tagged
    union all
    select * from clicked
),

final as (
    select
        attributed.source_system,
        attributed.order_id,
        attributed.campaign_id,
        attributed.attribution_method,
        orders.customer_id,
        orders.ordered_at,
        orders.revenue_reporting
    from attributed
    inner join orders
        on attributed.source_system = orders.source_system and attributed.order_id = orders.order_id
)

select * from final
