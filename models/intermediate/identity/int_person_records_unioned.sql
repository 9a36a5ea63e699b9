{#- Every person record of every configured system in one shape: the input of identity
    resolution. A payment's billing details and a ticket's requester are person records too.
    order_numbers links records through the shop: the orders a shop account placed, the order a
    payment paid, the order a ticket is about. -#}
{%- set systems = var('source_systems', ['crm_a', 'crm_b', 'shop', 'payments', 'support', 'email']) -%}
{%- set person_sources = [
    ('crm_a', 'stg_crm_a__contacts', 'contact_id', 'date_of_birth', 'address_line1', 'city', 'postcode',
     'false', 'created_at', 'updated_at', 'null'),
    ('crm_b', 'stg_crm_b__contacts', 'contact_id', 'date_of_birth', 'address_line1', 'city', 'postcode',
     'false', 'created_at', 'updated_at', 'null'),
    ('shop', 'stg_shop__customers', 'customer_id', 'date_of_birth', 'address_line1', 'city', 'postcode',
     'is_test_account', 'created_at', 'updated_at', 'order_numbers'),
    ('payments', 'stg_payments__payments', 'payment_id', 'null', 'null', 'null', 'postcode', 'false', 'paid_at',
     'paid_at', 'case when order_number is not null then [order_number] end'),
    ('support', 'stg_support__tickets', 'ticket_id', 'null', 'null', 'null', 'null', 'false', 'created_at',
     'updated_at', 'case when order_number is not null then [order_number] end'),
    ('email', 'stg_email__subscribers', 'subscriber_id', 'null', 'null', 'null', 'null', 'false', 'opted_in_at',
     'updated_at', 'null'),
] -%}
{#- (system, staging model, id column, then the expressions for date of birth, street, city,
    postcode, test account, when the record was created and last updated, and its order numbers;
    'null' where the system does not hold it) -#}

with

{% if 'shop' in systems %}
-- The orders each shop account placed.
shop_orders as (
    select
        shop_customer_id,
        list(distinct order_number) as order_numbers
    from {{ ref('stg_shop__orders') }}
    where order_number is not null
    group by shop_customer_id
),

shop_accounts as (
    select
        shop_customers.*,
        shop_orders.order_numbers
    from {{ ref('stg_shop__customers') }} as shop_customers
    left join shop_orders on shop_customers.customer_id = shop_orders.shop_customer_id
),

{% endif %}
{% for system, model, id_column, dob, street, city, postcode, is_test, created, updated, orders in person_sources
   if system in systems %}
{{ system }}_records as (
    select
        '{{ system }}' as source_system,
        cast({{ id_column }} as varchar) as source_record_id,
        first_name,
        last_name,
        email,
        email_match_key,
        phone_e164,
        cast({{ dob }} as date) as date_of_birth,
        cast({{ street }} as varchar) as address_line1,
        cast({{ city }} as varchar) as city,
        cast({{ postcode }} as varchar) as postcode,
        country_code,
        cast({{ created }} as timestamp) as created_at,
        cast({{ updated }} as timestamp) as updated_at,
        cast({{ is_test }} as boolean) as is_test_account,
        cast({{ orders }} as varchar[]) as order_numbers
    from {% if system == 'shop' %}shop_accounts{% else %}{{ ref(model) }}{% endif %}
),
{% endfor %}

person_files_records as (
    select
        source_system,
        source_record_id,
        first_name,
        last_name,
        email,
        email_match_key,
        phone_e164,
        date_of_birth,
        address_line1,
        city,
        postcode,
        country_code,
        created_at,
        updated_at,
        false as is_test_account,
        cast(null as varchar[]) as order_numbers
    from {{ ref('stg_person_files__person_records') }}
),

unioned as (
    {% for system, model, id_column, dob, street, city, postcode, is_test, created, updated, orders in person_sources
       if system in systems %}
    select * from {{ system }}_records
    union all
    {% endfor %}
    select * from person_files_records
),

keyed as (
    select
        source_system || ':' || source_record_id as person_record_id,
        *,
        -- A shop account's orders were placed by it; two accounts never share an order.
        source_system = 'shop' and order_numbers is not null as has_placed_orders
    from unioned
)

select * from keyed
