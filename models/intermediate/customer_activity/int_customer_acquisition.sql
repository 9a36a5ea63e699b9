{#- One row per customer with a first order: when they were acquired and through which marketing
    channel. The channel is first touch: the landing utm_source of the customer's earliest
    stitched web/app session up to the first order, mapped by the utm_source_channels seed;
    'direct' when that session had no utm_source or the customer has no session before buying. -#}

with

orders as (
    select * from {{ ref('fct_orders') }}
    where is_first_order and not is_test_account
),

sessions as (
    select * from {{ ref('fct_web_sessions') }}
    where customer_id is not null
),

utm_channels as (
    select * from {{ ref('utm_source_channels') }}
),

purchases as (
    select * from {{ ref('int_customer_purchases') }}
),

clv as (
    select * from {{ ref('int_customer_clv') }}
),

first_touch as (
    select
        orders.customer_id,
        -- sessions starting at the same instant: the first by id
        min_by(
            sessions.landing_utm_source,
            {{ instant_then('sessions.started_at', 'sessions.session_id') }}
        ) as landing_utm_source
    from orders
    inner join sessions
        on orders.customer_id = sessions.customer_id and orders.ordered_at >= sessions.started_at
    group by orders.customer_id
),

final as (
    select
        orders.customer_id,
        orders.order_id as first_order_id,
        orders.ordered_at as first_order_at,
        cast(date_trunc('month', orders.ordered_at) as date) as cohort_month,
        orders.channel as first_order_channel,
        first_touch.landing_utm_source,
        coalesce(utm_channels.marketing_channel, 'direct') as acquisition_channel,
        -- What the customer is worth: net spend to date plus predicted CLV (KPIs set it against CAC).
        -- In cents, as a decimal: the KPIs' averages are then exact, whatever order they are summed in.
        cast(coalesce(purchases.net_spend, 0) + coalesce(clv.predicted_clv, 0) as decimal(18, 2)) as customer_value
    from orders
    left join first_touch on orders.customer_id = first_touch.customer_id
    left join utm_channels on first_touch.landing_utm_source = utm_channels.utm_source
    left join purchases on orders.customer_id = purchases.customer_id
    left join clv on orders.customer_id = clv.customer_id
)

select * from final
