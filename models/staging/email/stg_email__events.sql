with

events as (
    select * from {{ source('email', 'events') }}
),

deduplicated as (
    select *
    from events
    qualify row_number() over (partition by event_id order by _source_file, _source_line) = 1
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
