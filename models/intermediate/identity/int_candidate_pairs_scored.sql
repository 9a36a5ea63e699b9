{#- Each candidate pair's match weight and probability, explainable field by field: the
    *_weight columns add up (with the prior) to match_weight.
    Term-frequency adjustment: an exact name agreement gets u = that name's share of profiles
    instead of the field's average u, so Smith counts for less and Schubert for more (the shares
    come with the comparison levels, int_candidate_pairs_compared).
    First and last names are not independent (French first names go with French surnames):
    when both agree, the surname's weight is conditional on the first name, from the share of
    the full name (order-free), so the two together weigh log2(m_first m_last / share).
    One pass over the pairs: the weights are one row of lists indexed by level. -#}

with

pairs as (
    select * from {{ ref('int_candidate_pairs_compared') }}
),

weights as (
    select * from {{ ref('int_match_weights') }}
),

-- Each comparison's weights as a list indexed by level + 1 (levels run from 0; every level
-- has a weight, tests/dbt/assert_every_comparison_level_has_a_weight.sql).
level_weights as (
    select
        {% for comparison in comparisons() %}
        list(match_weight order by comparison_level) filter (
            where comparison = '{{ comparison }}'
        ) as {{ comparison }}_weights,
        {% endfor %}
        any_value(match_weight) filter (where comparison = 'prior') as prior_weight,
        any_value(m_probability) filter (
            where comparison = 'first_name' and comparison_level = 3
        ) as first_name_exact_m,
        any_value(m_probability) filter (
            where comparison = 'last_name' and comparison_level = 3
        ) as last_name_exact_m,
        any_value(match_weight) filter (where comparison = 'email_given_name') as email_given_name_weight
    from weights
),

weighted as (
    select
        pairs.profile_id_a,
        pairs.profile_id_b,
        pairs.profile_number_a,
        pairs.profile_number_b,
        pairs.blocking_rule_mask,
        {% for comparison in comparisons() %}
        pairs.{{ comparison }}_level,
        {% endfor %}
        {% for comparison in comparisons() %}
        {% if comparison in ['first_name', 'last_name'] %}
        case
            when pairs.{{ comparison }}_level = 3 and pairs.{{ comparison }}_share is not null
                then log2(level_weights.{{ comparison }}_exact_m / pairs.{{ comparison }}_share)
            else level_weights.{{ comparison }}_weights[pairs.{{ comparison }}_level + 1]
        end as {{ comparison }}_weight,
        {% elif comparison == 'email' %}
        case
            when pairs.email_level = 2 and pairs.is_namesake_email then level_weights.email_given_name_weight
            else level_weights.email_weights[pairs.email_level + 1]
        end as email_weight,
        {% else %}
        level_weights.{{ comparison }}_weights[pairs.{{ comparison }}_level + 1] as {{ comparison }}_weight,
        {% endif %}
        {% endfor %}
        pairs.full_name_share,
        level_weights.prior_weight,
        level_weights.first_name_exact_m,
        level_weights.last_name_exact_m
    from pairs
    cross join level_weights
),

conditioned as (
    select
        * exclude (first_name_exact_m, last_name_exact_m) replace (
            case
                when first_name_level = 3 and last_name_level = 3 and full_name_share is not null
                    then log2(first_name_exact_m * last_name_exact_m / full_name_share) - first_name_weight
                else last_name_weight
            end as last_name_weight
        )
    from weighted
),

scored as (
    select
        *,
        prior_weight
        {%- for comparison in comparisons() %}
        + coalesce({{ comparison }}_weight, 0)
        {%- endfor %} as match_weight
    from conditioned
),

with_probability as (
    select
        *,
        1 / (1 + pow(2, -match_weight)) as match_probability
    from scored
)

select * from with_probability
