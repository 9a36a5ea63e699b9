{#- One row per payment attempt from every payment source. The customer is who paid: the
    payment's billing details are a person record of their own, resolved like every other. An orphan payment (its order reference
    matches no order) is kept and flagged. -#}

with

payments as (
    select * from {{ ref('stg_activity__payments') }}
),

payers as (
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
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
)

select
    payments.source_system,
    payments.payment_id,
    payers.customer_id,
    orders.order_system,
    orders.order_id,
    payments.order_number,
    orders.order_id is null as is_orphan,
    payments.paid_at,
    payments.payment_status,
    payments.payment_status = 'failed' as is_failed,
    payments.failure_code,
    payments.payment_method,
    payments.card_brand,
    payments.amount,
    payments.currency,
    cast(round(payments.amount * fx_rates.rate_to_reporting, 2) as decimal(18, 2)) as amount_reporting,
    payments.is_negative_amount,
    coalesce(payers.is_test_account, false) as is_test_account
from payments
left join payers
    on
        payments.customer_system = payers.customer_system
        and payments.customer_record_id = payers.customer_record_id
left join orders on payments.order_number = orders.order_number
left join fx_rates on payments.currency = fx_rates.currency
