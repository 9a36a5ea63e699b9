{#- Event tables only grow (events are immutable; bronze appends them), so on DuckDB they are built
    incrementally: a build reads only what is new since the table was last built. Spark rebuilds
    them: its incremental strategies that replace rows need Delta or Iceberg tables, and its
    bronze is plain Parquet (DECISIONLOG.md, Incremental runs).

    Two marks tell what is new:
    - a model that reads bronze takes the dlt loads it has not seen yet (unseen_loads): a load
      retried after a failed run keeps its older load id, so "newer than the newest" would miss it;
    - a model that reads an incremental model takes the rows staged after its own newest
      (staged_since_last_build): every row carries _staged_at, the start of the dbt run that
      staged it, which only grows from run to run. -#}
{% macro event_log_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- The start of this dbt run: the _staged_at of every row it stages. -#}
{% macro staged_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- A `where` condition: the rows of bronze loads this model has not read yet (all rows on a full build). -#}
{% macro unseen_loads(load_id='_dlt_load_id') -%}
    {%- if is_incremental() -%}
        {{ require_column('_dlt_load_id') }}
        {{ load_id }} not in (select distinct _dlt_load_id from {{ this }} where _dlt_load_id is not null)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- A `where` condition: the rows an upstream incremental model staged after this model's newest row. -#}
{% macro staged_since_last_build(staged='_staged_at') -%}
    {%- if is_incremental() -%}
        {{ require_column('_staged_at') }}
        {{ staged }} > (select coalesce(max(_staged_at), cast('1970-01-01' as timestamp)) from {{ this }})
    {%- else -%}
        true
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
