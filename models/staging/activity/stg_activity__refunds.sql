{#- Every refund source in one contract: the demo's payment gateway and the company's own refund
    exports. -#}
with

gateway as (
    select
        'payments' as source_system,
        refund_id,
        payment_id,
        refunded_at,
        amount,
        currency,
        refund_reason,
        refund_status,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    from {{ ref('stg_payments__refunds') }}
),

unioned as (
    {{ exported_activity('refunds', demo='gateway') }}
),

latest as (
    select *
    from unioned
    {{ latest_exported_version('source_system, refund_id') }}
),

final as (
    select
        source_system,
        refund_id,
        payment_id,
        refunded_at,
        abs(amount) as amount,
        upper(trim(currency)) as currency,
        refund_reason,
        case
            when lower(trim(refund_status)) in ('succeeded', 'success', 'refunded', 'completed', 'paid')
                then 'succeeded'
            else coalesce(lower(trim(refund_status)), 'succeeded')
        end as refund_status
    from latest
)

select * from final
