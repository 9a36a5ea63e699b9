{#- Bring-your-own person files land in raw_<system>.person_records, one schema per file
    named in the run configuration; the Makefile passes their systems as the var
    person_file_systems. Their schemas are only known at run time, so they are read as
    relations rather than declared sources. -#}
{%- set systems = var('person_file_systems', []) -%}
{%- set fields = [
    'source_record_id', 'first_name', 'last_name', 'email', 'phone', 'date_of_birth',
    'address_line1', 'address_line2', 'city', 'state', 'postcode', 'country',
    'created_at', 'updated_at',
] -%}

with

canonical_shape as (
    select
        cast(null as varchar) as source_system,
        cast(null as varchar) as source_record_id,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as email,
        cast(null as varchar) as phone,
        cast(null as varchar) as date_of_birth,
        cast(null as varchar) as address_line1,
        cast(null as varchar) as address_line2,
        cast(null as varchar) as city,
        cast(null as varchar) as state,
        cast(null as varchar) as postcode,
        cast(null as varchar) as country,
        cast(null as varchar) as created_at,
        cast(null as varchar) as updated_at
    where false
),

unioned as (
    select * from canonical_shape
    {%- for system in systems %}
    union all by name
    select
        '{{ system }}' as source_system,
        columns(lambda column_name: list_contains({{ fields }}, column_name))
    from {{ api.Relation.create(schema='raw_' ~ system, identifier='person_records') }}
    {%- endfor %}
),

typed as (
    select
        source_system,
        cast(source_record_id as varchar) as source_record_id,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,
        cast(date_of_birth as varchar) as date_of_birth,
        cast(address_line1 as varchar) as address_line1,
        cast(address_line2 as varchar) as address_line2,
        cast(city as varchar) as city,
        cast(state as varchar) as state,
        cast(postcode as varchar) as postcode,
        cast(country as varchar) as country,
        cast(created_at as varchar) as created_at,
        cast(updated_at as varchar) as updated_at
    from unioned
),

-- A re-exported file repeats people: one row per (system, record id), keeping the last seen.
deduplicated as (
    select *
    from typed
    qualify row_number() over (partition by source_system, source_record_id order by updated_at desc nulls last) = 1
),

countries as (
    select * from {{ ref('country_codes') }}
),

standardised as (
    select
        deduplicated.source_system,
        deduplicated.source_record_id,
        {{ name_title('deduplicated.first_name') }} as title,
        {{ person_name_and_contact(first_name='deduplicated.first_name', last_name='deduplicated.last_name',
                                   email='deduplicated.email', phone='deduplicated.phone') }},
        deduplicated.date_of_birth as date_of_birth_raw,
        {{ parse_birth_date('deduplicated.date_of_birth') }} as date_of_birth,
        {{ clean_text('deduplicated.address_line1') }} as address_line1,
        {{ clean_text('deduplicated.address_line2') }} as address_line2,
        {{ clean_text('deduplicated.city') }} as city,
        {{ clean_text('deduplicated.state') }} as state,
        {{ clean_postcode('deduplicated.postcode', country_code('deduplicated.country', 'countries')) }} as postcode,
        {{ country_code('deduplicated.country', 'countries') }} as country_code,
        {{ parse_timestamp_utc('deduplicated.created_at') }} as created_at,
        {{ parse_timestamp_utc('deduplicated.updated_at') }} as updated_at
    from deduplicated
    left join countries on lower(trim(deduplicated.country)) = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
