{#- Each candidate pair's comparison levels, field by field (see the comparison_levels macro). -#}

with

pairs as (
    select * from {{ ref('int_candidate_pairs_blocked') }}
),

profiles as (
    select * from {{ ref('int_person_profiles') }}
),

compared as (
    select
        pairs.profile_id_a,
        pairs.profile_id_b,
        pairs.blocking_rules,
        {{ comparison_levels('profile_a', 'profile_b') }}
    from pairs
    inner join profiles as profile_a on pairs.profile_id_a = profile_a.profile_id
    inner join profiles as profile_b on pairs.profile_id_b = profile_b.profile_id
)

select * from compared
