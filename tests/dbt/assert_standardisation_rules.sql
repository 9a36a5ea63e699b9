-- The standardisation macros on known inputs: returns every rule whose output is not the expected one.
with

-- DuckDB names the values columns col0, col1, col2.
cases as (
    select
        standardisation_cases.col0 as standardisation_rule,
        standardisation_cases.col1 as actual,
        standardisation_cases.col2 as expected
    from (
        values
        ('proper case', {{ proper_case("'o''BRIEN-smith jean'") }}, 'O''Brien-Smith Jean'),
        ('email key: gmail dots, plus-tag', {{ email_match_key("'j.o.hn+shop@googlemail.com'") }}, 'john@gmail.com'),
        ('email key: plus-tag elsewhere', {{ email_match_key("'john.s+x@hotmail.co.uk'") }}, 'john.s@hotmail.co.uk'),
        ('email key: invalid', coalesce({{ email_match_key("'john.smith@'") }}, 'null'), 'null'),
        ('name: title and suffix', {{ strip_name("'  Mr.  John   Smith Jr. '") }}, 'John Smith'),
        ('birth date: US', cast({{ parse_birth_date("'07/28/1984'") }} as varchar), '1984-07-28'),
        ('birth date: UK when not US', cast({{ parse_birth_date("'28/07/1984'") }} as varchar), '1984-07-28'),
        ('birth date: ambiguous is US', cast({{ parse_birth_date("'05/07/1984'") }} as varchar), '1984-05-07'),
        ('birth date: German', cast({{ parse_birth_date("'02.08.1990'") }} as varchar), '1990-08-02'),
        ('birth date: compact', cast({{ parse_birth_date("'19620416'") }} as varchar), '1962-04-16'),
        ('birth date: month name', cast({{ parse_birth_date("'16 Apr 1962'") }} as varchar), '1962-04-16'),
        ('birth date: year first, slashes', cast({{ parse_birth_date("'1999/08/09'") }} as varchar), '1999-08-09'),
        ('birth date: no such day', coalesce(cast({{ parse_birth_date("'19458030'") }} as varchar), 'null'), 'null'),
        ('timestamp: UK', cast({{ parse_timestamp_utc("'20/01/2024 07:29'") }} as varchar), '2024-01-20 07:29:00'),
        (
            'timestamp: offset to UTC', cast({{ parse_timestamp_utc("'2024-03-05 11:22:33+01:00'") }} as varchar),
            '2024-03-05 10:22:33'
        ),
        ('postcode: UK spacing', {{ clean_postcode("'ab154fh'", "'GB'") }}, 'AB15 4FH'),
        ('postcode: Eircode spacing', {{ clean_postcode("'d01ywdr'", "'IE'") }}, 'D01 YWDR'),
        ('phone digits', {{ phone_digits("'0044 20-7946 (0958)'") }}, '+442079460958')
    ) as standardisation_cases
)

select *
from cases
where actual is distinct from expected
