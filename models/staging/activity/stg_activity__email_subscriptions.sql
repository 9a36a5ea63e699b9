{#- Every subscriber list in one contract: the demo's e-mail platform and the company's own member
    exports. The subscriber is a person record; the latest state per subscriber wins. -#}
with

platform as (
    select
        'email' as source_system,
        subscriber_id,
        'email' as customer_system,
        subscriber_id as customer_record_id,
        subscription_status,
        updated_at,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_email__subscribers') }}
),

unioned as (
    {{ exported_activity('email_subscriptions', demo='platform') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, subscriber_id', updated_at='updated_at') }}
),

final as (
    select
        source_system,
        subscriber_id,
        customer_system,
        customer_record_id,
        lower(trim(subscription_status)) as subscription_status,
        updated_at
    from latest
)

select * from final
