{#- Seeds on Spark with values written as escaped literals. dbt-spark's session connection fills
    its bindings in with Python's `%` and quotes no string, so a value with an apostrophe
    (cote d'ivoire) broke the insert. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set column = agate_table.column_names[loop.index0] -%}
                    {%- set type = column_override.get(column, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ spark_literal(value) }} as {{ type }}){{ "," if not loop.last }}
                {%- endfor -%}){{ "," if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else "") }}
{% endmacro %}

{% macro spark_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is number -%}{{ value }}
    {%- else -%}'{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{#- A column type as this engine spells it. The contracts and models are written in DuckDB's
    names; Spark has no varchar without a length, no `timestamp with time zone` (its `timestamp`
    is an instant, the same meaning) and writes lists as array<...>. -#}
{% macro engine_type(data_type) -%}
    {{ return(adapter.dispatch('engine_type', 'customer360')(data_type)) }}
{%- endmacro %}

{% macro default__engine_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro spark__engine_type(data_type) -%}
    {%- set spelled = data_type | trim | lower -%}
    {%- if spelled.endswith('[]') -%}
        {{ return('array<' ~ spark__engine_type(spelled[:-2]) ~ '>') }}
    {%- endif -%}
    {{ return({'varchar': 'string', 'text': 'string', 'timestamp with time zone': 'timestamp',
               'timestamptz': 'timestamp', 'hugeint': 'decimal(38, 0)'}.get(spelled, spelled)) }}
{%- endmacro %}

{#- Every match of `pattern` replaced (DuckDB replaces the first unless told 'g'; Spark all). -#}
{% macro replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all', 'customer360')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

{#- A list of text values without its NULLs, empty when none is left: items are SQL expressions. -#}
{% macro text_list_without_nulls(items) -%}
    {{ return(adapter.dispatch('text_list_without_nulls', 'customer360')(items)) }}
{%- endmacro %}

{% macro default__text_list_without_nulls(items) -%}
    list_filter(cast([{{ items | join(', ') }}] as varchar[]), lambda item: item is not null)
{%- endmacro %}

{% macro spark__text_list_without_nulls(items) -%}
    filter(cast(array({{ items | join(', ') }}) as array<string>), item -> item is not null)
{%- endmacro %}

{#- NULL for an empty list, the list otherwise. -#}
{% macro nonempty_list(list) -%}
    {{ return(adapter.dispatch('nonempty_list', 'customer360')(list)) }}
{%- endmacro %}

{% macro default__nonempty_list(list) -%}
    case when len({{ list }}) > 0 then {{ list }} end
{%- endmacro %}

{% macro spark__nonempty_list(list) -%}
    case when size({{ list }}) > 0 then {{ list }} end
{%- endmacro %}
