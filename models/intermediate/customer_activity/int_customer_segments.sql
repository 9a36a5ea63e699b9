{#- One row per customer with at least one order: RFM scores and segment, value tier and a
    behavioural segment. Scores are quintiles of the customer base (ties share a score, so every
    one-order customer gets the same frequency score); segment and tier boundaries live in the
    rfm_segments and value_tiers seeds, where a business user can change them. -#}

with

purchases as (
    select * from {{ ref('int_customer_purchases') }}
    where order_count > 0
),

clv as (
    select * from {{ ref('int_customer_clv') }}
),

web as (
    select * from {{ ref('int_customer_web') }}
),

email as (
    select * from {{ ref('int_customer_email') }}
),

rfm_segments as (
    select * from {{ ref('rfm_segments') }}
),

value_tiers as (
    select * from {{ ref('value_tiers') }}
),

scored as (
    select
        purchases.customer_id,
        least(5, 1 + floor(5 * percent_rank() over (order by purchases.days_since_last_order desc)))::integer
            as recency_score,
        least(5, 1 + floor(5 * percent_rank() over (order by purchases.order_count)))::integer as frequency_score,
        least(5, 1 + floor(5 * percent_rank() over (order by purchases.total_spend)))::integer as monetary_score,
        percent_rank() over (order by purchases.net_spend + coalesce(clv.predicted_clv, 0)) as value_percentile,
        -- Behaviour: where and how the customer shops, first matching rule wins.
        case
            when purchases.app_orders >= 0.6 * purchases.order_count then 'App-first shopper'
            when
                purchases.campaign_orders >= 0.3 * purchases.order_count or coalesce(email.click_rate, 0) >= 0.2
                then 'Campaign-driven shopper'
            when purchases.categories_bought >= 3 then 'Multi-category shopper'
            when coalesce(web.cart_abandonment_rate, 0) >= 0.5 then 'Hesitant web shopper'
            else 'Web shopper'
        end as behavioural_segment
    from purchases
    left join clv on purchases.customer_id = clv.customer_id
    left join web on purchases.customer_id = web.customer_id
    left join email on purchases.customer_id = email.customer_id
),

segmented as (
    select
        scored.customer_id,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        scored.recency_score::string || scored.frequency_score::string || scored.monetary_score::string as rfm_cell,
        (
            select min_by(rfm_segments.rfm_segment, rfm_segments.segment_rank)
            from rfm_segments
            where
                scored.recency_score between rfm_segments.recency_score_min and rfm_segments.recency_score_max
                and scored.frequency_score between rfm_segments.frequency_score_min and rfm_segments.frequency_score_max
        ) as rfm_segment,
        round(scored.value_percentile, 4) as value_percentile,
        (
            select min_by(value_tiers.value_tier, value_tiers.tier_rank)
            from value_tiers
            where scored.value_percentile >= value_tiers.min_clv_percentile
        ) as value_tier,
        scored.behavioural_segment
    from scored
)

select * from segmented
