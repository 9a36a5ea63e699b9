{#- One row per marketing campaign (e-mail or SMS), with its cost in the reporting currency. -#}

with

campaigns as (
    select * from {{ ref('stg_activity__email_campaigns') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
)

select
    campaigns.campaign_id,
    campaigns.campaign_name,
    campaigns.channel,
    campaigns.subject,
    campaigns.sent_at,
    campaigns.audience_size,
    campaigns.cost,
    campaigns.currency,
    cast(round(campaigns.cost * fx_rates.rate_to_reporting, 2) as decimal(18, 2)) as cost_reporting
from campaigns
left join fx_rates on campaigns.currency = fx_rates.currency
