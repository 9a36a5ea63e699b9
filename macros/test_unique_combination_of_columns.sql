{#- Generic test: the combination of columns is unique (as dbt_utils' test of the same name,
    written here because dbt Hub is out of reach). -#}
{% test unique_combination_of_columns(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
