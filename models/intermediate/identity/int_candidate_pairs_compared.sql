{#- Each candidate pair's comparison levels, field by field (see the comparison_levels macro), and
    the term frequencies the scoring needs: the share of profiles holding each side's first name,
    last name and full name (order-free), and whether two namesakes' e-mail is made of the name. They are
    looked up here, where both profiles are at hand, so that the scoring is a single pass over
    the pairs.
    Names go with countries (Gráinne Murray in Ireland, Müller in Germany), and the address
    comparison already counts the country two profiles share: for such a pair the share is taken
    among the profiles of that country, so that name and country are not counted twice. -#}

{%- set tf_fields = [('first_name', 'first_canonical'), ('last_name', 'last_key'), ('full_name', 'name_set_key')] %}
{#- The pair shares a shop activity key when the shared_shop_activity list rule found it: its bit in the mask. -#}
{%- set rule_names = blocking_rules() | map(attribute=0) | list + list_blocking_rules() | map(attribute=0) | list %}
{%- set shared_shop_activity = 'pairs.blocking_rule_mask & '
    ~ (2 ** rule_names.index('shared_shop_activity')) ~ ' <> 0' %}

with

pairs as (
    select * from {{ ref('int_candidate_pairs_blocked') }}
),

profiles as (
    select
        profile_id,
        profile_number,
        is_test_account,
        name_set_key,
        {{ comparison_columns() | join(',\n        ') }}
    from {{ ref('int_person_profiles') }}
),

-- Each name's share of all profiles (country_code '*') and of its country's profiles.
{% for comparison, column in tf_fields %}
{{ comparison }}_frequencies as (
    select
        '*' as country_code,
        {{ column }} as name_value,
        count(*) / sum(count(*)) over () as value_share
    from profiles
    where {{ column }} is not null and not is_test_account
    group by {{ column }}
    union all
    select
        country_code,
        {{ column }} as name_value,
        count(*) / sum(count(*)) over (partition by country_code) as value_share
    from profiles
    where {{ column }} is not null and not is_test_account and country_code is not null
    group by country_code, {{ column }}
),

{% endfor %}
profile_shares as (
    select
        profiles.*,
        {% for comparison, column in tf_fields %}
        {{ comparison }}_all.value_share as {{ comparison }}_share,
        {{ comparison }}_in_country.value_share as {{ comparison }}_country_share{% if not loop.last %},{% endif %}
        {% endfor %}
    from profiles
    {% for comparison, column in tf_fields %}
    left join {{ comparison }}_frequencies as {{ comparison }}_all
        on
            profiles.{{ column }} = {{ comparison }}_all.name_value
            and {{ comparison }}_all.country_code = '*'
    left join {{ comparison }}_frequencies as {{ comparison }}_in_country
        on
            profiles.{{ column }} = {{ comparison }}_in_country.name_value
            and profiles.country_code = {{ comparison }}_in_country.country_code
    {% endfor %}
),

compared as (
    select
        profile_a.profile_id as profile_id_a,
        profile_b.profile_id as profile_id_b,
        pairs.profile_number_a,
        pairs.profile_number_b,
        pairs.blocking_rule_mask,
        pairs.is_training_sample,
        {{ comparison_levels('profile_a', 'profile_b', shared_shop_activity) }},
        -- The larger of the two sides' shares: with swapped names, side a's "first name" may be Smith.
        case
            when profile_a.country_code = profile_b.country_code
                then greatest(profile_a.first_name_country_share, profile_b.first_name_country_share)
            else greatest(profile_a.first_name_share, profile_b.first_name_share)
        end as first_name_share,
        case
            when profile_a.country_code = profile_b.country_code
                then greatest(profile_a.last_name_country_share, profile_b.last_name_country_share)
            else greatest(profile_a.last_name_share, profile_b.last_name_share)
        end as last_name_share,
        case
            when profile_a.country_code = profile_b.country_code
                then profile_a.full_name_country_share
            else profile_a.full_name_share
        end as full_name_share,
        -- Namesakes (both names agree) with an e-mail made of the name (janesmith@): such an
        -- address is shared by namesakes too, so its agreement is weighed among namesakes
        -- (int_match_weights' email_given_name, which counts its u on these pairs).
        first_name_level = 3 and last_name_level = 3
        and (profile_a.is_email_local_name_derived or profile_b.is_email_local_name_derived) as is_namesake_email
    from pairs
    inner join profile_shares as profile_a on pairs.profile_number_a = profile_a.profile_number
    inner join profile_shares as profile_b on pairs.profile_number_b = profile_b.profile_number
)

select * from compared
