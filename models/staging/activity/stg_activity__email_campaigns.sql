{#- Every e-mail and SMS campaign source in one contract: the demo's e-mail platform and the
    company's own campaign exports. -#}
with

platform as (
    select
        'email' as source_system,
        campaign_id,
        campaign_name,
        channel,
        subject,
        sent_at,
        audience_size,
        cost,
        currency,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_email__campaigns') }}
),

unioned as (
    {{ exported_activity('email_campaigns', demo='platform') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, campaign_id') }}
),

final as (
    select
        source_system,
        campaign_id,
        campaign_name,
        coalesce(lower(trim(channel)), 'email') as channel,
        subject,
        sent_at,
        audience_size,
        cost,
        upper(trim(currency)) as currency
    from latest
)

select * from final
