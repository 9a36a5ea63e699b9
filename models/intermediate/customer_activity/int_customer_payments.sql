{#- One row per customer with a payment attempt before the as-of date: payment history. -#}

with

payments as (
    select * from {{ ref('fct_payments') }}
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

final as (
    select
        payments.customer_id,
        count(*) as payment_attempts,
        count(*) filter (where payments.is_failed) as failed_payments,
        {{ sorted_items(distinct_items(list_of('payments.payment_method'))) }} as payment_methods,
        mode(payments.payment_method) filter (where not payments.is_failed) as preferred_payment_method,
        max(payments.paid_at) as last_payment_at
    from payments
    cross join period
    where payments.customer_id is not null and payments.paid_at < period.as_of_at
    group by payments.customer_id
)

select * from final
