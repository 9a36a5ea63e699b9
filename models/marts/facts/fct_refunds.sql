{#- One row per refund, with the payment, order and customer it belongs to. -#}

with

refunds as (
    select * from {{ ref('stg_payments__refunds') }}
),

payments as (
    select * from {{ ref('stg_payments__payments') }}
),

payers as (
    select
        source_record_id as payment_id,
        customer_id
    from {{ ref('customer_identity_map') }}
    where source_system = 'payments'
),

orders as (
    select
        order_id,
        order_number
    from {{ ref('stg_shop__orders') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
)

select
    refunds.refund_id,
    refunds.payment_id,
    orders.order_id,
    payers.customer_id,
    refunds.refunded_at,
    refunds.refund_reason,
    refunds.refund_status,
    refunds.amount as refund_amount,
    refunds.currency,
    cast(round(refunds.amount * fx_rates.rate_to_reporting, 2) as decimal(18, 2)) as refund_amount_reporting
from refunds
left join payments on refunds.payment_id = payments.payment_id
left join payers on refunds.payment_id = payers.payment_id
left join orders on payments.order_number = orders.order_number
left join fx_rates on refunds.currency = fx_rates.currency
