{#- A source system the configuration did not ingest still has its staging models, empty and with
    the columns and types their properties declare, so every layer downstream builds on whatever
    activity a configuration has (no orders: no revenue, not a missing table).

    {% call when_ingested('shop') %} ...the model's SQL... {% endcall %} -#}
{% macro when_ingested(system) -%}
    {%- if system in configured_systems() -%}
        {{ caller() }}
    {%- else -%}
        {{ empty_relation(system) }}
    {%- endif -%}
{%- endmacro %}

{#- No rows, the declared columns (name and data_type in the model's properties). -#}
{% macro empty_relation(system) -%}
    {%- set columns = model.columns.values() | list -%}
    {%- if execute and columns | rejectattr('data_type') | list | length > 0 -%}
        {{ exceptions.raise_compiler_error(model.name ~ ': every column needs a data_type in its properties, '
                                            ~ 'so the model can stand empty when ' ~ system ~ ' is not ingested') }}
    {%- endif -%}
    -- {{ system }} is not in this configuration: no rows
    select
        {%- for column in columns %}
        cast(null as {{ column.data_type }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false
{%- endmacro %}

{#- A company's own exports of one kind of activity (`exports:` in the run configuration; the
    Makefile passes their systems as the var activity_systems), in the columns of the calling
    model's contract (its properties), typed. Ingest has already read their dates as ISO text
    and their decimals with a point; a value that still does not cast is NULL. Each row also
    has _source_file and _source_line, to pick the latest version (latest_exported_version). -#}
{% macro exported_activity(kind) -%}
    {%- set columns = model.columns.values() | rejectattr('name', 'equalto', 'source_system') | list -%}
    {%- for system in var('activity_systems', {}).get(kind, []) %}
    {%- set relation = api.Relation.create(schema='raw_' ~ system, identifier=kind) %}
    {%- set present = [] %}
    {%- if execute %}
    {%- for column in adapter.get_columns_in_relation(relation) %}{% do present.append(column.name) %}{% endfor %}
    {%- endif %}
    union all by name
    select
        '{{ system }}' as source_system,
        {%- for column in columns %}
        {%- if column.name in present %}
        try_cast(nullif(trim(cast({{ adapter.quote(column.name) }} as varchar)), '') as {{ column.data_type }})
            as {{ column.name }},
        {%- else %}
        cast(null as {{ column.data_type }}) as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        _source_file,
        {{ 'cast(_source_line as bigint)' if '_source_line' in present else 'cast(null as bigint)' }} as _source_line
    from {{ relation }}
    {%- endfor %}
{%- endmacro %}
