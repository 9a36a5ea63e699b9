{#- Snapshots on Spark's plain Parquet tables. dbt-spark snapshots only Delta, Iceberg or Hudi
    tables (it merges in place); their jars download at run time, which these machines cannot. A
    Parquet table is rewritten instead: the history with the closed versions' valid_to set, plus
    the new versions, into a new table that then takes the history's place. The change rows come
    from dbt's own snapshot_staging_table, so the strategies behave as on DuckDB. A column the
    source gains later is not added to the history. -#}
{% materialization snapshot, adapter='spark' %}
    {%- set exists, history = get_or_create_relation(database=none, schema=model.schema,
                                                     identifier=model.alias, type='table') -%}
    {%- if not adapter.check_schema_exists(model.database, model.schema) -%}
        {%- do create_schema(model.schema) -%}
    {%- endif -%}
    {{ run_hooks(pre_hooks) }}
    {%- set strategy = strategy_dispatch(config.get('strategy'))(model, "snapshotted_data", "source_data",
                                                                  model['config'], exists) -%}
    {%- if not exists -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, history, build_snapshot_table(strategy, model['compiled_code'])) }}
        {%- endcall -%}
    {%- else -%}
        {%- set names = config.get('snapshot_table_column_names') or get_snapshot_table_column_names() -%}
        {%- set columns = adapter.get_columns_in_relation(history) | map(attribute='name') | list -%}
        {%- set rewritten = api.Relation.create(schema=history.schema, identifier=history.identifier ~ '__dbt_new',
                                                type='table') -%}
        {%- do adapter.drop_relation(rewritten) -%}
        {%- call statement('main') -%}
            create table {{ rewritten }} using parquet as
            with changes as (
                {{ snapshot_staging_table(strategy, model['compiled_code'], history) }}
            )
            select
                {%- for column in columns %}
                {% if column == names.dbt_valid_to -%}
                    coalesce(closed.{{ column }}, versions.{{ column }}) as {{ column }}
                {%- else -%}
                    versions.{{ column }}
                {%- endif %}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ history }} as versions
            left join (select * from changes where dbt_change_type in ('update', 'delete')) as closed
                on versions.{{ names.dbt_scd_id }} = closed.{{ names.dbt_scd_id }}
                and versions.{{ names.dbt_valid_to }} is null
            union all
            select {{ columns | join(', ') }}
            from changes
            where dbt_change_type = 'insert'
        {%- endcall -%}
        {%- do adapter.drop_relation(history) -%}
        {%- do adapter.rename_relation(rewritten, history) -%}
    {%- endif -%}
    {{ run_hooks(post_hooks) }}
    {{ adapter.commit() }}
    {{ return({'relations': [history]}) }}
{% endmaterialization %}
