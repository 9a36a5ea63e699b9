{#- Every help desk in one contract: the demo's support desk and the company's own ticket exports
    (their latest state). -#}
with

desk as (
    select
        'support' as source_system,
        ticket_id,
        'support' as customer_system,
        ticket_id as customer_record_id,
        channel,
        category,
        priority,
        ticket_status,
        subject,
        csat_score,
        order_number,
        created_at,
        updated_at,
        resolved_at,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_support__tickets') }}
),

unioned as (
    {{ exported_activity('support_tickets', demo='desk') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, ticket_id', updated_at='updated_at') }}
),

standardised as (
    select
        source_system,
        ticket_id,
        customer_system,
        customer_record_id,
        replace(lower(trim(channel)), ' ', '_') as channel,
        lower(trim(category)) as category,
        lower(trim(priority)) as priority,
        lower(trim(ticket_status)) as ticket_status,
        subject,
        csat_score,
        order_number,
        created_at,
        coalesce(updated_at, created_at) as updated_at,
        resolved_at
    from latest
)

select * from standardised
