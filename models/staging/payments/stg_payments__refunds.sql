{% call when_ingested('payments') -%}
with

refunds as (
    select * from {{ source('payments', 'refunds') }}
),

deduplicated as (
    select *
    from refunds
    {{ latest_exported_version('id') }}
),

renamed as (
    select
        id as refund_id,
        payment_id,
        created as refunded_at,
        amount,
        upper(currency) as currency,
        reason as refund_reason,
        status as refund_status
    from deduplicated
)

select * from renamed
{% endcall %}
