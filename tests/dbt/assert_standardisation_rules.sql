-- The standardisation macros on known inputs: returns every rule whose output is not the expected one.
with

-- One select per case, not a VALUES list: Spark evaluates no lambda (proper_case) in one. An
-- apostrophe is chr(39): Spark reads literals as written, with no '' for a quote.
cases as (
    select
        'proper case' as standardisation_rule,
        {{ proper_case("'o' || chr(39) || 'BRIEN-smith jean'") }} as actual,
        'O' || chr(39) || 'Brien-Smith Jean' as expected
    union all
    select
        'email key: gmail dots, plus-tag' as standardisation_rule,
        {{ email_match_key("'j.o.hn+shop@googlemail.com'") }} as actual,
        'john@gmail.com' as expected
    union all
    select
        'email key: plus-tag elsewhere' as standardisation_rule,
        {{ email_match_key("'john.s+x@hotmail.co.uk'") }} as actual,
        'john.s@hotmail.co.uk' as expected
    union all
    select
        'email key: invalid' as standardisation_rule,
        coalesce({{ email_match_key("'john.smith@'") }}, 'null') as actual,
        'null' as expected
    union all
    select
        'name: title and suffix' as standardisation_rule,
        {{ strip_name("'  Mr.  John   Smith Jr. '") }} as actual,
        'John Smith' as expected
    union all
    select
        'birth date: US' as standardisation_rule,
        cast({{ parse_birth_date("'07/28/1984'") }} as string) as actual,
        '1984-07-28' as expected
    union all
    select
        'birth date: UK when not US' as standardisation_rule,
        cast({{ parse_birth_date("'28/07/1984'") }} as string) as actual,
        '1984-07-28' as expected
    union all
    select
        'birth date: ambiguous is US' as standardisation_rule,
        cast({{ parse_birth_date("'05/07/1984'") }} as string) as actual,
        '1984-05-07' as expected
    union all
    select
        'birth date: German' as standardisation_rule,
        cast({{ parse_birth_date("'02.08.1990'") }} as string) as actual,
        '1990-08-02' as expected
    union all
    select
        'birth date: compact' as standardisation_rule,
        cast({{ parse_birth_date("'19620416'") }} as string) as actual,
        '1962-04-16' as expected
    union all
    select
        'birth date: month name' as standardisation_rule,
        cast({{ parse_birth_date("'16 Apr 1962'") }} as string) as actual,
        '1962-04-16' as expected
    union all
    select
        'birth date: year first, slashes' as standardisation_rule,
        cast({{ parse_birth_date("'1999/08/09'") }} as string) as actual,
        '1999-08-09' as expected
    union all
    select
        'birth date: no such day' as standardisation_rule,
        coalesce(cast({{ parse_birth_date("'19458030'") }} as string), 'null') as actual,
        'null' as expected
    union all
    select
        'timestamp: UK' as standardisation_rule,
        cast({{ parse_timestamp_utc("'20/01/2024 07:29'") }} as string) as actual,
        '2024-01-20 07:29:00' as expected
    union all
    select
        'timestamp: offset to UTC' as standardisation_rule,
        cast({{ parse_timestamp_utc("'2024-03-05 11:22:33+01:00'") }} as string) as actual,
        '2024-03-05 10:22:33' as expected
    union all
    select
        'postcode: UK spacing' as standardisation_rule,
        {{ clean_postcode("'ab154fh'", "'GB'") }} as actual,
        'AB15 4FH' as expected
    union all
    select
        'postcode: Eircode spacing' as standardisation_rule,
        {{ clean_postcode("'d01ywdr'", "'IE'") }} as actual,
        'D01 YWDR' as expected
    union all
    select
        'phone digits' as standardisation_rule,
        {{ phone_digits("'0044 20-7946 (0958)'") }} as actual,
        '+442079460958' as expected
)

select *
from cases
where actual is distinct from expected
