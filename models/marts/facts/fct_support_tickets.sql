{#- One row per support ticket (its latest state) from every help desk, with the requester's
    resolved customer. -#}

with

tickets as (
    select * from {{ ref('stg_activity__support_tickets') }}
),

requesters as (
    select
        source_system as customer_system,
        source_record_id as customer_record_id,
        customer_id,
        is_test_account
    from {{ ref('customer_identity_map') }}
),

orders as (
    select
        source_system as order_system,
        order_id,
        order_number
    from {{ ref('stg_activity__orders') }}
    qualify row_number() over (partition by order_number order by source_system, order_id) = 1
)

select
    tickets.source_system,
    tickets.ticket_id,
    requesters.customer_id,
    orders.order_system,
    orders.order_id,
    tickets.created_at,
    tickets.updated_at,
    tickets.resolved_at,
    tickets.channel,
    tickets.category,
    tickets.priority,
    tickets.ticket_status,
    tickets.ticket_status in ('new', 'open', 'pending') as is_open,
    round({{ date_diff_in('minute', 'tickets.created_at', 'tickets.resolved_at') }} / 60.0, 2) as resolution_hours,
    tickets.csat_score,
    coalesce(requesters.is_test_account, false) as is_test_account
from tickets
left join requesters
    on
        tickets.customer_system = requesters.customer_system
        and tickets.customer_record_id = requesters.customer_record_id
left join orders on tickets.order_number = orders.order_number
