{#- Every source of marketing spend in one contract, by month and channel: the demo's spend export
    and the company's own (a row per day or campaign is summed into its month). -#}
with

demo as (
    select
        'marketing' as source_system,
        spend_month,
        channel,
        spend_amount,
        currency,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_marketing__spend') }}
),

unioned as (
    {{ exported_activity('marketing_spend', demo='demo') }}
),

by_month as (
    select
        source_system,
        cast(date_trunc('month', spend_month) as date) as spend_month,
        lower(trim(channel)) as channel,
        cast(sum(spend_amount) as decimal(18, 2)) as spend_amount,
        upper(trim(currency)) as currency
    from unioned
    where spend_month is not null
    group by all
)

select * from by_month
