"""Per-record match keys and the profiles they make, as SQL over a relation of person records.

Keys are computed once per record (phonetic codes once per distinct name, through the UDFs in
`c360.udfs`); candidate pairs are then found and compared on these columns with DuckDB's
built-in functions. Records equal on every key are one profile: compared once.

The records relation has the canonical person columns (`int_person_records_unioned`):
person_record_id, source_system, source_record_id, first_name, last_name, email,
email_match_key, phone_e164, date_of_birth, address_line1, city, state, postcode,
country_code, identifiers, updated_at, is_test_account, shop_activity_keys.
"""

from __future__ import annotations

STREET_ABBREVIATIONS = (
    ("street", "st"), ("road", "rd"), ("avenue", "ave"), ("drive", "dr"), ("lane", "ln"), ("court", "ct"),
    ("crescent", "cres"), ("grove", "gr"), ("close", "cl"), ("place", "pl"), ("gardens", "gdns"),
    ("terrace", "terr"), ("boulevard", "blvd"), ("square", "sq"), ("circuit", "cct"), ("parade", "pde"),
    ("highway", "hwy"), ("esplanade", "esp"),
)

# Dates of birth outside this range are placeholders or typos of the year (0084 for 1984): no evidence.
EARLIEST_BIRTH_DATE = "1870-01-01"


def name_key(column: str) -> str:
    """A name or word for matching: accents folded, lower case, letters only."""
    return f"nullif(regexp_replace(lower(strip_accents({column})), '[^a-z]', '', 'g'), '')"


def fold_vowel_e(expression: str) -> str:
    """German transliteration folded for comparing names with usernames: mueller, muller."""
    return f"regexp_replace({expression}, '([aou])e', '\\1', 'g')"


def street_key(column: str) -> str:
    """Street for matching: lower case, accents folded, flat/unit prefixes dropped ("Flat 24, 173
    Queens Court" -> "173 queens ct"), common words abbreviated (street -> st, strasse -> str),
    punctuation dropped."""
    expression = (f"regexp_replace(regexp_replace(lower(strip_accents({column})), "
                  "'^(flat|apt|apartment|unit|suite)\\s*[0-9a-z]+[,\\s]+', ''), 'stra(ss|ß)e', 'str', 'g')")
    for word, short in STREET_ABBREVIATIONS:
        expression = f"regexp_replace({expression}, '\\b{word}\\b', '{short}', 'g')"
    return f"nullif(trim(regexp_replace(regexp_replace({expression}, '[^a-z0-9 ]', '', 'g'), '\\s+', ' ', 'g')), '')"


def match_keys_sql(records: str, nicknames: str, today: str = "current_date") -> str:
    """One row per person record with its match keys and profile id. `today`: the SQL for the day after
    which no one is born (the real-time service passes it in, so its prepared statement keeps its plan)."""
    return f"""
with

name_keyed as (
    select
        *,
        {name_key('first_name')} as given_key,
        {name_key('last_name')} as family_key,
        regexp_replace(string_split(email_match_key, '@')[1], '[^a-z]', '', 'g') as username_letters
    from {records}
),

-- A record missing one name part whose username spells it: "doris.green@" with last name
-- Green gives first name Doris. Only when the username is exactly the known part plus at
-- least three more letters, before or after it.
keyed as (
    select
        person_record_id,
        source_system,
        source_record_id,
        coalesce(is_test_account, false) as is_test_account,
        username_letters,
        {fold_vowel_e('username_letters')} as username_folded,
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
        email_match_key,
        string_split(email_match_key, '@')[1] as email_local,
        -- The address as typed (dots kept, plus-tag dropped): john.smith@googlemail.com and
        -- johnsmith@gmail.com share a key but may have been typed by two different John Smiths.
        -- A username with a number (john.smith84) is the person's own however it is dotted or
        -- whichever Gmail domain it names: its key stands for it.
        case
            when regexp_matches(email_match_key, '^[^@]*[0-9][^@]*[0-9]') then email_match_key
            when email_match_key is not null
                then string_split(string_split(lower(email), '@')[1], '+')[1]
                    || '@' || string_split(lower(email), '@')[2]
        end as email_as_typed,
        phone_e164,
        case when date_of_birth between date '{EARLIEST_BIRTH_DATE}' and {today} then date_of_birth end
            as date_of_birth,
        -- the shop accounts the record is tied to, part of its profile id below
        array_to_string(list_sort(list_filter(shop_activity_keys,
            lambda shop_key: starts_with(shop_key, 'account:'))), ',') as shop_accounts,
        {street_key('address_line1')} as street_key,
        regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g') as postcode_key,
        {name_key('city')} as city_key,
        {name_key('state')} as state_key,
        country_code,
        list_sort(list_distinct(identifiers)) as identifiers,
        updated_at
    from name_keyed
),

-- A nickname maps to its full forms (bill -> william; al -> alan, albert, alfred): the name and
-- its full forms are its forms, and two names sharing a form can be one person's. The canonical
-- form, which blocking and the shared-contact check group on, is the first full form.
canonical_first_names as (
    select
        nickname,
        min(canonical_name) as canonical_name,
        list(canonical_name order by canonical_name) as canonical_names
    from {nicknames}
    group by nickname
),

first_name_keys as (
    select
        first_key,
        first_canonical,
        first_forms,
        nysiis(first_canonical) as first_nysiis
    from (
        select distinct
            keyed.first_key,
            coalesce(canonical_first_names.canonical_name, keyed.first_key) as first_canonical,
            list_sort(list_append(coalesce(canonical_first_names.canonical_names, []), keyed.first_key))
                as first_forms
        from keyed
        left join canonical_first_names on keyed.first_key = canonical_first_names.nickname
        where keyed.first_key is not null
    )
),

last_name_keys as (
    select
        last_key,
        metaphone(last_key) as last_metaphone,
        nysiis(last_key) as last_nysiis,
        soundex(last_key) as last_soundex
    from (select distinct last_key from keyed where last_key is not null)
),

joined as (
    select
        keyed.*,
        first_name_keys.first_canonical,
        first_name_keys.first_forms,
        first_name_keys.first_nysiis,
        left(keyed.first_key, 1) as first_initial,
        last_name_keys.last_metaphone,
        last_name_keys.last_nysiis,
        last_name_keys.last_soundex,
        -- Order-free name key: finds "Smith John" for "John Smith".
        least(first_name_keys.first_canonical, keyed.last_key)
        || '|' || greatest(first_name_keys.first_canonical, keyed.last_key) as name_set_key,
        strftime(keyed.date_of_birth, '%Y%m%d') as birth_text,
        strftime(keyed.date_of_birth, '%m%d') as birth_month_day,
        nullif(regexp_extract(keyed.street_key, '\\b([0-9]+[a-z]?)\\b', 1), '') as street_number,
        nullif(trim(regexp_replace(regexp_replace(keyed.street_key, '\\b[0-9]+[a-z]?\\b', '', 'g'), '\\s+', ' ', 'g')),
               '') as street_name,
        keyed.street_key || '|' || keyed.postcode_key as address_key,
        list_sort(list_distinct(list_transform(keyed.identifiers, lambda identifier:
            string_split(identifier, ':')[1]))) as identifier_kinds
    from keyed
    left join first_name_keys on keyed.first_key = first_name_keys.first_key
    left join last_name_keys on keyed.last_key = last_name_keys.last_key
),

profiled as (
    select
        *,
        -- A username built from the person's own names (john.smith, jsmith, smithj) or the
        -- family's (thesmiths) says nothing the name comparison does not. German names are
        -- written both ways in usernames (paul.mueller for Müller): ae/oe/ue fold on both sides,
        -- and the letters as typed are checked too (folding breaks jessicaevans into jessicavans).
        coalesce(
            username_letters = first_key or contains(username_letters, last_key)
            or username_folded = {fold_vowel_e('first_key')}
            or contains(username_folded, {fold_vowel_e('last_key')}),
            false
        ) as is_email_local_name_derived,
        -- Records equal on every field matching looks at are one profile: compared once. The shop
        -- accounts count too: two name-only tickets, one about an account's order and one from a
        -- namesake about nothing, are two profiles, or the namesake would inherit the order.
        md5(concat_ws(
            '|', coalesce(first_key, '~'), coalesce(last_key, '~'), coalesce(email_match_key, '~'),
            coalesce(email_as_typed, '~'), coalesce(phone_e164, '~'), coalesce(birth_text, '~'),
            coalesce(street_key, '~'), coalesce(postcode_key, '~'), coalesce(city_key, '~'),
            coalesce(state_key, '~'), coalesce(country_code, '~'),
            coalesce(array_to_string(identifiers, ','), '~'), cast(is_test_account as varchar),
            coalesce(shop_accounts, '~')
        )) as profile_id
    from joined
)

select * exclude (username_letters, username_folded, shop_accounts) from profiled
"""


PROFILE_COLUMNS = (
    "first_key", "first_canonical", "first_forms", "first_nysiis", "first_initial", "last_key", "last_metaphone",
    "last_nysiis", "last_soundex", "name_set_key", "birth_month_day",
    "email_match_key", "email_local", "email_as_typed", "phone_e164", "date_of_birth", "birth_text",
    "street_key", "street_number", "street_name", "address_key", "postcode_key", "city_key", "state_key",
    "country_code", "identifiers", "identifier_kinds",
)


def profiles_sql(match_keys: str, max_block_size: int, record_activity: str | None = None) -> str:
    """One row per profile (distinct record variant), numbered in profile id order, with the
    flags and list keys blocking and comparison read.

    `record_activity` (optional layer): a relation of (person_record_id, shop_activity_keys,
    is_shop_account) for the records tied to shop accounts or orders."""
    carried = ",\n        ".join(f"any_value({column}) as {column}" for column in PROFILE_COLUMNS)
    activity = f"""
profile_shop_keys as (
    select
        match_keys.profile_id,
        list_sort(list_distinct(flatten(list(record_activity.shop_activity_keys)))) as shop_activity_keys,
        bool_or(record_activity.is_shop_account) as is_shop_account
    from {record_activity} as record_activity
    inner join {match_keys} as match_keys on record_activity.person_record_id = match_keys.person_record_id
    group by match_keys.profile_id
),
""" if record_activity else """
profile_shop_keys as (
    select
        cast(null as varchar) as profile_id,
        cast(null as varchar[]) as shop_activity_keys,
        cast(null as boolean) as is_shop_account
    where false
),
"""
    shared = "\n".join(_shared_contact_sql(contact, max_block_size) for contact in ("email_match_key", "phone_e164"))
    return f"""
with

profiles as (
    select
        profile_id,
        {carried},
        bool_or(is_email_local_name_derived) as is_email_local_name_derived,
        bool_or(is_test_account) as is_test_account,
        count(*) as record_count
    from {match_keys}
    group by profile_id
),
{activity}
{shared}
-- The profile's position in profile id order: pairs and clusters are made on this integer.
profile_numbers as (
    select
        profile_id,
        row_number() over (order by profile_id) as profile_number
    from profiles
),

finished as (
    select
        profiles.*,
        profile_numbers.profile_number,
        email_match_key_shared.contact is not null as is_email_shared,
        phone_e164_shared.contact is not null as is_phone_shared,
        profile_shop_keys.shop_activity_keys,
        profile_shop_keys.profile_id is not null as has_shop_activity,
        coalesce(profile_shop_keys.is_shop_account, false) as is_shop_account,
        -- Name spellings to block on, whichever field holds them: "doris.green@" is found by the
        -- record of Doris Green with no e-mail, "martinhannah@" by Hannah Martin.
        list_filter(list_distinct([
            profiles.first_canonical || profiles.last_key,
            profiles.last_key || profiles.first_canonical,
            profiles.first_key || profiles.last_key,
            nullif(regexp_replace(profiles.email_local, '[^a-z]', '', 'g'), '')
        ]), lambda name_key: length(name_key) >= 6) as name_keys,
        -- the birthday and the postcode with the sound of either name part, in either field:
        -- finds swapped and misspelt names, and a family name replaced by another
        list_filter([
            profiles.birth_text || '|' || profiles.first_nysiis,
            profiles.birth_text || '|' || profiles.last_nysiis
        ], lambda sound_key: sound_key is not null) as birth_sound_keys,
        list_filter([
            profiles.postcode_key || '|' || profiles.first_nysiis,
            profiles.postcode_key || '|' || profiles.last_nysiis
        ], lambda sound_key: sound_key is not null) as postcode_sound_keys
    from profiles
    inner join profile_numbers on profiles.profile_id = profile_numbers.profile_id
    left join email_match_key_shared on profiles.email_match_key = email_match_key_shared.contact
    left join phone_e164_shared on profiles.phone_e164 = phone_e164_shared.contact
    left join profile_shop_keys on profiles.profile_id = profile_shop_keys.profile_id
)

select * from finished
"""


def _shared_contact_sql(contact: str, max_block_size: int) -> str:
    """An e-mail or phone used by two people (Marie and Michel Morel at mmorel@, an office's
    info@) cannot tell its users apart. Two first names are two people when they differ in
    canonical form and could not be one person's: not similar as written or in full form
    (typos: Amanda/Aamnda), not one letter apart (Roy/Ryo), no nickname of a full form the other
    is or has, not a swap, not an initial of the other (A. for Anna). A contact held by more
    profiles than a block holds is shared outright (comparing all its users would be quadratic,
    and no person has that many record variants)."""
    return f"""
{contact}_users as (
    select
        profiles.{contact} as contact,
        profiles.first_canonical,
        profiles.first_key,
        profiles.last_key,
        profiles.first_forms,
        count(*) over (partition by profiles.{contact}) as users
    from profiles
    -- both name parts known: a lone name may be the surname (Booth for Mary Booth)
    where profiles.{contact} is not null and profiles.first_key is not null and profiles.last_key is not null
),

{contact}_shared as (
    select distinct users_a.contact
    from {contact}_users as users_a
    inner join {contact}_users as users_b
        on
            users_a.contact = users_b.contact
            and users_a.first_key < users_b.first_key
    where
        users_a.users <= {max_block_size}
        and users_a.first_canonical <> users_b.first_canonical
        and jaro_winkler_similarity(users_a.first_key, users_b.first_key) < 0.8
        and jaro_winkler_similarity(users_a.first_canonical, users_b.first_canonical) < 0.8
        and damerau_levenshtein(users_a.first_key, users_b.first_key) > 1
        and not list_has_any(users_a.first_forms, users_b.first_forms)
        -- an initial (A. for Anna) is a way of writing the name, not another person
        and not (length(users_a.first_key) = 1 and starts_with(users_b.first_key, users_a.first_key))
        and not (length(users_b.first_key) = 1 and starts_with(users_a.first_key, users_b.first_key))
        and users_a.first_key is distinct from users_b.last_key
        and users_b.first_key is distinct from users_a.last_key
    union
    select contact from {contact}_users where users > {max_block_size}
),
"""
