{{ config(materialized=incremental_materialization()) }}

{% call when_ingested('email') -%}
with

events as (
    select * from {{ source('email', 'events') }}
    where {{ unseen_loads(source('email', 'events')) }}
),

-- on an incremental build, a copy of an event already staged stays out
deduplicated as (
    select *
    from events
    {%- if is_incremental() %}
    where not exists (select 1 from {{ this }} as staged where staged.event_id = events.event_id)
    {%- endif %}
    {{ latest_exported_version('event_id', which='first') }}
),

renamed as (
    select
        event_id,
        campaign_id,
        subscriber_id,
        email,
        event_type,
        try_cast(event_at as timestamp) as event_at,
        _dlt_load_id,
        {{ staged_at() }} as _staged_at
    from deduplicated
)

select * from renamed
{% endcall %}
