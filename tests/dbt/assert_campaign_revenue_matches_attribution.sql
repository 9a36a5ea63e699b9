{#- Campaign analytics reconcile: conversions and attributed revenue over campaigns (and over
    channels) equal the attributed orders, and no tagged conversion falls outside the attribution
    window. Returns one row when any check fails. -#}
{{ config(enabled=('shop' in var('source_systems', ['shop'])) and ('email' in var('source_systems', ['email']))) }}

with

attributed as (
    select * from {{ ref('int_order_campaign_attribution') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

from_orders as (
    select
        count(*) as attributed_orders,
        sum(revenue_reporting) as attributed_orders_revenue
    from attributed
),

from_campaigns as (
    select
        sum(conversions) as campaign_conversions,
        sum(attributed_revenue) as campaign_revenue
    from {{ ref('campaign_performance') }}
),

from_channels as (
    select sum(attributed_revenue) as channel_revenue
    from {{ ref('campaign_channel_performance') }}
),

outside_window as (
    select count(*) as tagged_outside_window
    from attributed
    inner join campaigns on attributed.campaign_id = campaigns.campaign_id
    where
        attributed.attribution_method = 'tagged_order'
        and (
            attributed.ordered_at < campaigns.sent_at
            or attributed.ordered_at >= campaigns.sent_at + interval {{ var('campaign_attribution_days') }} day
        )
)

select
    from_orders.*,
    from_campaigns.*,
    from_channels.*,
    outside_window.*
from from_orders
cross join from_campaigns
cross join from_channels
cross join outside_window
where
    from_orders.attributed_orders != from_campaigns.campaign_conversions
    or abs(coalesce(from_orders.attributed_orders_revenue, 0) - coalesce(from_campaigns.campaign_revenue, 0)) > 0.005
    or abs(coalesce(from_campaigns.campaign_revenue, 0) - coalesce(from_channels.channel_revenue, 0)) > 0.005
    or outside_window.tagged_outside_window > 0
