with

customers as (
    select * from {{ source('shop', 'customers') }}
),

renamed as (
    select
        customer_id,
        email,
        first_name,
        last_name,
        phone,
        date_of_birth as date_of_birth_raw,
        address_line1,
        address_line2,
        city,
        state,
        postcode,
        country,
        marketing_opt_in = 1 as has_marketing_opt_in,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        _dlt_load_id as load_id
    from customers
)

select * from renamed
