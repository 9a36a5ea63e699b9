{#- Seeds on Spark with values written as literals. dbt-spark's session connection fills its
    bindings in with Python's `%` and quotes no string, so a value with an apostrophe (cote
    d'ivoire) broke the insert. The session reads literals as written (escapedStringLiterals),
    so an apostrophe is chr(39). -#}
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
    {%- else -%}concat('{{ value | string | replace("'", "', chr(39), '") }}')
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

{#- Timestamp differences as DuckDB's date_diff counts them: unit boundaries crossed (calendar
    years, months and days; whole seconds and minutes of the clock), the same on every engine. -#}
{% macro date_diff_in(unit, start, end) -%}
    {{ return(adapter.dispatch('date_diff_in', 'customer360')(unit, start, end)) }}
{%- endmacro %}

{% macro default__date_diff_in(unit, start, end) -%}
    date_diff('{{ unit }}', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__date_diff_in(unit, start, end) -%}
    {%- if unit == 'year' -%} (year({{ end }}) - year({{ start }}))
    {%- elif unit == 'month' -%} ((year({{ end }}) - year({{ start }})) * 12 + month({{ end }}) - month({{ start }}))
    {%- elif unit == 'day' -%} datediff(cast({{ end }} as date), cast({{ start }} as date))
    {%- elif unit == 'minute' -%} (floor(unix_timestamp({{ end }}) / 60) - floor(unix_timestamp({{ start }}) / 60))
    {%- elif unit == 'second' -%} (unix_timestamp({{ end }}) - unix_timestamp({{ start }}))
    {%- else -%} {{ exceptions.raise_compiler_error("date_diff_in: no Spark version for unit " ~ unit) }}
    {%- endif -%}
{%- endmacro %}

{#- A struct from a dict of field name -> SQL expression, fields in the dict's order. -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'customer360')(fields)) }}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    {{ '{' }}{% for name, expression in fields.items() %}'{{ name }}': {{ expression }}{{ ', ' if not loop.last }}{% endfor %}{{ '}' }}
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct({% for name, expression in fields.items() %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- Microseconds since 1970 of a timestamp. -#}
{% macro epoch_microseconds(timestamp) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'customer360')(timestamp)) }}
{%- endmacro %}

{% macro default__epoch_microseconds(timestamp) -%}
    epoch_us({{ timestamp }})
{%- endmacro %}

{% macro spark__epoch_microseconds(timestamp) -%}
    unix_micros(cast({{ timestamp }} as timestamp))
{%- endmacro %}

{#- Whether the whole of `text` matches `pattern` (a SQL string literal). -#}
{% macro matches_fully(text, pattern) -%}
    {{ return(adapter.dispatch('matches_fully', 'customer360')(text, pattern)) }}
{%- endmacro %}

{% macro default__matches_fully(text, pattern) -%}
    regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__matches_fully(text, pattern) -%}
    regexp_like({{ text }}, '^(?:' || {{ pattern }} || ')$')
{%- endmacro %}

{#- Aggregate: the values of `expression` in a list (NULLs left out on both engines). -#}
{% macro list_of(expression) -%}
    {{ return(adapter.dispatch('list_of', 'customer360')(expression)) }}
{%- endmacro %}

{% macro default__list_of(expression) -%}
    list({{ expression }}) filter (where {{ expression }} is not null)
{%- endmacro %}

{% macro spark__list_of(expression) -%}
    collect_list({{ expression }})
{%- endmacro %}

{#- Aggregate: the first `n` values of `expression` in the order of `sort_keys` (a list of
    (expression, 'asc' or 'desc')); NULL values of `expression` left out. -#}
{% macro first_values(expression, sort_keys, n) -%}
    {{ return(adapter.dispatch('first_values', 'customer360')(expression, sort_keys, n)) }}
{%- endmacro %}

{% macro default__first_values(expression, sort_keys, n) -%}
    (list({{ expression }} order by {% for key, direction in sort_keys %}{{ key }} {{ direction }}{{ ', ' if not loop.last }}{% endfor %})
        filter (where {{ expression }} is not null))[1:{{ n }}]
{%- endmacro %}

{% macro spark__first_values(expression, sort_keys, n) -%}
    transform(slice(array_sort(collect_list(named_struct(
        {%- for key, direction in sort_keys %}'k{{ loop.index }}', {{ key }}, {% endfor -%}
        'value', {{ expression }})), (a, b) -> case
            {%- for key, direction in sort_keys %}
            {%- set first, second = ('a', 'b') if direction == 'asc' else ('b', 'a') %}
            when {{ first }}.k{{ loop.index }} < {{ second }}.k{{ loop.index }} then -1
            when {{ first }}.k{{ loop.index }} > {{ second }}.k{{ loop.index }} then 1
            {%- endfor %}
            else 0 end), 1, {{ n }}), item -> item.value)
{%- endmacro %}

{#- A list's distinct items; its items sorted; its items for which `predicate` (SQL over `item`) holds. -#}
{% macro distinct_items(list) -%}
    {{ return(adapter.dispatch('distinct_items', 'customer360')(list)) }}
{%- endmacro %}

{% macro default__distinct_items(list) -%}
    list_distinct({{ list }})
{%- endmacro %}

{% macro spark__distinct_items(list) -%}
    array_distinct({{ list }})
{%- endmacro %}

{% macro sorted_items(list) -%}
    {{ return(adapter.dispatch('sorted_items', 'customer360')(list)) }}
{%- endmacro %}

{% macro default__sorted_items(list) -%}
    list_sort({{ list }})
{%- endmacro %}

{% macro spark__sorted_items(list) -%}
    array_sort({{ list }})
{%- endmacro %}

{% macro items_where(list, predicate) -%}
    {{ return(adapter.dispatch('items_where', 'customer360')(list, predicate)) }}
{%- endmacro %}

{% macro default__items_where(list, predicate) -%}
    list_filter({{ list }}, lambda item: {{ predicate }})
{%- endmacro %}

{% macro spark__items_where(list, predicate) -%}
    filter({{ list }}, item -> {{ predicate }})
{%- endmacro %}

{#- A list joined into text with `separator` (a SQL string literal). -#}
{% macro joined_items(list, separator) -%}
    {{ return(adapter.dispatch('joined_items', 'customer360')(list, separator)) }}
{%- endmacro %}

{% macro default__joined_items(list, separator) -%}
    array_to_string({{ list }}, {{ separator }})
{%- endmacro %}

{% macro spark__joined_items(list, separator) -%}
    array_join({{ list }}, {{ separator }})
{%- endmacro %}

{#- A FROM item: table `alias` with one column `column`, the integers or dates from `start` to `stop`
    (`step` an interval for dates); `start` and `stop` may refer to tables joined before it. -#}
{% macro series_table(alias, column, start, stop, step=none) -%}
    {{ return(adapter.dispatch('series_table', 'customer360')(alias, column, start, stop, step)) }}
{%- endmacro %}

{% macro default__series_table(alias, column, start, stop, step) -%}
    generate_series({{ start }}, {{ stop }}{{ ', ' ~ step if step is not none }}) as {{ alias }} ({{ column }})
{%- endmacro %}

{% macro spark__series_table(alias, column, start, stop, step) -%}
    lateral (select explode(sequence({{ start }}, {{ stop }}{{ ', ' ~ step if step is not none }})) as {{ column }}) as {{ alias }}
{%- endmacro %}

{#- An instant as a plain timestamp in UTC (DuckDB's timestamptz -> timestamp; Spark's timestamp
    is an instant shown in the session's time zone, UTC). -#}
{% macro utc_timestamp(instant) -%}
    {{ return(adapter.dispatch('utc_timestamp', 'customer360')(instant)) }}
{%- endmacro %}

{% macro default__utc_timestamp(instant) -%}
    cast(timezone('UTC', {{ instant }}) as timestamp)
{%- endmacro %}

{% macro spark__utc_timestamp(instant) -%}
    cast({{ instant }} as timestamp)
{%- endmacro %}

{#- A 'YYYY-MM' month as the date of its first day. -#}
{% macro parse_year_month(column) -%}
    {{ return(adapter.dispatch('parse_year_month', 'customer360')(column)) }}
{%- endmacro %}

{% macro default__parse_year_month(column) -%}
    cast(strptime({{ column }}, '%Y-%m') as date)
{%- endmacro %}

{% macro spark__parse_year_month(column) -%}
    to_date({{ column }}, 'yyyy-MM')
{%- endmacro %}

{#- The n-th group of the pattern, in a regexp_replace replacement (\1 in RE2, $1 in Java). -#}
{% macro group_reference(n) -%}
    {{ return(adapter.dispatch('group_reference', 'customer360')(n)) }}
{%- endmacro %}

{% macro default__group_reference(n) -%}
    \{{ n }}
{%- endmacro %}

{% macro spark__group_reference(n) -%}
    ${{ n }}
{%- endmacro %}

{#- Every column of `relation` but `columns` (DuckDB: * exclude, Spark: * except). -#}
{% macro all_columns_except(relation, columns) -%}
    {{ return(adapter.dispatch('all_columns_except', 'customer360')(relation, columns)) }}
{%- endmacro %}

{% macro default__all_columns_except(relation, columns) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__all_columns_except(relation, columns) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- The key for min_by / max_by that orders by `at` and then by `tie` (an id), so rows at the same
    instant pick the same row on every build and engine. Null when `at` is null: min_by and max_by
    skip those rows, as they skip a null `at`. -#}
{% macro instant_then(at, tie) -%}
    case when {{ at }} is not null then {{ struct_of({'at': at, 'tie': tie}) }} end
{%- endmacro %}
