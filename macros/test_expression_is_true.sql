{#- Generic test: every row satisfies `expression` (as dbt_utils' test of the same name). -#}
{% test expression_is_true(model, column_name=none, expression='true') %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
