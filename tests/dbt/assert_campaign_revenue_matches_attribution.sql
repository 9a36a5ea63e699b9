{#- Campaign analytics reconcile: conversions and attributed revenue over campaigns (and over
    channels) equal the attributed orders, and no attributed order falls outside the attribution
    window. Returns the checks that fail. -#}
{{ config(enabled=('shop' in var('source_systems', ['shop'])) and ('email' in var('source_systems', ['email']))) }}

with

attributed as (
    select * from {{ ref('int_order_campaign_attribution') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

checks as (
    select
        'conversions' as figure,
        (select count(*) from attributed) as expected,
        (select sum(conversions) from {{ ref('campaign_performance') }}) as actual
    union all
    select
        'attributed revenue',
        (select sum(revenue_reporting) from attributed),
        (select sum(attributed_revenue) from {{ ref('campaign_performance') }})
    union all
    select
        'channel revenue',
        (select sum(attributed_revenue) from {{ ref('campaign_performance') }}),
        (select sum(attributed_revenue) from {{ ref('campaign_channel_performance') }})
    union all
    select
        'tagged orders outside the window',
        0,
        (
            select count(*) from attributed
            inner join campaigns on attributed.campaign_id = campaigns.campaign_id
            where
                attributed.attribution_method = 'tagged_order'
                and (
                    attributed.ordered_at < campaigns.sent_at
                    or attributed.ordered_at >= campaigns.sent_at + interval ({{ var('campaign_attribution_days') }}) day
                )
        )
)

select * from checks
where abs(coalesce(expected, 0) - coalesce(actual, 0)) > 0.005
