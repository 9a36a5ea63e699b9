with

refunds as (
    select * from {{ source('payments', 'refunds') }}
),

deduplicated as (
    select *
    from refunds
    qualify row_number() over (partition by id order by _source_file desc, _source_line desc) = 1
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
