{#- One row per customer with a stitched web/app session before the as-of date. -#}

with

sessions as (
    select * from {{ ref('fct_web_sessions') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

final as (
    select
        sessions.customer_id,
        count(*) as web_sessions,
        count(*) filter (where sessions.platform = 'web') as browser_sessions,
        count(*) filter (where sessions.platform in ('ios', 'android')) as app_sessions,
        max(sessions.ended_at) as last_seen_at,
        {{ sorted_items(distinct_items(list_of('sessions.device_type'))) }} as devices,
        {{ sorted_items(distinct_items(list_of('sessions.platform'))) }} as platforms,
        sum(sessions.product_views) as product_views,
        count(*) filter (where sessions.add_to_cart_events > 0) as cart_sessions,
        count(*) filter (where sessions.is_cart_abandoned) as abandoned_cart_sessions,
        round(
            count(*) filter (where sessions.is_cart_abandoned)
            / nullif(count(*) filter (where sessions.add_to_cart_events > 0), 0), 3
        ) as cart_abandonment_rate
    from sessions
    cross join period
    where sessions.customer_id is not null and sessions.started_at < period.as_of_at
    group by sessions.customer_id
)

select * from final
