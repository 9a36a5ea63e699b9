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
        cast(null as {{ engine_type(column.data_type) }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false
{%- endmacro %}

{#- The rows of `demo` (a CTE of the calling model: the demo's systems of this kind) and a
    company's own exports of the kind (`exports:` in the run configuration; the Makefile passes
    their systems as the var activity_systems), in the columns of the calling model's contract
    (its properties, less the `derived` ones the model computes after the union), typed, in the contract's order on every branch (a plain union all, which
    every engine has). Ingest has already read their dates as ISO text and their decimals with a
    point; a value that still does not cast is NULL. Each row also has _source_file and
    _source_line, to pick the latest version (latest_exported_version). An incremental model
    (incremental=true) also gets each row's _dlt_load_id, and reads only the loads of the exports it
    has not seen (macros/incremental.sql); its `demo` CTE has _dlt_load_id too. An event log whose
    `demo` is unique on its key already passes `first_copy_of` (the key's columns): only the exports,
    where one event can come in two files, are reduced to its first copy, and the demo's rows skip
    the window (DECISIONLOG, incremental runs). -#}
{% macro exported_activity(kind, demo, derived=[], incremental=false, first_copy_of=none) -%}
    {#- derived: contract columns the model computes after the union, on neither branch -#}
    {#- lineage columns (_dlt_load_id, _staged_at) are documented on the model but are not the contract -#}
    {%- set columns = [] -%}
    {%- for column in model.columns.values() if column.name not in ['source_system'] + derived
        and not column.name.startswith('_') -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
    select
        source_system,
        {%- for column in columns %}
        {{ column.name }},
        {%- endfor %}
        _source_file,
        _source_line{{ ',\n        _dlt_load_id' if incremental }}
    from {{ demo }}
    {%- set systems = var('activity_systems', {}).get(kind, []) %}
    {%- if first_copy_of and systems %}
    union all
    select * from (
    {%- endif %}
    {%- for system in systems %}
    {%- set opens_exports = first_copy_of and loop.first %}
    {%- set relation = api.Relation.create(schema='raw_' ~ system, identifier=kind) %}
    {%- set present = [] %}
    {%- if execute %}
    {%- for column in adapter.get_columns_in_relation(relation) %}{% do present.append(column.name) %}{% endfor %}
    {%- endif %}
    {{ 'union all' if not opens_exports }}
    select
        '{{ system }}' as source_system,
        {%- for column in columns %}
        {%- if column.name in present %}
        try_cast(nullif(trim(cast({{ adapter.quote(column.name) }} as string)), '') as {{ engine_type(column.data_type) }})
            as {{ column.name }},
        {%- else %}
        cast(null as {{ engine_type(column.data_type) }}) as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        _source_file,
        {{ 'cast(_source_line as bigint)' if '_source_line' in present else 'cast(null as bigint)' }} as _source_line
        {%- if incremental %},
        _dlt_load_id
        {%- endif %}
    from {{ relation }}
    {%- if incremental %}
    where {{ unseen_loads(relation) }}
    {%- endif %}
    {%- endfor %}
    {%- if first_copy_of and systems %}
    ) as exported
    {{ latest_exported_version(first_copy_of, which='first') }}
    {%- endif %}
{%- endmacro %}
