{% call when_ingested('payments') -%}
with

payments as (
    select * from {{ source('payments', 'payments') }}
),

countries as (
    select * from {{ ref('country_codes') }}
),

-- Exports repeat rows (exact duplicates, re-sent days): one row per payment id.
deduplicated as (
    select *
    from payments
    {{ latest_exported_version('id') }}
),

standardised as (
    select
        deduplicated.id as payment_id,
        deduplicated.created as paid_at,
        deduplicated.amount,
        upper(deduplicated.currency) as currency,
        deduplicated.status as payment_status,
        deduplicated.failure_code,
        deduplicated.payment_method_type as payment_method,
        deduplicated.card_brand,
        deduplicated.card_last4,
        deduplicated.order_reference as order_number,
        -- The billing details are a person record: standardised like every other.
        deduplicated.billing_name as billing_name_raw,
        {{ person_name_and_contact(full_name='deduplicated.billing_name', email='deduplicated.billing_email',
                                   phone='deduplicated.billing_phone') }},
        {{ clean_postcode('deduplicated.billing_postcode', country_code('deduplicated.billing_country', 'countries')) }}
            as postcode,
        {{ country_code('deduplicated.billing_country', 'countries') }} as country_code,
        deduplicated.amount < 0 as is_negative_amount,
        deduplicated._source_file as source_file
    from deduplicated
    left join countries on {{ country_name_key('deduplicated.billing_country') }} = countries.country_name
),

finished as (
    {{ finish_person_record('standardised') }}
)

select * from finished
{% endcall %}
