{#- One row per customer with a payment attempt before the as-of date: payment history. -#}

with

payments as (
    select * from {{ ref('fct_payments') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

in_period as (
    select payments.*
    from payments
    cross join period
    where payments.customer_id is not null and payments.paid_at < period.as_of_at
),

-- The method of the most successful payments; a tie goes to the most recently used, then by name,
-- so a rebuild picks the same method whatever order the rows arrive in.
method_use as (
    select
        customer_id,
        payment_method,
        count(*) as successful_payments,
        max(paid_at) as last_used_at
    from in_period
    where not is_failed and payment_method is not null
    group by customer_id, payment_method
),

preferred as (
    select
        customer_id,
        payment_method as preferred_payment_method
    from method_use
    qualify row_number() over (
        partition by customer_id order by successful_payments desc, last_used_at desc, payment_method asc
    ) = 1
),

history as (
    select
        customer_id,
        count(*) as payment_attempts,
        count(*) filter (where is_failed) as failed_payments,
        {{ sorted_items(distinct_items(list_of('payment_method'))) }} as payment_methods,
        max(paid_at) as last_payment_at
    from in_period
    group by customer_id
),

final as (
    select
        history.customer_id,
        history.payment_attempts,
        history.failed_payments,
        history.payment_methods,
        preferred.preferred_payment_method,
        history.last_payment_at
    from history
    left join preferred on history.customer_id = preferred.customer_id
)

select * from final
