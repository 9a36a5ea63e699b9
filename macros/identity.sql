{#- Identity resolution building blocks shared by the blocking, comparison and evaluation models. -#}

{#- The source systems the configuration ingests (the Makefile passes them as the var
    source_systems; without it, every demo system). -#}
{% macro configured_systems() -%}
    {{ return(var('source_systems', ['crm_a', 'crm_b', 'shop', 'payments', 'support', 'web', 'email', 'marketing'])) }}
{%- endmacro %}

{#- E-mail clicks can tie subscribers to shop accounts only with e-mail, web and shop data:
    int_email_clicks_linked is built, and int_person_profiles reads it, exactly then. -#}
{% macro email_click_links_enabled() -%}
    {%- set systems = configured_systems() -%}
    {{ return('email' in systems and 'web' in systems and 'shop' in systems) }}
{%- endmacro %}

{#- Blocking rules: name -> the profile columns that must all be equal. A true pair needs to
    share only one rule's keys to become a candidate. -#}
{% macro blocking_rules() -%}
    {{ return([
        ('email', ['email_match_key']),
        ('phone', ['phone_e164']),
        ('full_name', ['first_canonical', 'last_key']),
        ('name_any_order', ['name_set_key']),
        ('dob_last_soundex', ['date_of_birth', 'last_soundex']),
        ('dob_first_name', ['date_of_birth', 'first_canonical']),
        ('postcode_first_nysiis', ['postcode_key', 'first_nysiis']),
        ('postcode_last_metaphone', ['postcode_key', 'last_metaphone']),
        ('email_local_last_metaphone', ['email_local', 'last_metaphone']),
        ('first_nysiis_last_name', ['first_nysiis', 'last_key']),
        ('first_name_last_metaphone', ['first_canonical', 'last_metaphone']),
    ]) }}
{%- endmacro %}

{#- Blocking rules on list columns: profiles sharing any element of the list are paired. -#}
{% macro list_blocking_rules() -%}
    {{ return([('name_or_username', 'name_keys'), ('shared_shop_activity', 'shop_activity_keys')]) }}
{%- endmacro %}

{#- The blocking rules that look at nothing but names. A pair only they find is compared only
    when the two profiles' contact details do not contradict each other or something beyond the
    name agrees (int_candidate_pairs_blocked): namesakes with different e-mails, phones and
    birthdays are most of the pairs at scale and can never reach the link threshold. -#}
{% macro name_only_blocking_rules() -%}
    {{ return(['full_name', 'name_any_order', 'first_nysiis_last_name', 'first_name_last_metaphone', 'name_or_username']) }}
{%- endmacro %}

{#- The profile columns the comparison levels read: both the candidate and the random pairs
    select exactly these (plus their own extras), so a new comparison is added in one place. -#}
{% macro comparison_columns() -%}
    {{ return([
        'first_key', 'first_canonical', 'last_key', 'last_metaphone', 'email_match_key', 'email_local',
        'email_as_typed', 'is_email_local_name_derived', 'is_email_shared', 'phone_e164', 'is_phone_shared',
        'date_of_birth', 'street_key', 'postcode_key', 'country_code', 'has_shop_activity', 'is_shop_account',
    ]) }}
{%- endmacro %}

{#- The comparison levels of a pair of profiles `a` and `b` (relation aliases). Higher is closer
    agreement; null when either side is missing the field, so it counts for nothing.
    Names are compared in both orders: a swapped first/last name agrees fully.
    `shared_shop_activity`: an expression true when the two share a shop activity key (candidate
    pairs know it from the shared_shop_activity blocking rule's bit); by default the key lists are
    compared. -#}
{% macro comparison_levels(a, b, shared_shop_activity=none) -%}
    {%- set first_name_agrees = "(" ~ a ~ ".first_canonical = " ~ b ~ ".first_canonical or jaro_winkler_similarity("
        ~ a ~ ".first_key, " ~ b ~ ".first_key) >= 0.88)" -%}
    {%- set swapped = "(" ~ a ~ ".first_canonical = " ~ b ~ ".last_key and " ~ a ~ ".last_key = " ~ b ~ ".first_canonical)" -%}
    case
        when {{ a }}.first_key is null or {{ b }}.first_key is null then null
        when {{ a }}.first_canonical = {{ b }}.first_canonical or {{ swapped }} then 3
        when jaro_winkler_similarity({{ a }}.first_key, {{ b }}.first_key) >= 0.88 then 2
        when left({{ a }}.first_key, 1) = left({{ b }}.first_key, 1) then 1
        else 0
    end as first_name_level,
    case
        when {{ a }}.last_key is null or {{ b }}.last_key is null then null
        when {{ a }}.last_key = {{ b }}.last_key or {{ swapped }} then 3
        when jaro_winkler_similarity({{ a }}.last_key, {{ b }}.last_key) >= 0.88 then 2
        when {{ a }}.last_metaphone = {{ b }}.last_metaphone then 1
        else 0
    end as last_name_level,
    case
        when {{ a }}.email_match_key is null or {{ b }}.email_match_key is null then null
        -- A household's shared address is no evidence either way between members with different
        -- first names; with the same first name it points to one member, as a personal one does.
        when {{ a }}.email_match_key = {{ b }}.email_match_key and {{ a }}.is_email_shared
            then case when {{ first_name_agrees }} then 2 end
        -- Gmail ignores dots and googlemail.com is gmail.com, but john.smith@gmail.com and
        -- johnsmith@googlemail.com typed for one John Smith and for another are no evidence
        -- beyond the name when the username is the name (and has no number: email_as_typed).
        when {{ a }}.email_match_key = {{ b }}.email_match_key
            and {{ a }}.email_as_typed <> {{ b }}.email_as_typed
            and ({{ a }}.is_email_local_name_derived or {{ b }}.is_email_local_name_derived) then null
        when {{ a }}.email_match_key = {{ b }}.email_match_key then 2
        -- same username elsewhere: evidence only when the username is not just the person's name
        when {{ a }}.email_local = {{ b }}.email_local
            and ({{ a }}.is_email_local_name_derived or {{ b }}.is_email_local_name_derived) then null
        when {{ a }}.email_local = {{ b }}.email_local then 1
        else 0
    end as email_level,
    case
        when {{ a }}.phone_e164 is null or {{ b }}.phone_e164 is null then null
        when {{ a }}.phone_e164 = {{ b }}.phone_e164 and {{ a }}.is_phone_shared
            then case when {{ first_name_agrees }} then 2 end
        when {{ a }}.phone_e164 = {{ b }}.phone_e164 then 2
        -- the same subscriber number under another country code: a number typed without one
        -- and parsed in the wrong region (a ticket's +353 668568715 for +33 668568715)
        when right({{ a }}.phone_e164, 9) = right({{ b }}.phone_e164, 9) then 1
        else 0
    end as phone_level,
    case
        when {{ a }}.date_of_birth is null or {{ b }}.date_of_birth is null then null
        when {{ a }}.date_of_birth = {{ b }}.date_of_birth then 2
        -- day and month transposed (a US/European format mix-up)
        when year({{ a }}.date_of_birth) = year({{ b }}.date_of_birth)
            and month({{ a }}.date_of_birth) = day({{ b }}.date_of_birth)
            and day({{ a }}.date_of_birth) = month({{ b }}.date_of_birth) then 1
        else 0
    end as date_of_birth_level,
    -- Street, postcode (and so city) and country are one piece of evidence, counted once.
    case
        when coalesce({{ a }}.postcode_key, {{ a }}.street_key, {{ a }}.country_code) is null
            or coalesce({{ b }}.postcode_key, {{ b }}.street_key, {{ b }}.country_code) is null then null
        when {{ a }}.country_code <> {{ b }}.country_code then 0
        when coalesce({{ a }}.postcode_key, {{ a }}.street_key) is null
            or coalesce({{ b }}.postcode_key, {{ b }}.street_key) is null
            then case when {{ a }}.country_code = {{ b }}.country_code then 2 end
        when {{ a }}.street_key = {{ b }}.street_key and {{ a }}.postcode_key = {{ b }}.postcode_key then 6
        when {{ a }}.postcode_key = {{ b }}.postcode_key
            and jaro_winkler_similarity({{ a }}.street_key, {{ b }}.street_key) >= 0.9 then 5
        -- The same postcode without a street to compare: a street's worth of homes in the UK, a
        -- town in countries whose postcodes name an area (identity_area_postcode_countries),
        -- where it says no more than the postcode area below.
        when {{ a }}.postcode_key = {{ b }}.postcode_key
            and ({{ a }}.street_key is null or {{ b }}.street_key is null)
            then case
                when {{ a }}.country_code in {{ sql_list(var('identity_area_postcode_countries')) }} then 3
                else 4
            end
        when {{ a }}.country_code = {{ b }}.country_code
            and left({{ a }}.postcode_key, 3) = left({{ b }}.postcode_key, 3) then 3
        -- moved house (or a different address) in the same country; 2 is "same country, no
        -- address to compare on one side"
        else 1
    end as address_level,
    -- Tied to the same shop account or order (a payment or a ticket for an order the account
    -- placed, a subscriber's click that opened a session signed in to it): the shop's own record
    -- of who it was. Two shop accounts never share a key: not compared.
    case
        when not ({{ a }}.has_shop_activity and {{ b }}.has_shop_activity)
            or ({{ a }}.is_shop_account and {{ b }}.is_shop_account) then null
        when {{ shared_shop_activity
            or ('list_has_any(' ~ a ~ '.shop_activity_keys, ' ~ b ~ '.shop_activity_keys)') }} then 1
        else 0
    end as shop_activity_level
{%- endmacro %}

{#- A Jinja list of strings as a SQL list literal: ('US', 'DE'). -#}
{% macro sql_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- German transliteration folded for comparing names with usernames: mueller, muller. -#}
{% macro fold_vowel_e(expression) -%}
    regexp_replace({{ expression }}, '([aou])e', '\1', 'g')
{%- endmacro %}

{#- The comparisons, in the order of their level columns (used by the model and the scoring). -#}
{% macro comparisons() -%}
    {{ return(['first_name', 'last_name', 'email', 'phone', 'date_of_birth', 'address', 'shop_activity']) }}
{%- endmacro %}

{#- The shop accounts a record is tied to, as one sorted string ('' when tied to orders only,
    null when tied to nothing): part of what makes records one profile (int_person_match_keys). -#}
{% macro shop_accounts_key(shop_activity_keys) -%}
    array_to_string(list_sort(list_filter(
        {{ shop_activity_keys }}, lambda shop_key: starts_with(shop_key, 'account:')
    )), ',')
{%- endmacro %}
