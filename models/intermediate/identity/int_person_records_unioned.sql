{#- Every person record of every configured system in one shape: the input of identity
    resolution. A payment's billing details and a ticket's requester are person records too.
    shop_activity_keys ties records together through the shop's own records of who did what:
    'account:<id>' for a shop account itself and for the account that placed the order a payment
    paid or a ticket is about; 'order:<number>' for the order a payment paid or a ticket is about
    (an order the shop does not know still ties its payment to its ticket). A subscriber's
    e-mail clicks add the accounts they signed in to (int_person_activity_keys). -#}
{%- set systems = configured_systems() -%}
{#- A payment's or ticket's keys: its order and, when the shop is configured, the account that placed it. -#}
{%- if 'shop' in systems -%}
{%- set order_keys = "case when order_number is not null then "
    ~ text_list_without_nulls(["'order:' || order_number", "'account:' || order_shop_customer_id"]) ~ " end" -%}
{%- else -%}
{%- set order_keys = "case when order_number is not null then "
    ~ text_list_without_nulls(["'order:' || order_number"]) ~ " end" -%}
{%- endif -%}
{#- Systems read from a CTE below (with their shop keys attached) instead of their staging model. -#}
{%- set relations = {} -%}
{%- if 'shop' in systems -%}
{%- do relations.update({'payments': 'payments_with_order_accounts', 'support': 'support_with_order_accounts'}) -%}
{%- endif -%}
{%- set person_sources = [
    ('crm_a', 'stg_crm_a__contacts', 'contact_id', 'date_of_birth', 'address_line1', 'city', 'state', 'postcode',
     'false', 'created_at', 'updated_at', 'null'),
    ('crm_b', 'stg_crm_b__contacts', 'contact_id', 'date_of_birth', 'address_line1', 'city', 'state', 'postcode',
     'false', 'created_at', 'updated_at', 'null'),
    ('shop', 'stg_shop__customers', 'customer_id', 'date_of_birth', 'address_line1', 'city', 'state', 'postcode',
     'is_test_account', 'created_at', 'updated_at', text_list_without_nulls(["'account:' || customer_id"])),
    ('payments', 'stg_payments__payments', 'payment_id', 'null', 'null', 'null', 'null', 'postcode', 'false',
     'paid_at', 'paid_at', order_keys),
    ('support', 'stg_support__tickets', 'ticket_id', 'null', 'null', 'null', 'null', 'null', 'false', 'created_at',
     'updated_at', order_keys),
    ('email', 'stg_email__subscribers', 'subscriber_id', 'null', 'null', 'null', 'null', 'null', 'false',
     'opted_in_at', 'updated_at', 'null'),
] -%}
{#- (system, staging model, id column, then the expressions for date of birth, street, city,
    state, postcode, test account, when the record was created and last updated, and its shop
    activity keys; 'null' where the system does not hold it) -#}

with

{% if 'shop' in systems %}
-- Who placed each order: a payment or a ticket about it is tied to that account too.
order_accounts as (
    select distinct
        order_number,
        shop_customer_id as order_shop_customer_id
    from {{ ref('stg_shop__orders') }}
    where order_number is not null
),

{% for system, model in [('payments', 'stg_payments__payments'), ('support', 'stg_support__tickets')]
   if system in systems %}
{{ system }}_with_order_accounts as (
    select
        {{ system }}.*,
        order_accounts.order_shop_customer_id
    from {{ ref(model) }} as {{ system }}
    left join order_accounts on {{ system }}.order_number = order_accounts.order_number
),

{% endfor %}
{% endif %}
{% for system, model, id_column, dob, street, city, state, postcode, is_test, created, updated, shop_keys
   in person_sources if system in systems %}
{{ system }}_records as (
    select
        '{{ system }}' as source_system,
        cast({{ id_column }} as string) as source_record_id,
        first_name,
        last_name,
        email,
        email_match_key,
        phone_e164,
        cast({{ dob }} as date) as date_of_birth,
        cast({{ street }} as string) as address_line1,
        cast({{ city }} as string) as city,
        cast({{ state }} as string) as state,
        cast({{ postcode }} as string) as postcode,
        country_code,
        cast(null as {{ engine_type('varchar[]') }}) as identifiers,
        cast({{ created }} as timestamp) as created_at,
        cast({{ updated }} as timestamp) as updated_at,
        cast({{ is_test }} as boolean) as is_test_account,
        cast({{ shop_keys }} as {{ engine_type('varchar[]') }}) as shop_activity_keys
    from {{ relations.get(system, ref(model)) }}
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
        state,
        postcode,
        country_code,
        identifiers,
        created_at,
        updated_at,
        false as is_test_account,
        cast(null as {{ engine_type('varchar[]') }}) as shop_activity_keys
    from {{ ref('stg_person_files__person_records') }}
),

unioned as (
    {% for system in person_sources | map(attribute=0) if system in systems %}
    select * from {{ system }}_records
    union all
    {% endfor %}
    select * from person_files_records
),

keyed as (
    select
        source_system || ':' || source_record_id as person_record_id,
        *,
        -- Two shop accounts never share a key (each holds its own id): not compared on them.
        source_system = 'shop' as is_shop_account
    from unioned
)

select * from keyed
