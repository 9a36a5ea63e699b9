"""Comparison levels of pairs of profiles, from the specification's declarations.

Candidate pairs also get their term-frequency adjustments, in bits: a pair agreeing on a value at a
level declared with a `tf_column` gains log2(A / s), with the column's agreement chance A among all
profiles (what the level's u averages over) and the value's share s in the country both profiles
are in, else among all profiles (c360.identity.frequencies). For an exact agreement this turns the
level's weight log2(m / u) into log2(m / s): Smith counts for less and Schubert for more. The adjustments do not
depend on m and u, so they are computed here, where both profiles are at hand, and the scoring is
one pass over the pairs.

Random pairs (deterministic: profiles in profile id order, which is unrelated to the people, each
paired with profiles a fixed number of places away) estimate u; drawn within groups of equal
values (namesakes), they estimate a conditional u.
"""

from __future__ import annotations

from c360.identity.frequencies import share_columns
from c360.identity.specification import Specification


def _level_columns(spec: Specification, a: str, b: str) -> str:
    return ",\n        ".join(f"{comparison.case_sql(a, b)} as {comparison.name}_level"
                               for comparison in spec.comparisons)


def _scoped(template: str) -> str:
    """`template` (with {0} for the scope) in the scope both profiles share: their country, else all."""
    return (f"case when profile_a.country_code = profile_b.country_code then {template.format('country')} "
            f"else {template.format('all')} end")


def _pair_shares_sql(spec: Specification) -> str:
    """Per TF column: the pair's share (with swapped names a side's first name may be the other's
    surname: the larger of the two sides') in the scope both share, and the agreement chance among all
    profiles: the level's u was estimated on all pairs, so a value common in the pair's own country
    (a Paris arrondissement, Murray in Ireland) counts for less than the level's average."""
    return ",\n        ".join(
        f"{_scoped(f'greatest(profile_a.{column}_share_{{0}}, profile_b.{column}_share_{{0}})')} as {column}_share, "
        f"profile_a.{column}_agreement_all as {column}_agreement"
        for column in spec.tf_columns())


def _tf_columns_sql(spec: Specification) -> str:
    """Each comparison's term-frequency adjustment (bits), by the level the pair is at."""
    selected = []
    for comparison in spec.comparisons:
        whens = [f"when {comparison.name}_level = {number} "
                 f"then coalesce(log2({level.tf_column}_agreement / {level.tf_column}_share), 0)"
                 for number, level in comparison.numbered_levels() if level.tf_column]
        if whens:
            selected.append(f"case {' '.join(whens)} else 0 end as {comparison.name}_tf_bits")
    return ",\n        ".join(selected)


def compared_profile_columns(spec: Specification) -> list[str]:
    """The profile columns a pair's comparison reads (the real-time service reads only these)."""
    return ["profile_id", "profile_number", "is_test_account",
            *sorted(set(spec.comparison_columns()) | set(share_columns(spec)))]


def compared_pairs_sql(spec: Specification, pairs: str, profiles: str) -> str:
    """Each candidate pair's comparison levels and term-frequency adjustments."""
    return f"""
with

profiles as (
    select {', '.join(compared_profile_columns(spec))}
    from {profiles}
),

compared as (
    select
        profile_a.profile_id as profile_id_a,
        profile_b.profile_id as profile_id_b,
        pairs.profile_number_a,
        pairs.profile_number_b,
        pairs.blocking_rule_mask,
        pairs.is_training_sample,
        {_level_columns(spec, 'profile_a', 'profile_b')},
        {_pair_shares_sql(spec)}
    from {pairs} as pairs
    inner join profiles as profile_a on pairs.profile_number_a = profile_a.profile_number
    inner join profiles as profile_b on pairs.profile_number_b = profile_b.profile_number
),

adjusted as (
    select
        * exclude ({', '.join(f'{column}_share, {column}_agreement' for column in spec.tf_columns())}),
        {_tf_columns_sql(spec)}
    from compared
)

select * from adjusted
"""


def random_pairs_sql(spec: Specification, profiles: str, pair_count: int, within: str | None = None) -> str:
    """Comparison levels of `pair_count` random profile pairs (almost all non-matches); with
    `within`, pairs of profiles equal on that column (namesakes: for a conditional u). Positions
    are numbered on the profile numbers alone; the compared columns are read for the pairs only."""
    columns = spec.comparison_columns()
    group = within or "0"
    return f"""
with

positions as (
    select
        profile_number,
        {group} as sampling_group,
        row_number() over (partition by {group} order by profile_number) as position,
        count(*) over (partition by {group}) as group_size
    from {profiles}
    where not is_test_account and {group} is not null
),

-- Steps are multiples of a large prime, so successive offsets pair each profile with unrelated
-- partners rather than neighbours in hash order (profiles are in profile id order: md5 hashes);
-- in a group of n, the first n - 1 steps reach every other member once.
offsets as (
    select
        step_index,
        step_index * 7919 as step
    from (
        select unnest(range(1, 1 + greatest(1, ceil(
            {pair_count} / (select greatest(count(*), 1) from positions where group_size > 1)
        )::integer))) as step_index
    )
),

-- the first pairs in a fixed order: a limit alone would keep whichever rows the parallel join
-- produced first, and u (and every weight) would change from run to run
partner_positions as (
    select
        positions.sampling_group,
        positions.position,
        positions.profile_number,
        (positions.position + offsets.step - 1) % positions.group_size + 1 as partner_position,
        offsets.step
    from positions
    inner join offsets on offsets.step_index < positions.group_size
    where (positions.position + offsets.step - 1) % positions.group_size + 1 <> positions.position
    order by offsets.step, positions.sampling_group, positions.position
    limit {pair_count}
),

pairs as (
    select
        partner_positions.profile_number as profile_number_a,
        partners.profile_number as profile_number_b
    from partner_positions
    inner join positions as partners
        on
            partner_positions.sampling_group = partners.sampling_group
            and partner_positions.partner_position = partners.position
),

compared_profiles as (
    select
        profile_number,
        {', '.join(columns)}
    from {profiles}
),

compared as (
    select
        {_level_columns(spec, 'profile_a', 'profile_b')}
    from pairs
    inner join compared_profiles as profile_a on pairs.profile_number_a = profile_a.profile_number
    inner join compared_profiles as profile_b on pairs.profile_number_b = profile_b.profile_number
)

select * from compared
"""
