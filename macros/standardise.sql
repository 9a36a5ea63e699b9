{#- Standardisation rules shared by every staging model that holds people. One definition
    per rule, so a CRM contact and a payment's billing details are cleaned the same way. -#}

{#- Trim, collapse inner whitespace, empty -> null. -#}
{% macro clean_text(column) -%}
    nullif(trim({{ replace_all(column, "'\\s+'", "' '") }}), '')
{%- endmacro %}

{#- Honorifics that sources put in front of names (English, German, French), any case. -#}
{% macro title_pattern() -%}
    '(?i)^(mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|m\.)\.?\s+'
{%- endmacro %}
{% macro suffix_pattern() -%}
    '(?i)\s+(jr|sr|ii|iii|iv|phd|md|esq)\.?$'
{%- endmacro %}

{#- A salutation field as a title: cleaned, trailing dot dropped, proper case (Mr., MRS -> Mr, Mrs). -#}
{% macro salutation(column) -%}
    nullif({{ proper_case("regexp_replace(" ~ clean_text(column) ~ ", '\\.$', '')") }}, '')
{%- endmacro %}

{#- A full name (billing name, ticket requester) split at its last space: the given names, then
    the family name. Swapped orders are left to matching, which compares names both ways. -#}
{% macro given_names(full_name) -%}
    {{ proper_case(strip_name("case when contains(" ~ strip_name(full_name) ~ ", ' ') then regexp_replace("
                              ~ strip_name(full_name) ~ ", '\\s+\\S+$', '') else " ~ strip_name(full_name) ~ " end")) }}
{%- endmacro %}
{% macro family_name(full_name) -%}
    {{ proper_case("case when contains(" ~ strip_name(full_name) ~ ", ' ') then regexp_extract("
                   ~ strip_name(full_name) ~ ", '\\S+$', 0) end") }}
{%- endmacro %}

{#- A name part without title and suffix, whitespace cleaned. -#}
{% macro strip_name(column) -%}
    {{ clean_text("regexp_replace(regexp_replace(" ~ clean_text(column) ~ ", " ~ title_pattern() ~ ", ''), "
                  ~ suffix_pattern() ~ ", '')") }}
{%- endmacro %}

{#- The title in front of a name, if any, without its dot, proper case. -#}
{% macro name_title(column) -%}
    nullif({{ proper_case("regexp_extract(" ~ clean_text(column) ~ ", " ~ title_pattern() ~ ", 1)") }}, '')
{%- endmacro %}

{#- Proper case (initcap): capital after a space, hyphen or apostrophe: o'brien-smith -> O'Brien-Smith. -#}
{% macro proper_case(column) -%}
    {{ return(adapter.dispatch('proper_case', 'customer360')(column)) }}
{%- endmacro %}

{% macro default__proper_case(column) -%}
    array_to_string(list_transform(string_split(lower({{ column }}), ' '), lambda word: array_to_string(list_transform(
        string_split(word, '-'), lambda part: array_to_string(list_transform(
            string_split(part, ''''), lambda piece: upper(left(piece, 1)) || substr(piece, 2)), '''')), '-')), ' ')
{%- endmacro %}

{#- Spark reads literals as written (no '' for a quote): the apostrophe is chr(39). -#}
{% macro spark__proper_case(column) -%}
    array_join(transform(split(lower({{ column }}), ' '), word -> array_join(transform(
        split(word, '-'), part -> array_join(transform(
            split(part, chr(39)), piece -> upper(left(piece, 1)) || substr(piece, 2)), chr(39))), '-')), ' ')
{%- endmacro %}

{#- E-mail: trimmed and lower case (the original stays in *_raw columns). -#}
{% macro clean_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- Syntax and domain shape: local@label(.label)*.tld with a 2+ letter top-level domain. -#}
{% macro is_valid_email(email) -%}
    coalesce({{ matches_fully(email, "'[a-z0-9._%+\\x27-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}'") }}, false)
{%- endmacro %}

{#- The address a mailbox really is: plus-tags dropped everywhere; dots dropped and googlemail
    folded only for Gmail, the provider that ignores them. Null for invalid addresses.
    (The domain is compared through regexp_extract: DuckDB 2.0 fails to bind split_part(...) =
    'literal' on a column its statistics know to be all null, a file with no e-mail.) -#}
{% macro email_match_key(email) -%}
    case when {{ is_valid_email(email) }} then
        case
            when regexp_extract({{ email }}, '@(.*)$', 1) in ('gmail.com', 'googlemail.com')
                then replace(split_part(split_part({{ email }}, '@', 1), '+', 1), '.', '') || '@gmail.com'
            else split_part(split_part({{ email }}, '@', 1), '+', 1) || '@' || split_part({{ email }}, '@', 2)
        end
    end
{%- endmacro %}

{#- Phone as typed, reduced to digits with a leading + (00 -> +) so formatting variants of one
    number parse once; phone_e164() (phonenumbers, c360/udfs.py) does the real parsing. -#}
{% macro phone_digits(column) -%}
    nullif({{ replace_all("regexp_replace(trim(" ~ column ~ "), '^00', '+')", "'[^0-9+]'", "''") }}, '')
{%- endmacro %}

{#- Dates of birth in the formats exports use, tried in order: ISO, compact YYYYMMDD, year first
    with slashes, US month/day/year (CRM exports), German day.month.year, UK day/month/year when
    it cannot be US (28/07/1984: a slash date whose both parts could be a month stays US,
    05/07/1984 is 7 May), then dates with month names (16 Apr 1962, April 16, 1962) and
    day-month-year with dashes. A value no format fits is null (the raw text stays in the
    *_raw column). -#}
{% macro parse_birth_date(column) -%}
    {{ return(adapter.dispatch('parse_birth_date', 'customer360')(column)) }}
{%- endmacro %}

{% macro default__parse_birth_date(column) -%}
    cast(try_strptime({{ column }}, [
        '%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%m/%d/%Y', '%d.%m.%Y', '%d/%m/%Y',
        '%d %b %Y', '%d %B %Y', '%b %d, %Y', '%B %d, %Y', '%d-%m-%Y', '%d-%b-%Y'
    ]) as date)
{%- endmacro %}

{#- Timestamps in ISO 8601 with an offset, or day/month/year hh:mm (UK locale exports), to UTC. -#}
{% macro parse_timestamp_utc(column) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'customer360')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp_utc(column) -%}
    coalesce(
        cast(try_cast({{ column }} as timestamptz) at time zone 'UTC' as timestamp),
        try_strptime({{ column }}, '%d/%m/%Y %H:%M')
    )
{%- endmacro %}

{#- The same formats in Spark's datetime patterns (one letter for day and month: 1 or 2 digits);
    the session's time zone is UTC (c360/spark.py), so a timestamp's wall clock is UTC's. -#}
{% macro spark__parse_birth_date(column) -%}
    cast(coalesce(
        {%- for pattern in ['yyyy-M-d', 'yyyyMMdd', 'yyyy/M/d', 'M/d/yyyy', 'd.M.yyyy', 'd/M/yyyy', 'd MMM yyyy',
                            'd MMMM yyyy', 'MMM d, yyyy', 'MMMM d, yyyy', 'd-M-yyyy', 'd-MMM-yyyy'] %}
        try_to_timestamp({{ column }}, '{{ pattern }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as date)
{%- endmacro %}

{% macro spark__parse_timestamp_utc(column) -%}
    coalesce(try_cast({{ column }} as timestamp), try_to_timestamp({{ column }}, 'd/M/yyyy H:mm'))
{%- endmacro %}

{#- Postcode: upper case, one space; UK-style codes get the space before the inward code. -#}
{% macro clean_postcode(column, country_code) -%}
    {#- UK postcodes end in a 3-character inward code (AB15 4FH); an Irish Eircode starts with a
        3-character routing key (D01 YWDR). Other countries' postcodes are kept as written. -#}
    {%- set compact = replace_all("upper(" ~ column ~ ")", "'[^A-Z0-9]'", "''") -%}
    case
        when {{ country_code }} = 'GB' and length({{ compact }}) > 4
            then regexp_replace({{ compact }}, '(.{3})$', ' {{ group_reference(1) }}')
        when {{ country_code }} = 'IE' and length({{ compact }}) = 7
            then regexp_replace({{ compact }}, '^(.{3})', '{{ group_reference(1) }} ')
        else nullif(upper(trim({{ column }})), '')
    end
{%- endmacro %}

{#- A CTE body: each distinct (phone digits, country) of `relation` parsed once to E.164 with
    phonenumbers (about 45 us a call, so never once per row). Join it back on both columns.
    With `parsed_before` (this model's table from its last build), numbers parsed then are taken
    from it and only the others are parsed. -#}
{% macro phone_lookup(relation, parsed_before=none) -%}
    {%- set regions = var("phone_regions_when_unknown") | join(",") -%}
    {%- set wanted = "(select distinct phone_digits, country_code from " ~ relation
        ~ " where phone_digits is not null)" -%}
    {%- if parsed_before is none %}
    select phone_digits, country_code, phone_e164(phone_digits, coalesce(country_code, '{{ regions }}')) as phone_e164
    from {{ wanted }}
    {%- else %}
    with before as (
        -- one answer per number and country, so the join below never multiplies rows
        select phone_digits, country_code, min(phone_e164) as phone_e164
        from (
            select {{ phone_digits('phone_raw') }} as phone_digits, country_code, phone_e164
            from (select distinct phone_raw, country_code, phone_e164 from {{ parsed_before }} where phone_raw is not null)
        )
        where phone_digits is not null
        group by phone_digits, country_code
    ),

    wanted as (
        select * from {{ wanted }}
    )

    select before.* from before semi join wanted
        on before.phone_digits = wanted.phone_digits and before.country_code is not distinct from wanted.country_code
    union all
    select phone_digits, country_code, phone_e164(phone_digits, coalesce(country_code, '{{ regions }}')) as phone_e164
    from (
        select * from wanted anti join before
            on wanted.phone_digits = before.phone_digits and wanted.country_code is not distinct from before.country_code
    )
    {%- endif %}
{%- endmacro %}

{#- The table this person staging model wrote on its last build, when its phone numbers may be reused:
    on DuckDB, not a --full-refresh (make build asks for one whenever the model's logic, c360/ or the
    dbt vars changed: c360/build_state.py), and the table has the columns read. Else none. -#}
{% macro phones_parsed_before() -%}
    {%- if execute and target.type == 'duckdb' and model.resource_type == 'model' and not flags.FULL_REFRESH -%}
        {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
        {%- if existing is not none and existing.is_table -%}
            {%- set present = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
            {%- if 'phone_raw' in present and 'country_code' in present and 'phone_e164' in present -%}
                {{ return(existing) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The last step of every person staging model: `relation` carries phone_digits, email and
    country_code; this adds phone_e164 (parsed once per distinct number), validity flags and
    the e-mail match key, and drops the working column phone_digits. -#}
{% macro finish_person_record(relation) -%}
    select
        {{ all_columns_except(relation, ['phone_digits']) }},
        parsed_phones.phone_e164,
        {{ relation }}.phone_digits is not null and parsed_phones.phone_e164 is null as is_phone_invalid,
        {{ is_valid_email(relation ~ '.email') }} as is_email_valid,
        {{ email_match_key(relation ~ '.email') }} as email_match_key
    from {{ relation }}
    left join ({{ phone_lookup(relation, phones_parsed_before()) }}) as parsed_phones
        on {{ relation }}.phone_digits = parsed_phones.phone_digits
        and {{ relation }}.country_code is not distinct from parsed_phones.country_code
{%- endmacro %}

{#- The ISO code of a country as written, from the country_codes seed (every ISO name and code,
    plus endonyms and abbreviations): unknown spellings stay NULL rather than guessed. -#}
{% macro country_code(column, countries_relation) -%}
    {{ countries_relation }}.country_code
{%- endmacro %}

{#- A country as written, in the seed's form: lower case, no accents, single spaces
    (c360/country_seed.py folds the seed the same way). -#}
{% macro country_name_key(column) -%}
    {{ replace_all("strip_accents(lower(trim(" ~ column ~ ")))", "'\\s+'", "' '") }}
{%- endmacro %}

{#- The name and contact columns every person staging model has, from the source's columns
    (SQL expressions): either first_name and last_name, or one full_name to split. Phone is
    optional (e-mail subscribers have none). -#}
{% macro person_name_and_contact(email, phone=none, first_name=none, last_name=none, full_name=none) -%}
    {%- if full_name is not none %}
        {{ given_names(full_name) }} as first_name,
        {{ family_name(full_name) }} as last_name,
    {%- else %}
        {{ proper_case(strip_name(first_name)) }} as first_name,
        {{ proper_case(strip_name(last_name)) }} as last_name,
    {%- endif %}
        {{ email }} as email_raw,
        {{ clean_email(email) }} as email,
        {{ phone if phone is not none else 'cast(null as string)' }} as phone_raw,
        {{ phone_digits(phone) if phone is not none else 'cast(null as string)' }} as phone_digits
{%- endmacro %}

{#- A person record's fields cleaned and standardised (names, contact, dates, address, country), as the
    CTEs named, countries and standardised; `relation` has the canonical person fields as text plus
    date_of_birth_as_exported, data_issues and versions_in_bronze. The home of how a person file's
    record is read: the person-file staging model and the real-time service
    (analyses/serving_person_record.sql) both call it. -#}
{% macro standardised_person_records(relation, countries_relation) -%}
-- A full name (a checkout's billing name) gives the parts a file does not give separately.
named as (
    select
        *,
        coalesce(first_name, case when last_name is null then {{ given_names('full_name') }} end) as first_name_filled,
        coalesce(last_name, case when first_name is null then {{ family_name('full_name') }} end) as last_name_filled
    from {{ relation }}
),

countries as (
    select * from {{ countries_relation }}
),

standardised as (
    select
        deduplicated.source_system,
        deduplicated.source_record_id,
        {{ name_title('coalesce(deduplicated.first_name_filled, deduplicated.full_name)') }} as title,
        {{ person_name_and_contact(first_name='deduplicated.first_name_filled',
                                   last_name='deduplicated.last_name_filled',
                                   email='deduplicated.email', phone='deduplicated.phone') }},
        deduplicated.date_of_birth_as_exported as date_of_birth_raw,
        {{ parse_birth_date('deduplicated.date_of_birth') }} as date_of_birth,
        {{ clean_text('deduplicated.address_line1') }} as address_line1,
        {{ clean_text('deduplicated.address_line2') }} as address_line2,
        {{ clean_text('deduplicated.city') }} as city,
        {{ clean_text('deduplicated.state') }} as state,
        {{ clean_postcode('deduplicated.postcode', country_code('deduplicated.country', 'countries')) }} as postcode,
        {{ country_code('deduplicated.country', 'countries') }} as country_code,
        {{ parse_timestamp_utc('deduplicated.created_at') }} as created_at,
        {{ parse_timestamp_utc('deduplicated.updated_at') }} as updated_at,
        {{ nonempty_list('deduplicated.identifiers') }} as identifiers,
        deduplicated.data_issues,
        deduplicated.versions_in_bronze
    from named as deduplicated
    left join countries on {{ country_name_key('deduplicated.country') }} = countries.country_name
)
{%- endmacro %}
