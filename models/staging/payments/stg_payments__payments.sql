with

payments as (
    select * from {{ source('payments', 'payments') }}
),

-- Exports repeat rows (exact duplicates, re-sent days): one row per payment id.
deduplicated as (
    select *
    from payments
    {{ latest_exported_version('id') }}
),

renamed as (
    select
        id as payment_id,
        created as paid_at,
        amount,
        upper(currency) as currency,
        status as payment_status,
        failure_code,
        payment_method_type as payment_method,
        card_brand,
        card_last4,
        order_reference as order_number,
        billing_name,
        billing_email,
        billing_phone,
        billing_country,
        billing_postcode,
        _source_file as source_file
    from deduplicated
)

select * from renamed
