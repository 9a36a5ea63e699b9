with

contacts as (
    select * from {{ source('crm_b', 'contacts') }}
),

-- Later exports hold later versions: keep the last exported version of each contact.
latest as (
    select *
    from contacts
    {{ latest_exported_version('contactid') }}
),

renamed as (
    select
        contactid as contact_id,
        salutation,
        firstname as first_name,
        middlename as middle_name,
        lastname as last_name,
        emailaddress1 as email,
        emailaddress2 as email_secondary,
        telephone1 as phone,
        mobilephone as mobile_phone,
        birthdate as date_of_birth_raw,
        address1_line1 as address_line1,
        address1_line2 as address_line2,
        address1_city as city,
        address1_stateorprovince as state,
        address1_postalcode as postcode,
        address1_country as country,
        createdon as created_at_raw,
        modifiedon as updated_at_raw,
        statecode = 1 as is_inactive,
        _source_file as source_file,
        _dlt_load_id as load_id
    from latest
)

select * from renamed
