-- The country_codes seed on countries as people type them (names, endonyms, abbreviations, case
-- and spaces): returns every spelling that does not map to its ISO code. The staging unit tests
-- give their own few country rows, so this is where the seed itself is checked.
{%- set spellings = [
    (" United Kingdom ", "GB"), ("England", "GB"), ("UK", "GB"), ("France", "FR"),
    ("Deutschland", "DE"), ("germany", "DE"), ("u.s.a.", "US"), ("USA", "US"),
    ("United States", "US"), ("nl", "NL"), ("España", "ES"),
    ("Atlantis", none)
] %}

with

spellings as (
    {%- for written, expected in spellings %}
    select
        '{{ written }}' as written,
        {{ "'" ~ expected ~ "'" if expected else "cast(null as " ~ dbt.type_string() ~ ")" }} as expected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    spellings.written,
    spellings.expected,
    country_codes.country_code as actual
from spellings
left join {{ ref('country_codes') }} as country_codes
    on {{ country_name_key('spellings.written') }} = country_codes.country_name
where country_codes.country_code is distinct from spellings.expected
