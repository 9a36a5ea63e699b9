"""Candidate pairs of profiles: pairs that share the keys of at least one blocking rule.

A pair's `blocking_rule_mask` has bit i set when the i-th rule of the specification finds it.
A key value shared by more than `max_block_size` profiles is not used (it says little and
would explode the pairs); `make eval` measures the blocking recall this costs.

The rules overlap, so the work is done on integers: every usable block of every rule gets a
number, blocks of different rules with the same members are merged, one self-join on the block
number makes the pairs as 64-bit keys of two profile numbers and one aggregate removes repeats.

Pairs only name rules found (`name_only`) between namesakes whose e-mails, phones or birthdays
disagree are dropped: they are most pairs at scale and never reach the link threshold. One
full-name block in ten is kept whole (`is_training_sample`) so that the m probabilities
trained on full-name pairs see people who changed their e-mail as often as they really do.
"""

from __future__ import annotations

from c360.identity.specification import Specification

# The contact details the namesake check compares, as expressions over a profile.
NAMESAKE_CONTACTS = {
    "email_key": "email_match_key", "username": "email_local", "phone_digits": "right(phone_e164, 9)",
    "birthday": "date_of_birth", "postcode": "postcode_key", "town": "city_key", "street": "street_name",
}
# Name blocks this small are compared whole (at most 28 pairs each): pruning pays only in the
# large blocks of common names, and in a small one a typo in the postcode or street must not
# cost a pair that the fuzzy comparison would link.
NAMESAKE_SMALL_BLOCK = 8
# A pair found by name rules alone is kept when one of these agrees (or nothing contradicts it).
NAMESAKE_AGREEMENT = ("username", "postcode", "town", "street", "birthday", "phone_digits")
NAMESAKE_CONTRADICTION = ("email_key", "phone_digits", "birthday")


def candidate_pairs_sql(spec: Specification, profiles: str, max_block_size: int,
                        max_name_block_size: int | None = None) -> str:
    rules = spec.blocking_rules
    sampled_rules = {session.rule for session in spec.training_sessions if session.sampled}
    scalar_keys = sorted({key for rule in rules if not rule.is_list for key in rule.keys})
    list_keys = sorted({rule.keys[0] for rule in rules if rule.is_list})
    hashes = ",\n        ".join(f"case when {expression} is not null then hash({expression}) end as {name}_hash"
                               for name, expression in NAMESAKE_CONTACTS.items())
    ctes = [f"""
keyed_profiles as (
    select
        profile_number,
        {', '.join(scalar_keys + list_keys)}
    from {profiles}
    where not is_test_account
)"""]
    members = []
    for index, rule in enumerate(rules):
        cap = max_name_block_size if rule.name_only and max_name_block_size else max_block_size
        if rule.is_list:
            ctes.append(f"""
{rule.name}_keys as (
    select
        profile_number,
        unnest({rule.keys[0]}) as block_key
    from keyed_profiles
    where {rule.keys[0]} is not null
)""")
            ctes.append(f"""
{rule.name}_blocks as (
    select
        block_key,
        ({index}::bigint << 40) + row_number() over () as block_number
    from {rule.name}_keys
    group by block_key
    having count(*) between 2 and {cap}
)""")
            members.append(f"""
    select {rule.name}_keys.profile_number, {rule.name}_blocks.block_number, false as is_sampled
    from {rule.name}_keys
    inner join {rule.name}_blocks on {rule.name}_keys.block_key = {rule.name}_blocks.block_key""")
        else:
            keys = ", ".join(rule.keys)
            not_null = " and ".join(f"{key} is not null" for key in rule.keys)
            sampled = f"hash({keys}) % 10 = 0" if rule.name in sampled_rules else "false"
            ctes.append(f"""
{rule.name}_blocks as (
    select
        {keys},
        ({index}::bigint << 40) + row_number() over () as block_number,
        {sampled} as is_sampled
    from keyed_profiles
    where {not_null}
    group by {keys}
    having count(*) between 2 and {cap}
)""")
            on = " and ".join(f"keyed_profiles.{key} = {rule.name}_blocks.{key}" for key in rule.keys)
            members.append(f"""
    select keyed_profiles.profile_number, {rule.name}_blocks.block_number, {rule.name}_blocks.is_sampled
    from keyed_profiles
    inner join {rule.name}_blocks on {on}""")
    ctes.append("\nprofile_blocks as (" + "\n    union all".join(members) + "\n)")
    agreement = "\n            or ".join(f"profile_a.{name}_hash = profile_b.{name}_hash"
                                         for name in NAMESAKE_AGREEMENT)
    contradiction = "\n                or ".join(f"profile_a.{name}_hash <> profile_b.{name}_hash"
                                                for name in NAMESAKE_CONTRADICTION)
    ctes.append(f"""
-- Blocks of different rules often hold the same profiles (a rare name: its full-name, any-order
-- and phonetic blocks): such blocks are merged, keeping every rule's bit, so their pairs are made once.
block_members as (
    select
        block_number,
        any_value(is_sampled) as is_sampled,
        list(profile_number order by profile_number) as members
    from profile_blocks
    group by block_number
),

merged_blocks as (
    select
        members,
        len(members) as block_size,
        min(block_number) as block_number,
        bit_or((1 << (block_number >> 40))::integer) as rule_bits,
        bool_or(is_sampled) as is_sampled
    from block_members
    group by members
),

merged_block_profiles as (
    select
        block_number,
        block_size,
        rule_bits,
        is_sampled,
        unnest(members) as profile_number
    from merged_blocks
),

-- Every pair each block makes, as one 64-bit key (the two profile numbers), with its rules.
block_pairs as (
    select
        (left_blocks.profile_number::bigint << 32) | right_blocks.profile_number as pair_key,
        left_blocks.rule_bits,
        left_blocks.block_size,
        left_blocks.is_sampled
    from merged_block_profiles as left_blocks
    inner join merged_block_profiles as right_blocks
        on
            left_blocks.block_number = right_blocks.block_number
            and left_blocks.profile_number < right_blocks.profile_number
),

distinct_pairs as materialized (
    select
        pair_key >> 32 as profile_number_a,
        pair_key & 4294967295 as profile_number_b,
        bit_or(rule_bits) as blocking_rule_mask,
        min(block_size) as smallest_block,
        bool_or(is_sampled) as is_training_sample
    from block_pairs
    group by pair_key
),

-- Pairs that need no namesake check: found by a rule beyond names, in a small name block, or in
-- the training sample (whole blocks of the sampled rules).
kept_outright as (
    select profile_number_a, profile_number_b, blocking_rule_mask, is_training_sample
    from distinct_pairs
    where
        blocking_rule_mask & ~{spec.name_only_mask()} <> 0
        or smallest_block <= {NAMESAKE_SMALL_BLOCK}
        or is_training_sample
),

-- contact details as 64-bit hashes (null stays null): the check compares integers
contact_hashes as (
    select
        profile_number,
        {hashes}
    from {profiles}
),

namesakes_kept as (
    select
        pairs.profile_number_a,
        pairs.profile_number_b,
        pairs.blocking_rule_mask,
        pairs.is_training_sample
    from distinct_pairs as pairs
    inner join contact_hashes as profile_a on pairs.profile_number_a = profile_a.profile_number
    inner join contact_hashes as profile_b on pairs.profile_number_b = profile_b.profile_number
    where
        pairs.blocking_rule_mask & ~{spec.name_only_mask()} = 0
        and pairs.smallest_block > {NAMESAKE_SMALL_BLOCK}
        and not pairs.is_training_sample
        and (
            {agreement}
            or not coalesce(
                {contradiction}, false
            )
        )
),

kept_pairs as (
    select * from kept_outright
    union all
    select * from namesakes_kept
)""")
    return "with\n" + ",\n".join(ctes) + "\n\nselect * from kept_pairs\n"
