{#- One row per campaign: reach, engagement, attributed conversions and revenue, cost and ROI.
    Rates are over unique recipients (a recipient who opens twice is one open). -#}

with

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

messages as (
    select * from {{ ref('int_email_messages') }}
),

attributed_orders as (
    select * from {{ ref('int_order_campaign_attribution') }}
),

reach as (
    select
        campaign_id,
        count(*) filter (where was_sent) as recipients,
        count(*) filter (where was_delivered) as delivered,
        count(*) filter (where was_opened) as unique_opens,
        count(*) filter (where was_clicked) as unique_clicks,
        count(*) filter (where was_unsubscribed) as unsubscribes,
        count(*) filter (where was_bounced) as bounces
    from messages
    group by campaign_id
),

conversions as (
    select
        campaign_id,
        count(*) as conversions,
        count(*) filter (where attribution_method = 'tagged_order') as tagged_conversions,
        count(*) filter (where attribution_method = 'last_click') as click_conversions,
        count(distinct customer_id) as converted_customers,
        sum(revenue_reporting) as attributed_revenue
    from attributed_orders
    group by campaign_id
),

final as (
    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.sent_at,
        coalesce(reach.recipients, 0) as recipients,
        coalesce(reach.delivered, 0) as delivered,
        coalesce(reach.unique_opens, 0) as unique_opens,
        coalesce(reach.unique_clicks, 0) as unique_clicks,
        coalesce(reach.unsubscribes, 0) as unsubscribes,
        coalesce(reach.bounces, 0) as bounces,
        round(reach.delivered / nullif(reach.recipients, 0), 4) as delivery_rate,
        round(reach.unique_opens / nullif(reach.delivered, 0), 4) as open_rate,
        round(reach.unique_clicks / nullif(reach.delivered, 0), 4) as click_rate,
        round(reach.unique_clicks / nullif(reach.unique_opens, 0), 4) as click_to_open_rate,
        coalesce(conversions.conversions, 0) as conversions,
        coalesce(conversions.tagged_conversions, 0) as tagged_conversions,
        coalesce(conversions.click_conversions, 0) as click_conversions,
        coalesce(conversions.converted_customers, 0) as converted_customers,
        round(conversions.conversions / nullif(reach.delivered, 0), 4) as conversion_rate,
        coalesce(conversions.attributed_revenue, 0) as attributed_revenue,
        campaigns.cost_reporting as campaign_cost,
        round(
            (coalesce(conversions.attributed_revenue, 0) - campaigns.cost_reporting)
            / nullif(campaigns.cost_reporting, 0),
            4
        )
            as roi
    from campaigns
    left join reach on campaigns.campaign_id = reach.campaign_id
    left join conversions on campaigns.campaign_id = conversions.campaign_id
)

select * from final
