{#- Comparison levels of random profile pairs: almost all non-matches, so their level frequencies
    estimate u (the chance that two different people agree on a field). Deterministic: profiles
    are taken in profile id order (the ids are md5 hashes, so that order is unrelated to the
    people) and each is paired with profiles a fixed number of places away. -#}

with

profiles as (
    select
        profile_id,
        shop_activity_keys,
        {{ comparison_columns() | join(',\n        ') }},
        -- positions with gaps where test accounts were: a partner position on one finds no pair
        profile_number as profile_position,
        max(profile_number) over () as profile_count
    from {{ ref('int_person_profiles') }}
    where not is_test_account
),

-- Steps are multiples of a large prime, so successive offsets pair each profile with unrelated
-- partners rather than neighbours in hash order.
offsets as (
    select unnest(range(1, 1 + greatest(1, ceil(
        {{ var('identity_random_pairs') }}
        / (select greatest(max(profile_count), 1) from profiles)
    )::integer))) * 7919 as step
),

-- The partner's position is computed first so the pairing is an equi-join (a join on an
-- expression of both sides would be a nested loop).
partner_positions as (
    select
        profiles.profile_id as profile_id_a,
        profiles.profile_position,
        offsets.step,
        (profiles.profile_position + offsets.step - 1) % profiles.profile_count + 1 as partner_position
    from profiles
    cross join offsets
),

pairs as (
    select
        partner_positions.profile_id_a,
        partner.profile_id as profile_id_b
    from partner_positions
    inner join profiles as partner on partner_positions.partner_position = partner.profile_position
    where partner_positions.profile_id_a <> partner.profile_id
    -- the first pairs in position order: a limit alone would keep whichever rows the parallel
    -- join produced first, and u (and every weight) would change from run to run
    order by partner_positions.step, partner_positions.profile_position
    limit {{ var('identity_random_pairs') }}
),

compared as (
    select
        {{ comparison_levels('profile_a', 'profile_b') }}
    from pairs
    inner join profiles as profile_a on pairs.profile_id_a = profile_a.profile_id
    inner join profiles as profile_b on pairs.profile_id_b = profile_b.profile_id
)

select * from compared
