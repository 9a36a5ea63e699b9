{% call when_ingested('marketing') -%}
with

spend as (
    select * from {{ source('marketing', 'spend') }}
),

latest as (
    select *
    from spend
    {{ latest_exported_version('month, channel') }}
),

renamed as (
    select
        {{ parse_year_month('month') }} as spend_month,
        channel,
        spend as spend_amount,
        upper(currency) as currency
    from latest
)

select * from renamed
{% endcall %}
