{#- Candidate pairs of profiles: pairs that share the keys of at least one blocking rule
    (macros/identity.sql), with blocking_rule_mask: bit i set when the i-th rule finds the pair.
    A key value shared by more than identity_max_block_size profiles is not used (it says little
    and would explode the pairs); blocking recall is measured by `make eval`.
    Pairs found only by name rules between namesakes whose e-mails, phones or birthdays disagree
    are dropped at the end (pruned_pairs): at 1M people they were 33M of 47.5M pairs, and at
    100k F1 is the same without them (DECISIONLOG.md).
    The rules overlap (at 1M people they find 180M pairs, 47M of them distinct), so the work is
    done on integers: every usable block of every rule gets a number, profiles are numbered,
    one self-join on the block number makes the pairs and one aggregate on a 64-bit pair key
    removes the repeats. Pairs stay profile numbers (int_person_profiles.profile_number, in id
    order): the comparison model attaches the ids where it reads the profiles anyway. -#}

{%- set rules = blocking_rules() %}
{%- set list_rules = list_blocking_rules() %}
{%- set max_block_size = var('identity_max_block_size') %}
{%- set rule_names = rules | map(attribute=0) | list + list_rules | map(attribute=0) | list %}
{%- set name_only = namespace(mask=0) %}
{%- for rule in name_only_blocking_rules() %}
{%- set name_only.mask = name_only.mask + 2 ** rule_names.index(rule) %}
{%- endfor %}
{#- The contact details the namesake check compares, as expressions over a profile. -#}
{%- set full_name_bit = 2 ** rule_names.index('full_name') %}
{%- set contacts = {
    'email_key': 'email_match_key', 'username': 'email_local', 'phone_digits': 'right(phone_e164, 9)',
    'birthday': 'date_of_birth', 'postcode': 'postcode_key'} %}

with

profiles as (
    select
        profile_id,
        {% for key in rules | map(attribute=1) | sum(start=[]) | unique %}
        {{ key }},
        {% endfor %}
        {% for rule, list_column in list_rules %}
        {{ list_column }},
        {% endfor %}
        -- contact details as 64-bit hashes (null stays null): the namesake check compares
        -- integers on tens of millions of pairs
        {% for name, expression in contacts.items() %}
        case when {{ expression }} is not null then hash({{ expression }}) end as {{ name }}_hash,
        {% endfor %}
        hash(first_canonical, last_key) % 10 = 0 as is_name_sampled,
        profile_number
    from {{ ref('int_person_profiles') }}
    where not is_test_account
),

-- Usable blocks (2 to max profiles) of each rule, numbered: the rule's position in the high
-- bits, so numbers never collide between rules.
{% for rule, keys in rules %}
{{ rule }}_blocks as (
    select
        {{ keys | join(',\n        ') }},
        ({{ loop.index0 }}::bigint << 40) + row_number() over () as block_number
    from profiles
    where {{ keys | join(' is not null and ') }} is not null
    group by {{ keys | join(', ') }}
    having count(*) between 2 and {{ max_block_size }}
),

{% endfor %}
{% for rule, list_column in list_rules %}
{{ rule }}_keys as (
    select
        profile_number,
        unnest({{ list_column }}) as block_key
    from profiles
),

{{ rule }}_blocks as (
    select
        block_key,
        ({{ rules | length + loop.index0 }}::bigint << 40) + row_number() over () as block_number
    from {{ rule }}_keys
    group by block_key
    having count(*) between 2 and {{ max_block_size }}
),

{% endfor %}
profile_blocks as (
    {% for rule, keys in rules %}
    select
        profiles.profile_number,
        {{ rule }}_blocks.block_number
    from profiles
    inner join {{ rule }}_blocks
        on
            {% for key in keys %}profiles.{{ key }} = {{ rule }}_blocks.{{ key }}{% if not loop.last %}
            and {% endif %}{% endfor %}
    union all
    {% endfor %}
    {% for rule, list_column in list_rules %}
    select
        {{ rule }}_keys.profile_number,
        {{ rule }}_blocks.block_number
    from {{ rule }}_keys
    inner join {{ rule }}_blocks on {{ rule }}_keys.block_key = {{ rule }}_blocks.block_key
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Blocks of different rules often hold the same profiles (a rare name: its full-name,
-- any-order and phonetic blocks): such blocks are merged, keeping every rule's bit, so their
-- pairs are made once.
block_members as (
    select
        block_number,
        list(profile_number order by profile_number) as members
    from profile_blocks
    group by block_number
),

merged_blocks as (
    select
        members,
        min(block_number) as block_number,
        bit_or((1 << (block_number >> 40))::integer) as rule_bits
    from block_members
    group by members
),

merged_block_profiles as (
    select
        block_number,
        rule_bits,
        unnest(members) as profile_number
    from merged_blocks
),

-- Every pair each block makes, as one 64-bit key (the two profile numbers), with its rules.
block_pairs as (
    select
        (left_blocks.profile_number::bigint << 32) | right_blocks.profile_number as pair_key,
        left_blocks.rule_bits
    from merged_block_profiles as left_blocks
    inner join merged_block_profiles as right_blocks
        on
            left_blocks.block_number = right_blocks.block_number
            and left_blocks.profile_number < right_blocks.profile_number
),

distinct_pairs as (
    select
        pair_key,
        bit_or(rule_bits) as blocking_rule_mask
    from block_pairs
    group by pair_key
),

-- Pairs only name rules found are kept when something beyond the name agrees or nothing
-- contradicts it (name_only_blocking_rules): namesakes with other e-mails, phones or birthdays
-- never reach the link threshold. One full-name block in ten is kept whole, so that the m
-- probabilities trained on full-name pairs (int_match_weights) see people who changed their
-- e-mail as often as they really do.
kept_pairs as (
    select
        -- the smaller number (and so the smaller profile id) first
        distinct_pairs.pair_key >> 32 as profile_number_a,
        distinct_pairs.pair_key & 4294967295 as profile_number_b,
        distinct_pairs.blocking_rule_mask,
        distinct_pairs.blocking_rule_mask & {{ full_name_bit }} <> 0
        and profile_a.is_name_sampled as is_training_sample
    from distinct_pairs
    inner join profiles as profile_a on distinct_pairs.pair_key >> 32 = profile_a.profile_number
    inner join profiles as profile_b on distinct_pairs.pair_key & 4294967295 = profile_b.profile_number
    where
        distinct_pairs.blocking_rule_mask & ~{{ name_only.mask }} <> 0
        or (distinct_pairs.blocking_rule_mask & {{ full_name_bit }} <> 0 and profile_a.is_name_sampled)
        {% for name in ['username', 'postcode', 'birthday', 'phone_digits'] %}
        or profile_a.{{ name }}_hash = profile_b.{{ name }}_hash
        {% endfor %}
        or not coalesce(
            profile_a.email_key_hash <> profile_b.email_key_hash
            or profile_a.phone_digits_hash <> profile_b.phone_digits_hash
            or profile_a.birthday_hash <> profile_b.birthday_hash, false
        )
)

select * from kept_pairs
