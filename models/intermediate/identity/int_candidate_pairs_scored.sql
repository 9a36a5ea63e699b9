{#- Each candidate pair's match weight and probability, explainable field by field: the
    *_weight columns add up (with the prior) to match_weight.
    Term-frequency adjustment: an exact name agreement gets u = that name's share of profiles
    instead of the field's average u, so Smith counts for less and Schubert for more. The larger of
    the two sides' shares is used: with swapped names, side a's "first name" may be Smith.
    First and last names are not independent (French first names go with French surnames):
    when both agree, the surname's weight is conditional on the first name, from the share of
    the full name (order-free), so the two together weigh log2(m_first m_last / share). -#}

with

pairs as (
    select * from {{ ref('int_candidate_pairs_compared') }}
),

weights as (
    select * from {{ ref('int_match_weights') }}
),

profiles as (
    select * from {{ ref('int_person_profiles') }}
    where not is_test_account
),

{#- Names only: e-mails and phones are personal unless a household shares them, and shared ones
    are already neutral (comparison_levels); a person's several profiles would otherwise make
    their own e-mail look common. -#}
{% set tf_fields = [('first_name', 'first_canonical', 3), ('last_name', 'last_key', 3)] %}
{% for comparison, column, exact_level in tf_fields %}
{{ comparison }}_frequencies as (
    select
        {{ column }} as name_value,
        count(*) / sum(count(*)) over () as value_share
    from profiles
    where {{ column }} is not null
    group by {{ column }}
),

{% endfor %}
full_name_frequencies as (
    select
        name_set_key as name_value,
        count(*) / sum(count(*)) over () as value_share
    from profiles
    where name_set_key is not null
    group by name_set_key
),

weighted as (
    select
        pairs.*,
        {% for comparison in comparisons() %}
        {%- set tf = tf_fields | selectattr(0, 'equalto', comparison) | list %}
        {%- if tf %}
        case
            when
                pairs.{{ comparison }}_level = {{ tf[0][2] }} and coalesce(
                    {{ comparison }}_frequencies_a.value_share,
                    {{ comparison }}_frequencies_b.value_share
                ) is not null
                then log2({{ comparison }}_weights.m_probability / greatest(
                    {{ comparison }}_frequencies_a.value_share,
                    {{ comparison }}_frequencies_b.value_share
                ))
            else {{ comparison }}_weights.match_weight
        end
        {%- else %}
        {{ comparison }}_weights.match_weight
        {%- endif %} as {{ comparison }}_weight,
        {% endfor %}
        full_name_frequencies.value_share as full_name_share,
        (
            select weights.match_weight from weights
            where weights.comparison = 'prior'
        ) as prior_weight
    from pairs
    inner join profiles as profile_a on pairs.profile_id_a = profile_a.profile_id
    inner join profiles as profile_b on pairs.profile_id_b = profile_b.profile_id
    {% for comparison in comparisons() %}
    left join weights as {{ comparison }}_weights
        on
            {{ comparison }}_weights.comparison = '{{ comparison }}'
            and pairs.{{ comparison }}_level = {{ comparison }}_weights.comparison_level
    {% endfor %}
    {% for comparison, column, exact_level in tf_fields %}
    left join {{ comparison }}_frequencies as {{ comparison }}_frequencies_a
        on profile_a.{{ column }} = {{ comparison }}_frequencies_a.name_value
    left join {{ comparison }}_frequencies as {{ comparison }}_frequencies_b
        on profile_b.{{ column }} = {{ comparison }}_frequencies_b.name_value
    {% endfor %}
    left join full_name_frequencies on profile_a.name_set_key = full_name_frequencies.name_value
),

conditioned as (
    select
        * replace (
            case
                when first_name_level = 3 and last_name_level = 3 and full_name_share is not null
                    then log2((
                        select weights.m_probability from weights
                        where weights.comparison = 'first_name' and weights.comparison_level = 3
                    )
                    * (
                        select weights.m_probability from weights
                        where weights.comparison = 'last_name' and weights.comparison_level = 3
                    )
                    / full_name_share) - first_name_weight
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
