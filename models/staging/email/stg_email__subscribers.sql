with

subscribers as (
    select * from {{ source('email', 'subscribers') }}
),

latest as (
    select *
    from subscribers
    {{ latest_exported_version('subscriber_id') }}
),

renamed as (
    select
        subscriber_id,
        email,
        first_name,
        last_name,
        status as subscription_status,
        country,
        try_cast(opt_in_at as timestamp) as opted_in_at,
        try_cast(updated_at as timestamp) as updated_at
    from latest
)

select * from renamed
