{#- Every e-mail and SMS event source in one contract: the demo's e-mail platform and the
    company's own activity exports. Events are immutable: one exported twice is one event.
    Incremental on DuckDB: a build adds the events staged or exported since the last one
    (macros/incremental.sql). -#}
{{ config(materialized=incremental_materialization()) }}

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
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line,
        _dlt_load_id
    from {{ ref('stg_email__events') }}
    where {{ staged_since_last_build() }}
),

unioned as (
    {{ exported_activity('email_events', demo='platform', incremental=true, first_copy_of='source_system, event_id') }}
),

-- on an incremental build, an event already staged keeps its first copy
distinct_events as (
    select *
    from unioned
    {%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as staged
        where staged.source_system = unioned.source_system and staged.event_id = unioned.event_id
    )
    {%- endif %}
),

-- a platform's own name for a contract event (Segment's 'Product Viewed' is product_view)
synonyms as (
    select
        source_event,
        event_type
    from {{ ref('event_type_synonyms') }}
    where event_kind = 'email'
),

final as (
    select
        distinct_events.source_system,
        distinct_events.event_id,
        distinct_events.campaign_id,
        distinct_events.customer_system,
        distinct_events.customer_record_id,
        coalesce(
            synonyms.event_type,
            {{ replace_all('lower(trim(distinct_events.event_type))', "'[^a-z0-9]+'", "'_'") }}
        ) as event_type,
        distinct_events.event_at,
        distinct_events._dlt_load_id,
        {{ staged_at() }} as _staged_at
    from distinct_events
    left join synonyms on lower(trim(distinct_events.event_type)) = synonyms.source_event
)

select * from final
