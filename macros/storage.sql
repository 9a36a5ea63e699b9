{#- DuckDB's default string compression (dict_fsst: a dictionary of FSST-compressed strings)
    doubles the time to write a table of strings: writing the 1M person records took 3.1 s with
    it and 1.55 s without, for 2.3x the blocks. So every build writes without it (on-run-start,
    dbt_project.yml). A table that later models group and join on its strings keeps it
    (`config(pre_hook=string_compression(true), post_hook=string_compression(false))`): DuckDB
    reads dictionary-compressed strings faster, and blocking read int_person_profiles in 36-37 s
    at 1M people with it, 52 s without. The setting is global to the DuckDB instance: a model
    that runs at the same time writes the same way meanwhile, which changes speed, not results. -#}
{% macro string_compression(enabled) -%}
    {%- if target.type == 'duckdb' -%}
        set disabled_compression_methods = '{{ "" if enabled else "dict_fsst" }}'
    {%- endif -%}
{%- endmacro %}
