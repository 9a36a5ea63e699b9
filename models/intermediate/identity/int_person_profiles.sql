{#- One row per distinct profile: records identical on every matching field (a customer's many
    payments with the same billing details) are resolved together. -#}

with

match_keys as (
    select * from {{ ref('int_person_match_keys') }}
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
    from profiles
)

select * from with_name_keys
