{#- The optional evidence layer of identity resolution: what ties a person record to the shop's
    own records of who did what. One row per record tied to anything: a shop account, the orders a
    payment or ticket is about (int_person_records_unioned), and the accounts a subscriber's
    e-mail clicks signed in to (int_email_clicks_linked). Empty when the shop is not configured:
    the shop_activity comparison is then neutral for every pair. -#}

with

record_keys as (
    select
        person_record_id,
        shop_activity_keys,
        is_shop_account
    from {{ ref('int_person_records_unioned') }}
    where shop_activity_keys is not null
),

{% if email_click_links_enabled() %}
click_keys as (
    select
        'email:' || subscriber_id as person_record_id,  -- the subscriber's record (int_person_records_unioned)
        {{ sorted_items(list_of("'account:' || shop_customer_id")) }} as shop_activity_keys,
        false as is_shop_account
    from {{ ref('int_email_clicks_linked') }}
    group by subscriber_id
),
{% endif %}

activity_keys as (
    select
        person_record_id,
        {{ distinct_items('flatten(' ~ list_of('shop_activity_keys') ~ ')') }} as shop_activity_keys,
        bool_or(is_shop_account) as is_shop_account
    from (
        select * from record_keys
        {% if email_click_links_enabled() %}
        union all
        select * from click_keys
        {% endif %}
    )
    group by person_record_id
)

select * from activity_keys
