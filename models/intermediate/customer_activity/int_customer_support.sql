{#- One row per customer who raised a support ticket before the as-of date. -#}

with

tickets as (
    select * from {{ ref('fct_support_tickets') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

final as (
    select
        tickets.customer_id,
        count(*) as tickets,
        count(*) filter (where tickets.is_open) as open_tickets,
        round(avg(tickets.resolution_hours), 1) as average_resolution_hours,
        round(avg(tickets.csat_score), 2) as average_csat,
        max(tickets.created_at) as last_ticket_at
    from tickets
    cross join period
    where tickets.customer_id is not null and tickets.created_at < period.as_of_at
    group by tickets.customer_id
)

select * from final
