{#- Candidate pairs of profiles: pairs that share the keys of at least one blocking rule. A key
    value shared by more than identity_max_block_size profiles is skipped (it says little and
    would explode the pairs); blocking recall is measured by `make eval`. -#}

with

profiles as (
    select * from {{ ref('int_person_profiles') }}
    where not is_test_account
),

{% for rule, keys in blocking_rules() %}
{{ rule }}_blocks as (
    select
        profile_id,
        {{ keys | join(', ') }}
    from profiles
    where {{ keys | join(' is not null and ') }} is not null
    qualify count(*) over (partition by {{ keys | join(', ') }}) <= {{ var('identity_max_block_size') }}
),

{{ rule }}_pairs as (
    select
        left_profiles.profile_id as profile_id_a,
        right_profiles.profile_id as profile_id_b,
        '{{ rule }}' as blocking_rule
    from {{ rule }}_blocks as left_profiles
    inner join {{ rule }}_blocks as right_profiles
        on
            {% for key in keys %}left_profiles.{{ key }} = right_profiles.{{ key }}{% if not loop.last %}
            and {% endif %}{% endfor %}
            and left_profiles.profile_id < right_profiles.profile_id
),

{% endfor %}
{% for rule, list_column in list_blocking_rules() %}
{{ rule }}_blocks as (
    select
        profile_id,
        block_key
    from (select
        profile_id,
        unnest({{ list_column }}) as block_key
    from profiles) as profile_block_keys
    qualify count(*) over (partition by block_key) <= {{ var('identity_max_block_size') }}
),

{{ rule }}_pairs as (
    select distinct
        left_profiles.profile_id as profile_id_a,
        right_profiles.profile_id as profile_id_b,
        '{{ rule }}' as blocking_rule
    from {{ rule }}_blocks as left_profiles
    inner join {{ rule }}_blocks as right_profiles
        on
            left_profiles.block_key = right_profiles.block_key
            and left_profiles.profile_id < right_profiles.profile_id
),

{% endfor %}
all_pairs as (
    {% for rule, keys in blocking_rules() %}
    select * from {{ rule }}_pairs
    union all
    {% endfor %}
    {% for rule, list_column in list_blocking_rules() %}
    select * from {{ rule }}_pairs
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

candidate_pairs as (
    select
        profile_id_a,
        profile_id_b,
        string_agg(blocking_rule, ',' order by blocking_rule) as blocking_rules
    from all_pairs
    group by profile_id_a, profile_id_b
)

select * from candidate_pairs
