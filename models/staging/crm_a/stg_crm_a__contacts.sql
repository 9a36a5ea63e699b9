{% call when_ingested('crm_a') -%}
with

contacts as (
    select * from {{ source('crm_a', 'contacts') }}
),

countries as (
    select * from {{ ref('country_codes') }}
),

standardised as (
    select
        contacts.id as contact_id,
        coalesce({{ salutation("contacts.salutation") }}, {{ name_title('contacts.first_name') }}) as title,
        {{ person_name_and_contact(first_name='contacts.first_name', last_name='contacts.last_name',
                                   email='contacts.email', phone='coalesce(contacts.mobile_phone, contacts.phone)') }},
        contacts.birthdate as date_of_birth,
        {{ clean_text('contacts.mailing_address__street') }} as address_line1,
        cast(null as string) as address_line2,
        {{ clean_text('contacts.mailing_address__city') }} as city,
        {{ clean_text('contacts.mailing_address__state') }} as state,
        {{ clean_postcode('contacts.mailing_address__postal_code',
                          country_code('contacts.mailing_address__country', 'countries')) }} as postcode,
        {{ country_code('contacts.mailing_address__country', 'countries') }} as country_code,
        contacts.lead_source,
        coalesce(contacts.is_deleted, false) as is_deleted,
        {{ utc_timestamp('contacts.created_date') }} as created_at,
        {{ utc_timestamp('contacts.last_modified_date') }} as updated_at
    from contacts
    left join countries on {{ country_name_key('contacts.mailing_address__country') }} = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
{% endcall %}
