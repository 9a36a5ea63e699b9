-- A profile is records alike in every field matching reads, the shop accounts they are tied to
-- included: a name-only ticket about an account's order and a namesake's name-only ticket about
-- nothing must not share one (the namesake would inherit the order). Returns each profile whose
-- records are tied to different accounts, or some to the shop and some not.
with

record_accounts as (
    select
        person_record_id,
        {%- set accounts = sorted_items(items_where('shop_activity_keys', "item like 'account:%'")) %}
        coalesce({{ joined_items(accounts, "','") }}, '(not tied to the shop)') as shop_accounts
    from {{ ref('int_person_records_unioned') }}
)

select
    match_keys.profile_id,
    {{ distinct_items(list_of('record_accounts.shop_accounts')) }} as shop_accounts
from {{ ref('int_person_match_keys') }} as match_keys
inner join record_accounts on match_keys.person_record_id = record_accounts.person_record_id
group by match_keys.profile_id
having count(distinct record_accounts.shop_accounts) > 1
