{#- One incoming person record, standardised exactly as a person file's record is, in the shape
    identity resolution reads (int_person_records_unioned's columns). The real-time service
    (c360/serving.py) compiles this once per published index and runs it on each request, with
    the record in serving_incoming (the canonical person fields as text, dates already ISO) and
    the country_codes seed copied to serving_country_codes. -#}

with

incoming as (
    select
        *,
        date_of_birth as date_of_birth_as_exported,
        cast(null as string) as data_issues,
        1 as versions_in_bronze
    from serving_incoming
),

{{ standardised_person_records('incoming', 'serving_country_codes') }},

finished as (
    {{ finish_person_record('standardised') }}
)

select
    source_system || ':' || source_record_id as person_record_id,
    source_system,
    source_record_id,
    first_name,
    last_name,
    email,
    email_match_key,
    phone_e164,
    date_of_birth,
    address_line1,
    city,
    state,
    postcode,
    country_code,
    identifiers,
    created_at,
    updated_at,
    false as is_test_account,
    cast(null as {{ engine_type('varchar[]') }}) as shop_activity_keys,
    false as is_shop_account
from finished
