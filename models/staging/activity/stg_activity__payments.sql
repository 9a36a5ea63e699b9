{#- Every payment source in one contract: the demo's payment gateway and the company's own
    payment exports. Statuses are read into succeeded / failed, the words gateways use. -#}
with

gateway as (
    select
        'payments' as source_system,
        payment_id,
        'payments' as customer_system,
        payment_id as customer_record_id,
        order_number,
        paid_at,
        amount,
        currency,
        payment_status,
        failure_code,
        payment_method,
        card_brand,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_payments__payments') }}
),

unioned as (
    {{ exported_activity('payments', demo='gateway', derived=['is_negative_amount']) }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, payment_id') }}
),

standardised as (
    select
        source_system,
        payment_id,
        customer_system,
        customer_record_id,
        order_number,
        paid_at,
        amount,
        upper(trim(currency)) as currency,
        case
            when lower(trim(payment_status)) in (
                'succeeded', 'success', 'paid', 'captured', 'settled', 'completed', 'refunded', 'partially_refunded'
            ) then 'succeeded'
            when lower(trim(payment_status)) in ('failed', 'declined', 'error', 'blocked') then 'failed'
            else lower(trim(payment_status))
        end as payment_status,
        failure_code,
        -- an export with a card brand and no method column is a card processor's
        coalesce(lower(trim(payment_method)), case when card_brand is not null then 'card' end) as payment_method,
        lower(trim(card_brand)) as card_brand,
        amount < 0 as is_negative_amount
    from latest
)

select * from standardised
