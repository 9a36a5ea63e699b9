{#- One row per refund, with the payment, order and customer it belongs to (the refunded
    payment's, from fct_payments). A refund names its payment by id only (a refunds export can be
    a system of its own): when two payment systems share the id, the first system by name. -#}

with

refunds as (
    select * from {{ ref('stg_activity__refunds') }}
),

payments as (
    select * from {{ ref('fct_payments') }}
    qualify row_number() over (partition by payment_id order by source_system) = 1
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
)

select
    refunds.source_system,
    refunds.refund_id,
    refunds.payment_id,
    payments.source_system as payment_system,
    payments.order_system,
    payments.order_id,
    payments.customer_id,
    refunds.refunded_at,
    refunds.refund_reason,
    refunds.refund_status,
    refunds.amount as refund_amount,
    refunds.currency,
    cast(round(refunds.amount * fx_rates.rate_to_reporting, 2) as decimal(18, 2)) as refund_amount_reporting
from refunds
left join payments on refunds.payment_id = payments.payment_id
left join fx_rates on refunds.currency = fx_rates.currency
