{#- One row per month and marketing channel: new customers acquired through the channel (first
    touch, see int_customer_acquisition), the channel's spend, CAC and the new customers' CLV.
    'direct' has new customers and no spend; a channel with spend and no customers has CAC null. -#}

with

period as (
    select * from {{ ref('int_reporting_period') }}
),

acquisition as (
    select * from {{ ref('int_customer_acquisition') }}
    where first_order_at < (select period.as_of_at from period)
),

spend as (
    select
        marketing_spend.spend_month as month_start,
        marketing_spend.channel as acquisition_channel,
        sum(
            cast(round(marketing_spend.spend_amount * fx_rates.rate_to_reporting, 2) as decimal(18, 2))
        ) as marketing_spend
    from {{ ref('stg_activity__marketing_spend') }} as marketing_spend
    left join {{ ref('fx_rates') }} as fx_rates on marketing_spend.currency = fx_rates.currency
    where marketing_spend.spend_month <= (select period.as_of_date from period)
    group by all
),

acquired as (
    select
        acquisition.cohort_month as month_start,
        acquisition.acquisition_channel,
        count(*) as new_customers,
        avg(acquisition.customer_value) as average_clv
    from acquisition
    group by all
),

final as (
    select
        coalesce(acquired.month_start, spend.month_start) as month_start,
        coalesce(acquired.acquisition_channel, spend.acquisition_channel) as acquisition_channel,
        coalesce(acquired.new_customers, 0) as new_customers,
        cast(round(coalesce(spend.marketing_spend, 0), 2) as decimal(18, 2)) as marketing_spend,
        round(spend.marketing_spend / nullif(acquired.new_customers, 0), 2) as cac,
        round(acquired.average_clv, 2) as average_clv,
        round(acquired.average_clv / nullif(spend.marketing_spend / nullif(acquired.new_customers, 0), 0), 2)
            as clv_to_cac
    from acquired
    full outer join spend
        on acquired.month_start = spend.month_start and acquired.acquisition_channel = spend.acquisition_channel
)

select * from final
