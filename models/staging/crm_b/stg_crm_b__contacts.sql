{% call when_ingested('crm_b') -%}
with

contacts as (
    select * from {{ source('crm_b', 'contacts') }}
),

countries as (
    select * from {{ ref('country_codes') }}
),

-- Later exports hold later versions: keep the last exported version of each contact.
latest as (
    select *
    from contacts
    {{ latest_exported_version('contactid') }}
),

standardised as (
    select
        latest.contactid as contact_id,
        coalesce({{ salutation("latest.salutation") }}, {{ name_title('latest.firstname') }}) as title,
        {{ person_name_and_contact(first_name='latest.firstname', last_name='latest.lastname',
                                   email='latest.emailaddress1', phone='coalesce(latest.mobilephone, latest.telephone1)') }},
        {{ proper_case(clean_text('latest.middlename')) }} as middle_name,
        {{ clean_email('latest.emailaddress2') }} as email_secondary,
        latest.birthdate as date_of_birth_raw,
        {{ parse_birth_date('latest.birthdate') }} as date_of_birth,
        {{ clean_text('latest.address1_line1') }} as address_line1,
        {{ clean_text('latest.address1_line2') }} as address_line2,
        {{ clean_text('latest.address1_city') }} as city,
        {{ clean_text('latest.address1_stateorprovince') }} as state,
        {{ clean_postcode('latest.address1_postalcode', country_code('latest.address1_country', 'countries')) }}
            as postcode,
        {{ country_code('latest.address1_country', 'countries') }} as country_code,
        latest.statecode = 1 as is_inactive,
        {{ parse_timestamp_utc('latest.createdon') }} as created_at,
        {{ parse_timestamp_utc('latest.modifiedon') }} as updated_at,
        latest._source_file as source_file
    from latest
    left join countries on {{ country_name_key('latest.address1_country') }} = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
{% endcall %}
