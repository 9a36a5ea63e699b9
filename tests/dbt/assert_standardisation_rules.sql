-- The standardisation macros on known inputs: returns every rule whose output is not the expected one.
{#- (rule, the macro's output as SQL, the expected value as SQL). An apostrophe is chr(39): Spark
    reads literals as written, with no '' for a quote. -#}
{%- set cases = [
    ('proper case', proper_case("'o' || chr(39) || 'BRIEN-smith jean'"),
     "'O' || chr(39) || 'Brien-Smith Jean'"),
    ('email key: gmail dots, plus-tag', email_match_key("'j.o.hn+shop@googlemail.com'"),
     "'john@gmail.com'"),
    ('email key: plus-tag elsewhere', email_match_key("'john.s+x@hotmail.co.uk'"),
     "'john.s@hotmail.co.uk'"),
    ('email key: invalid', "coalesce(" ~ email_match_key("'john.smith@'") ~ ", 'null')",
     "'null'"),
    ('name: title and suffix', strip_name("'  Mr.  John   Smith Jr. '"),
     "'John Smith'"),
    ('birth date: US', "cast(" ~ parse_birth_date("'07/28/1984'") ~ " as string)",
     "'1984-07-28'"),
    ('birth date: UK when not US', "cast(" ~ parse_birth_date("'28/07/1984'") ~ " as string)",
     "'1984-07-28'"),
    ('birth date: ambiguous is US', "cast(" ~ parse_birth_date("'05/07/1984'") ~ " as string)",
     "'1984-05-07'"),
    ('birth date: German', "cast(" ~ parse_birth_date("'02.08.1990'") ~ " as string)",
     "'1990-08-02'"),
    ('birth date: compact', "cast(" ~ parse_birth_date("'19620416'") ~ " as string)",
     "'1962-04-16'"),
    ('birth date: month name', "cast(" ~ parse_birth_date("'16 Apr 1962'") ~ " as string)",
     "'1962-04-16'"),
    ('birth date: year first, slashes', "cast(" ~ parse_birth_date("'1999/08/09'") ~ " as string)",
     "'1999-08-09'"),
    ('birth date: no such day', "coalesce(cast(" ~ parse_birth_date("'19458030'") ~ " as string), 'null')",
     "'null'"),
    ('timestamp: UK', "cast(" ~ parse_timestamp_utc("'20/01/2024 07:29'") ~ " as string)",
     "'2024-01-20 07:29:00'"),
    ('timestamp: offset to UTC', "cast(" ~ parse_timestamp_utc("'2024-03-05 11:22:33+01:00'") ~ " as string)",
     "'2024-03-05 10:22:33'"),
    ('postcode: UK spacing', clean_postcode("'ab154fh'", "'GB'"),
     "'AB15 4FH'"),
    ('postcode: Eircode spacing', clean_postcode("'d01ywdr'", "'IE'"),
     "'D01 YWDR'"),
    ('phone digits', phone_digits("'0044 20-7946 (0958)'"),
     "'+442079460958'")
] %}

with

-- One select per case, not a VALUES list: Spark evaluates no lambda (proper_case) in one.
cases as (
    {%- for rule, actual, expected in cases %}
    select
        '{{ rule }}' as standardisation_rule,
        {{ actual }} as actual,
        {{ expected }} as expected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select *
from cases
where actual is distinct from expected
