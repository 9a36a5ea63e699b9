{#- On DuckDB some tables are built incrementally: a build reads only what is new since the table
    was last built. Spark rebuilds them: its incremental strategies that replace rows need Delta or
    Iceberg tables, and its bronze is plain Parquet (DECISIONLOG.md, Incremental runs).

    Event tables only grow (events are immutable; bronze appends them). Two marks tell what is new:
    - a model that reads bronze takes the dlt loads it has not seen yet (unseen_loads): a load
      retried after a failed run keeps its older load id, so "newer than the newest" would miss it;
    - a model that reads an incremental model takes the rows staged after its own newest
      (staged_since_last_build): every row carries _staged_at, the start of the dbt run that
      staged it, which only grows from run to run.
    A table of one row per customer recomputes the customers whose inputs changed (dim_customers). -#}
{% macro incremental_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- The start of this dbt run: the _staged_at of every row it stages. -#}
{% macro staged_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- A `where` condition: the rows of bronze loads this model has not read yet (all rows on a full
    build). The loads are looked up first and written out as literals: DuckDB checks a literal
    against each row group's range and skips the old ones, where a subquery reads every row. -#}
{% macro unseen_loads(relation, load_id='_dlt_load_id') -%}
    {%- if is_incremental() and execute -%}
        {{ require_column('_dlt_load_id') }}
        {%- set unseen = run_query('select distinct _dlt_load_id from ' ~ relation
            ~ ' where _dlt_load_id not in (select distinct _dlt_load_id from ' ~ this
            ~ ' where _dlt_load_id is not null)').columns[0].values() -%}
        {{ load_id }} in ({{ literal_list(unseen) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- A `where` condition: the rows an upstream incremental model staged after this model's newest
    row, the newest written out as a literal (as for unseen_loads). -#}
{% macro staged_since_last_build(staged='_staged_at') -%}
    {%- if is_incremental() and execute -%}
        {{ require_column('_staged_at') }}
        {%- set newest = run_query('select cast(max(_staged_at) as varchar) from ' ~ this).columns[0].values()[0] -%}
        {%- if newest is none -%}
            true
        {%- else -%}
            {{ staged }} > cast('{{ newest }}' as timestamp)
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Values as a SQL list of string literals; a list that matches nothing when there are none. -#}
{% macro literal_list(values) -%}
    {%- if values | length == 0 -%}
        null
    {%- else -%}
        {%- for value in values -%}
            '{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- A table built before this model was incremental lacks its marks: say how to rebuild it. -#}
{% macro require_column(name) -%}
    {%- if execute -%}
        {%- set present = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- if name not in present -%}
            {{ exceptions.raise_compiler_error(this ~ ' was built before it was incremental and has no ' ~ name
                ~ ' column: rebuild it once with `make build FULL_REFRESH=1` (dbt build --full-refresh)') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
