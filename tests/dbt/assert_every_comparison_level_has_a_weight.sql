-- The comparison levels come from the comparison_levels macro, the weights from the Python
-- model's LEVELS table: if the two drift apart, scoring would silently give a level no weight.
-- Returns each (comparison, level) seen in candidate pairs that has no estimated weight.
{%- set comparisons = comparisons() %}

with

observed as (
    {% for comparison in comparisons %}
    select distinct
        '{{ comparison }}' as comparison,
        {{ comparison }}_level as comparison_level
    from {{ ref('int_candidate_pairs_compared') }}
    where {{ comparison }}_level is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select observed.*
from observed
left join {{ ref('int_match_weights') }} as weights
    on observed.comparison = weights.comparison and observed.comparison_level = weights.comparison_level
where weights.comparison is null
