with

contacts as (
    select * from {{ source('crm_a', 'contacts') }}
),

renamed as (
    select
        id as contact_id,
        salutation,
        first_name,
        last_name,
        email,
        phone,
        mobile_phone,
        birthdate as date_of_birth,
        mailing_address__street as street,
        mailing_address__city as city,
        mailing_address__state as state,
        mailing_address__postal_code as postcode,
        mailing_address__country as country,
        lead_source,
        coalesce(is_deleted, false) as is_deleted,
        created_date as created_at,
        last_modified_date as updated_at,
        _dlt_load_id as load_id
    from contacts
)

select * from renamed
