{% call when_ingested('email') -%}
with

campaigns as (
    select * from {{ source('email', 'campaigns') }}
),

latest as (
    select *
    from campaigns
    {{ latest_exported_version('campaign_id') }}
),

renamed as (
    select
        campaign_id,
        name as campaign_name,
        channel,
        subject,
        try_cast(send_at as timestamp) as sent_at,
        audience_size,
        cost,
        upper(currency) as currency
    from latest
)

select * from renamed
{% endcall %}
