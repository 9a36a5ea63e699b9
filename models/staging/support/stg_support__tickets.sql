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

renamed as (
    select
        ticket_id,
        channel,
        category,
        priority,
        status as ticket_status,
        subject,
        csat_score,
        order_reference as order_number,
        requester__name as requester_name,
        requester__email as requester_email,
        requester__phone as requester_phone,
        created_at,
        updated_at,
        resolved_at
    from latest
)

select * from renamed
