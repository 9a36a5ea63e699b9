{#- One row per campaign channel (email, sms): the campaigns' figures summed, rates recomputed
    from the sums (not averaged over campaigns). -#}

with

campaigns as (
    select * from {{ ref('campaign_performance') }}
),

final as (
    select
        channel,
        count(*) as campaigns,
        sum(recipients) as recipients,
        sum(delivered) as delivered,
        sum(unique_opens) as unique_opens,
        sum(unique_clicks) as unique_clicks,
        sum(unsubscribes) as unsubscribes,
        round(sum(delivered) / nullif(sum(recipients), 0), 4) as delivery_rate,
        round(sum(unique_opens) / nullif(sum(delivered), 0), 4) as open_rate,
        round(sum(unique_clicks) / nullif(sum(delivered), 0), 4) as click_rate,
        sum(conversions) as conversions,
        round(sum(conversions) / nullif(sum(delivered), 0), 4) as conversion_rate,
        sum(attributed_revenue) as attributed_revenue,
        sum(campaign_cost) as campaign_cost,
        round((sum(attributed_revenue) - sum(campaign_cost)) / nullif(sum(campaign_cost), 0), 4) as roi
    from campaigns
    group by channel
)

select * from final
