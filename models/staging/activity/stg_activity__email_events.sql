{#- Every e-mail and SMS event source in one contract: the demo's e-mail platform and the
    company's own activity exports. Events are immutable: one exported twice is one event. -#}
with

platform as (
    select
        'email' as source_system,
        event_id,
        campaign_id,
        'email' as customer_system,
        subscriber_id as customer_record_id,
        event_type,
        event_at,
        cast(null as varchar) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_email__events') }}
),

unioned as (
    select * from platform
    {{ exported_activity('email_events') }}
),

distinct_events as (
    select *
    from unioned
    {{ latest_exported_version('source_system, event_id', which='first') }}
),

final as (
    select
        source_system,
        event_id,
        campaign_id,
        customer_system,
        customer_record_id,
        lower(trim(event_type)) as event_type,
        event_at
    from distinct_events
)

select * from final
