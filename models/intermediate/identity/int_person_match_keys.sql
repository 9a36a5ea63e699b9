{#- Per-record match keys, computed once per record (phonetic keys once per distinct name):
    candidate pairs are then found and compared on these columns with built-in functions. -#}

with

records as (
    select * from {{ ref('int_person_records_unioned') }}
),

nicknames as (
    select * from {{ ref('name_nicknames') }}
),

name_keyed as (
    select
        *,
        {{ match_key('first_name') }} as given_key,
        {{ match_key('last_name') }} as family_key,
        regexp_replace(split_part(email_match_key, '@', 1), '[^a-z]', '', 'g') as username_letters
    from records
),

-- A record missing one name part whose username spells it: "doris.green@" with last name
-- Green gives first name Doris. Only when the username is exactly the known part plus at
-- least three more letters, before or after it.
keyed as (
    select
        person_record_id,
        source_system,
        source_record_id,
        is_test_account,
        -- the username's letters, as typed and with German spellings folded (paul.mueller for
        -- Müller), for the name-derived check below; not kept in the output
        username_letters,
        {{ fold_vowel_e('username_letters') }} as username_folded,
        coalesce(given_key, case
            when family_key is null or length(username_letters) < length(family_key) + 3 then null
            when ends_with(username_letters, family_key)
                then left(username_letters, length(username_letters) - length(family_key))
            when starts_with(username_letters, family_key) then substr(username_letters, length(family_key) + 1)
        end) as first_key,
        coalesce(family_key, case
            when given_key is null or length(username_letters) < length(given_key) + 3 then null
            when starts_with(username_letters, given_key) then substr(username_letters, length(given_key) + 1)
            when ends_with(username_letters, given_key)
                then left(username_letters, length(username_letters) - length(given_key))
        end) as last_key,
        given_key is null or family_key is null as is_name_part_missing,
        email_match_key,
        split_part(email_match_key, '@', 1) as email_local,
        -- The address as typed (dots kept, plus-tag dropped): john.smith@googlemail.com and
        -- johnsmith@gmail.com share a key but may have been typed by two different John Smiths.
        -- A username with a number (john.smith84) is the person's own however it is dotted or
        -- whichever Gmail domain it names: its key stands for it.
        case
            when regexp_matches(email_match_key, '^[^@]*[0-9][^@]*[0-9]') then email_match_key
            when email_match_key is not null
                then split_part(split_part(email, '@', 1), '+', 1) || '@' || split_part(email, '@', 2)
        end as email_as_typed,
        phone_e164,
        date_of_birth,
        -- The shop accounts the record is tied to (a ticket's or payment's through its order),
        -- for the profile id below; not kept in the output.
        {{ shop_accounts_key('shop_activity_keys') }} as shop_accounts,
        {{ street_match_key('address_line1') }} as street_key,
        regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g') as postcode_key,
        country_code,
        updated_at
    from name_keyed
),

-- A nickname maps to its full form (bill -> william); a name with two full forms keeps the first.
canonical_first_names as (
    select
        nickname,
        min(canonical_name) as canonical_name
    from nicknames
    group by nickname
),

distinct_first_names as (
    select distinct
        keyed.first_key,
        coalesce(canonical_first_names.canonical_name, keyed.first_key) as first_canonical
    from keyed
    left join canonical_first_names on keyed.first_key = canonical_first_names.nickname
    where keyed.first_key is not null
),

first_name_keys as (
    select
        first_key,
        first_canonical,
        nysiis(first_canonical) as first_nysiis
    from distinct_first_names
),

last_name_keys as (
    select
        last_key,
        metaphone(last_key) as last_metaphone,
        soundex(last_key) as last_soundex
    from (
        select distinct last_key from keyed
        where last_key is not null
    ) as distinct_last_names
),

joined as (
    select
        keyed.*,
        first_name_keys.first_canonical,
        first_name_keys.first_nysiis,
        last_name_keys.last_metaphone,
        last_name_keys.last_soundex,
        -- Order-free name key: finds "Smith John" for "John Smith".
        least(first_name_keys.first_canonical, keyed.last_key)
        || '|' || greatest(first_name_keys.first_canonical, keyed.last_key) as name_set_key
    from keyed
    left join first_name_keys on keyed.first_key = first_name_keys.first_key
    left join last_name_keys on keyed.last_key = last_name_keys.last_key
),

profiled as (
    select
        *,
        -- A username built from the person's own names (john.smith, jsmith, joe.smith, smithj) or
        -- the family's (thesmiths, smith.family) says nothing the name comparison does not:
        -- agreement on it alone must not count twice. German names are written both ways in
        -- usernames (paul.mueller for Müller, whose key is muller): ae/oe/ue fold on both sides.
        -- The letters as typed are checked too: folding breaks a name across its parts
        -- (jessicaevans folds to jessicavans, aedwards to adwards).
        coalesce(
            username_letters = first_key or contains(username_letters, last_key)
            or username_folded = {{ fold_vowel_e('first_key') }}
            or contains(username_folded, {{ fold_vowel_e('last_key') }}),
            false
        ) as is_email_local_name_derived,
        -- Records equal on every field matching looks at are one profile: compared once. The shop
        -- accounts count too: two name-only tickets, one about an account's order and one from a
        -- namesake about nothing, are two profiles, or the namesake would inherit the order.
        md5(concat_ws(
            '|', coalesce(first_key, '~'), coalesce(last_key, '~'), coalesce(email_match_key, '~'),
            coalesce(email_as_typed, '~'), coalesce(phone_e164, '~'),
            coalesce(cast(date_of_birth as varchar), '~'),
            coalesce(street_key, '~'), coalesce(postcode_key, '~'), coalesce(country_code, '~'),
            cast(is_test_account as varchar), coalesce(shop_accounts, '~')
        )) as profile_id
    from joined
)

select * exclude (username_letters, username_folded, shop_accounts) from profiled
