{% call when_ingested('email') -%}
with

subscribers as (
    select * from {{ source('email', 'subscribers') }}
),

countries as (
    select * from {{ ref('country_codes') }}
),

latest as (
    select *
    from subscribers
    {{ latest_exported_version('subscriber_id') }}
),

standardised as (
    select
        latest.subscriber_id,
        {{ person_name_and_contact(first_name='latest.first_name', last_name='latest.last_name',
                                   email='latest.email') }},
        {{ country_code('latest.country', 'countries') }} as country_code,
        latest.status as subscription_status,
        try_cast(latest.opt_in_at as timestamp) as opted_in_at,
        try_cast(latest.updated_at as timestamp) as updated_at
    from latest
    left join countries on {{ country_name_key('latest.country') }} = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
{% endcall %}
