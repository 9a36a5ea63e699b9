{% call when_ingested('support') -%}
with

tickets as (
    select * from {{ source('support', 'tickets') }}
),

latest as (
    select *
    from tickets
    qualify row_number() over (
        partition by ticket_id order by updated_at desc nulls last, _source_file desc, _source_line desc
    ) = 1
),

standardised as (
    select
        latest.ticket_id,
        latest.channel,
        latest.category,
        latest.priority,
        latest.status as ticket_status,
        latest.subject,
        latest.csat_score,
        latest.order_reference as order_number,
        -- The requester is a person record: standardised like every other.
        latest.requester__name as requester_name_raw,
        {{ person_name_and_contact(full_name='latest.requester__name', email='latest.requester__email',
                                   phone='latest.requester__phone') }},
        cast(null as string) as country_code,
        {{ utc_timestamp('latest.created_at') }} as created_at,
        {{ utc_timestamp('latest.updated_at') }} as updated_at,
        {{ utc_timestamp('latest.resolved_at') }} as resolved_at
    from latest
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
{% endcall %}
