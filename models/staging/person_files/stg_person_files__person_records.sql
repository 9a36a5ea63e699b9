{#- Bring-your-own person files land in raw_<system>.person_records, one schema per file
    named in the run configuration; the Makefile passes their systems as the var
    person_file_systems. Their schemas are only known at run time, so they are read as
    relations rather than declared sources. Ingest gives every file the canonical person
    fields (empty where the file has none) plus its declared identifiers as identifier__<name>
    columns, which are found here by name. -#}
{%- set systems = var('person_file_systems', []) -%}
{%- set fields = [
    'first_name', 'last_name', 'email', 'phone', 'date_of_birth',
    'address_line1', 'address_line2', 'city', 'state', 'postcode', 'country',
    'created_at', 'updated_at',
] -%}

with

canonical_shape as (
    select
        cast(null as varchar) as source_system,
        cast(null as varchar) as source_record_id,
        {% for field in fields %}
        cast(null as varchar) as {{ field }},
        {% endfor %}
        cast(null as varchar[]) as identifiers
    where false
),

unioned as (
    select * from canonical_shape
    {%- for system in systems %}
    {%- set relation = api.Relation.create(schema='raw_' ~ system, identifier='person_records') %}
    {%- set identifier_columns = [] %}
    {%- if execute %}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name.startswith('identifier__') %}
    {%- do identifier_columns.append(column.name) %}
    {%- endfor %}
    {%- endif %}
    union all by name
    select
        '{{ system }}' as source_system,
        cast(source_record_id as varchar) as source_record_id,
        {% for field in fields %}
        cast({{ field }} as varchar) as {{ field }},
        {% endfor %}
        -- a declared identifier as '<name>:<value>', the value in capitals without spaces or punctuation
        list_filter([
            {%- for column in identifier_columns %}
            '{{ column[12:] }}:' || nullif(regexp_replace(upper(cast({{ column }} as varchar)), '[^A-Z0-9]', '', 'g'), '')
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ], lambda identifier: identifier is not null) as identifiers
    from {{ relation }}
    {%- endfor %}
),

-- A re-exported file repeats people: one row per (system, record id), keeping the last seen.
deduplicated as (
    select *
    from unioned
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
        {{ parse_timestamp_utc('deduplicated.updated_at') }} as updated_at,
        nullif(deduplicated.identifiers, []) as identifiers
    from deduplicated
    left join countries on lower(trim(deduplicated.country)) = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
