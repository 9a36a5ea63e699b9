with

spend as (
    select * from {{ source('marketing', 'spend') }}
),

latest as (
    select *
    from spend
    qualify row_number() over (partition by month, channel order by _source_file desc, _source_line desc) = 1
),

renamed as (
    select
        cast(strptime(month, '%Y-%m') as date) as spend_month,
        channel,
        spend as spend_amount,
        upper(currency) as currency
    from latest
)

select * from renamed
