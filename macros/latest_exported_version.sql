{#- One row per key from a bronze table fed by export files, where bronze keeps every exported
    version (merge by file). Export files are named so that later exports sort later
    (contacts_export_0002 after _0001), and within a file a later line is a later version, so
    the last (file, line) wins. Use it as the `qualify` clause of a select from the bronze table.
    For event logs, where any copy will do, pass which='first'. A record whose source stamps its
    changes (updated_at=) is newest by that first, the export order breaking ties. -#}
{% macro latest_exported_version(partition_by, which='last', updated_at=none) -%}
    {%- set direction = 'desc' if which == 'last' else 'asc' -%}
    qualify row_number() over (
        partition by {{ partition_by }}
        order by {% if updated_at %}{{ updated_at }} desc nulls last, {% endif -%}
            _source_file {{ direction }}, _source_line {{ direction }}
    ) = 1
{%- endmacro %}
