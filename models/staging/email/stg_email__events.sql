{% call when_ingested('email') -%}
with

events as (
    select * from {{ source('email', 'events') }}
),

deduplicated as (
    select *
    from events
    {{ latest_exported_version('event_id', which='first') }}
),

renamed as (
    select
        event_id,
        campaign_id,
        subscriber_id,
        email,
        event_type,
        try_cast(event_at as timestamp) as event_at
    from deduplicated
)

select * from renamed
{% endcall %}
