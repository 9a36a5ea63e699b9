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
)

select * from deduplicated
