{#- Every web and app event source in one contract: the demo's event stream and the company's own
    event exports. Events are immutable: an event exported twice is one event. Incremental on
    DuckDB: a build adds the events staged or exported since the last one (macros/incremental.sql). -#}
{{ config(materialized=incremental_materialization()) }}

with

stream as (
    select
        'web' as source_system,
        event_id,
        event_type,
        event_at,
        anonymous_id,
        case when shop_customer_id is not null then 'shop' end as customer_system,
        cast(shop_customer_id as string) as customer_record_id,
        session_id,
        platform,
        device_type,
        page_path,
        cast(product_id as string) as product_id,
        order_number,
        utm_source,
        campaign_id,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line,
        _dlt_load_id
    from {{ ref('stg_web__events') }}
    where {{ staged_since_last_build() }}
),

unioned as (
    {{ exported_activity('web_events', demo='stream', incremental=true, first_copy_of='source_system, event_id') }}
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
    where event_kind = 'web'
),

final as (
    select
        distinct_events.source_system,
        distinct_events.event_id,
        coalesce(
            synonyms.event_type,
            {{ replace_all('lower(trim(distinct_events.event_type))', "'[^a-z0-9]+'", "'_'") }}
        ) as event_type,
        distinct_events.event_at,
        distinct_events.anonymous_id,
        distinct_events.customer_system,
        distinct_events.customer_record_id,
        -- an export without sessions: one session per device and day
        coalesce(
            distinct_events.session_id,
            distinct_events.anonymous_id || ':' || cast(cast(distinct_events.event_at as date) as string)
        ) as session_id,
        lower(trim(distinct_events.platform)) as platform,
        lower(trim(distinct_events.device_type)) as device_type,
        distinct_events.page_path,
        distinct_events.product_id,
        distinct_events.order_number,
        lower(trim(distinct_events.utm_source)) as utm_source,
        distinct_events.campaign_id,
        distinct_events._dlt_load_id,
        {{ staged_at() }} as _staged_at
    from distinct_events
    left join synonyms on lower(trim(distinct_events.event_type)) = synonyms.source_event
)

select * from final
