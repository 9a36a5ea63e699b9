{#- Read by blocking's joins and aggregates on its strings: written compressed (macros/storage.sql). -#}
{{ config(pre_hook=string_compression(true), post_hook=string_compression(false)) }}

{#- One row per distinct profile: records identical on every matching field (a customer's many
    payments with the same billing details) are resolved together. -#}

with

match_keys as (
    select * from {{ ref('int_person_match_keys') }}
),

-- Shop activity keys are looked up here, for the records that have any, rather than carried
-- through the match keys (a list column on every record there cost more than this join). A
-- subscriber's e-mail clicks add the shop accounts they signed in to (built beside the union
-- of records, not before it).
record_shop_keys as (
    select
        person_record_id,
        shop_activity_keys,
        is_shop_account
    from {{ ref('int_person_records_unioned') }}
    where shop_activity_keys is not null
    {% if email_click_links_enabled() %}
    union all
    select
        'email:' || subscriber_id as person_record_id,  -- the subscriber's record (int_person_records_unioned)
        list('account:' || shop_customer_id order by shop_customer_id) as shop_activity_keys,
        false as is_shop_account
    from {{ ref('int_email_clicks_linked') }}
    group by subscriber_id
    {% endif %}
),

profile_shop_keys as (
    select
        match_keys.profile_id,
        list_distinct(flatten(list(record_shop_keys.shop_activity_keys))) as shop_activity_keys,
        bool_or(record_shop_keys.is_shop_account) as is_shop_account
    from record_shop_keys
    inner join match_keys on record_shop_keys.person_record_id = match_keys.person_record_id
    group by match_keys.profile_id
),

profiles as (
    select
        profile_id,
        any_value(first_key) as first_key,
        any_value(first_canonical) as first_canonical,
        any_value(first_nysiis) as first_nysiis,
        any_value(last_key) as last_key,
        any_value(last_metaphone) as last_metaphone,
        any_value(last_soundex) as last_soundex,
        any_value(name_set_key) as name_set_key,
        any_value(email_match_key) as email_match_key,
        any_value(email_local) as email_local,
        any_value(email_as_typed) as email_as_typed,
        bool_or(is_email_local_name_derived) as is_email_local_name_derived,
        any_value(phone_e164) as phone_e164,
        any_value(date_of_birth) as date_of_birth,
        any_value(street_key) as street_key,
        any_value(postcode_key) as postcode_key,
        any_value(country_code) as country_code,
        bool_or(is_test_account) as is_test_account,
        count(*) as record_count
    from match_keys
    group by profile_id
),

-- An e-mail or phone used by two people (Marie and Michel Morel at mmorel@) belongs to a
-- household: agreeing on it cannot tell its members apart. Two first names are two people when
-- they differ in canonical form and could not be one person's: not similar, as written or in
-- full form (typos: Amanda/Aamnda, Doiglas/Doug), not one letter apart (Roy/Ryo), no nickname
-- of a full form the other is or has (Suzy/Susan are not, Harry/Henry and Kate/Catherine are:
-- a nickname with several full forms names any of them) and not a swap.
-- The nickname's full forms, and the name itself: two names that share one can be one person.
first_name_forms as (
    select
        nickname as first_key,
        list_append(list(canonical_name), nickname) as name_forms
    from {{ ref('name_nicknames') }}
    group by nickname
),

{% for contact in ['email_match_key', 'phone_e164'] %}
{{ contact }}_users as (
    select
        profiles.{{ contact }} as contact,
        profiles.first_canonical,
        profiles.first_key,
        profiles.last_key,
        coalesce(first_name_forms.name_forms, [profiles.first_key]) as name_forms
    from profiles
    left join first_name_forms on profiles.first_key = first_name_forms.first_key
    -- both name parts known: a lone name may be the surname (Booth for Mary Booth)
    where profiles.{{ contact }} is not null and profiles.first_key is not null and profiles.last_key is not null
    qualify count(*) over (partition by {{ contact }}) <= {{ var('identity_max_block_size') }}
),

{{ contact }}_shared as (
    select distinct users_a.contact
    from {{ contact }}_users as users_a
    inner join {{ contact }}_users as users_b
        on
            users_a.contact = users_b.contact
            and users_a.first_key < users_b.first_key
    where
        users_a.first_canonical <> users_b.first_canonical
        and jaro_winkler_similarity(users_a.first_key, users_b.first_key) < 0.8
        and jaro_winkler_similarity(users_a.first_canonical, users_b.first_canonical) < 0.8
        and damerau_levenshtein(users_a.first_key, users_b.first_key) > 1
        and not list_has_any(users_a.name_forms, users_b.name_forms)
        and users_a.first_key is distinct from users_b.last_key
        and users_b.first_key is distinct from users_a.last_key
),

{% endfor %}
-- The profile's position in profile id order: pairs and clusters are made on this integer rather
-- than the 32-character id (ordering by either is the same). Numbered on the ids alone: a window
-- over the whole profile rows cost 1.5 s more at 300k people.
profile_numbers as (
    select
        profile_id,
        row_number() over (order by profile_id) as profile_number
    from profiles
),

shared_contacts as (
    select
        profiles.*,
        profile_numbers.profile_number,
        email_match_key_shared.contact is not null as is_email_shared,
        phone_e164_shared.contact is not null as is_phone_shared,
        profile_shop_keys.shop_activity_keys,
        profile_shop_keys.profile_id is not null as has_shop_activity,
        coalesce(profile_shop_keys.is_shop_account, false) as is_shop_account
    from profiles
    inner join profile_numbers on profiles.profile_id = profile_numbers.profile_id
    left join email_match_key_shared on profiles.email_match_key = email_match_key_shared.contact
    left join phone_e164_shared on profiles.phone_e164 = phone_e164_shared.contact
    left join profile_shop_keys on profiles.profile_id = profile_shop_keys.profile_id
),

-- Name spellings to block on, whichever field holds them: "doris.green@" is found by the
-- record of Doris Green with no e-mail, "martinhannah@" by Hannah Martin.
with_name_keys as (
    select
        *,
        list_filter(list_distinct([
            first_canonical || last_key,
            last_key || first_canonical,
            first_key || last_key,
            nullif(regexp_replace(email_local, '[^a-z]', '', 'g'), '')
        ]), lambda name_key: length(name_key) >= 6) as name_keys
    from shared_contacts
)

select * from with_name_keys
