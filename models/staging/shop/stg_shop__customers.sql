{% call when_ingested('shop') -%}
with

customers as (
    select * from {{ source('shop', 'customers') }}
),

countries as (
    select * from {{ ref('country_codes') }}
),

standardised as (
    select
        customers.customer_id,
        {{ name_title('customers.first_name') }} as title,
        {{ person_name_and_contact(first_name='customers.first_name', last_name='customers.last_name',
                                   email='customers.email', phone='customers.phone') }},
        {{ parse_birth_date('customers.date_of_birth') }} as date_of_birth,
        {{ clean_text('customers.address_line1') }} as address_line1,
        {{ clean_text('customers.address_line2') }} as address_line2,
        {{ clean_text('customers.city') }} as city,
        {{ clean_text('customers.state') }} as state,
        {{ clean_postcode('customers.postcode', country_code('customers.country', 'countries')) }} as postcode,
        {{ country_code('customers.country', 'countries') }} as country_code,
        customers.marketing_opt_in = 1 as has_marketing_opt_in,
        -- Internal test accounts (QA, load tests) are not customers.
        coalesce(
            lower(customers.email) like '%@{{ var("internal_email_domain") }}'
            or lower(trim(customers.first_name)) = 'test',
            false
        ) as is_test_account,
        cast(customers.created_at as timestamp) as created_at,
        cast(customers.updated_at as timestamp) as updated_at
    from customers
    left join countries on {{ country_name_key('customers.country') }} = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
{% endcall %}
