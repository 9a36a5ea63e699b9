{#- Bring-your-own person files land in raw_<system>.person_records, one schema per file
    named in the run configuration; the Makefile passes their systems as the var
    person_file_systems. Their schemas are only known at run time, so they are read as
    relations rather than declared sources. Ingest gives every file the canonical person
    fields (empty where the file has none, dates already ISO with the export's text in
    <field>__raw and unreadable values noted in _data_issues) plus its declared identifiers as
    identifier__<name> columns, which are found here by name. -#}
{%- set systems = var('person_file_systems', []) -%}
{%- set fields = [
    'first_name', 'last_name', 'full_name', 'email', 'phone', 'date_of_birth',
    'address_line1', 'address_line2', 'city', 'state', 'postcode', 'country',
    'created_at', 'updated_at',
] -%}

with

canonical_shape as (
    select
        cast(null as string) as source_system,
        cast(null as string) as source_record_id,
        {% for field in fields %}
        cast(null as string) as {{ field }},
        {% endfor %}
        cast(null as {{ engine_type('varchar[]') }}) as identifiers,
        cast(null as string) as date_of_birth_as_exported,
        cast(null as string) as data_issues,
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_line
    where false
),

unioned as (
    select * from canonical_shape
    {%- for system in systems %}
    {%- set relation = api.Relation.create(schema='raw_' ~ system, identifier='person_records') %}
    {%- set identifier_columns = [] %}
    {%- set column_names = [] %}
    {%- if execute %}
    {%- for column in adapter.get_columns_in_relation(relation) %}
    {%- do column_names.append(column.name) %}
    {%- if column.name.startswith('identifier__') %}{% do identifier_columns.append(column.name) %}{% endif %}
    {%- endfor %}
    {%- endif %}
    union all
    select
        '{{ system }}' as source_system,
        cast(source_record_id as string) as source_record_id,
        {% for field in fields %}
        cast({{ field }} as string) as {{ field }},
        {% endfor %}
        -- a declared identifier as '<name>:<value>', the value in capitals without spaces or punctuation
        {%- set identifiers = [] %}
        {%- for column in identifier_columns %}
        {%- do identifiers.append("'" ~ column[12:] ~ ":' || nullif(" ~ replace_all("upper(cast(" ~ column ~ " as string))", "'[^A-Z0-9]'", "''") ~ ", '')") %}
        {%- endfor %}
        {{ text_list_without_nulls(identifiers) }} as identifiers,
        {{ 'date_of_birth__raw' if 'date_of_birth__raw' in column_names else 'cast(date_of_birth as string)' }}
            as date_of_birth_as_exported,
        {{ '_data_issues' if '_data_issues' in column_names else 'cast(null as string)' }} as data_issues,
        _source_file,
        {{ 'cast(_source_line as bigint)' if '_source_line' in column_names else 'cast(null as bigint)' }}
            as _source_line
    from {{ relation }}
    {%- endfor %}
),

-- An id seen more than once (a re-export, an id reused with new content) keeps its latest version:
-- the latest update time, then the latest file, then its last line. The older versions stay in
-- bronze and are counted by stg_person_files__reconciliation.
deduplicated as (
    select
        *,
        count(*) over (partition by source_system, source_record_id) as versions_in_bronze
    from unioned
    {{ latest_exported_version('source_system, source_record_id', updated_at=parse_timestamp_utc('updated_at')) }}
),

{{ standardised_person_records('deduplicated', ref('country_codes')) }},

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
