{#- E-mail subscribers tied to shop accounts through their own clicks: a campaign link clicked by a
    subscriber opens a web/app session that lands with that campaign's utm tag a few seconds
    later; when the session (or, without a login, the device it ran on) is signed in to one shop
    account, the subscriber and that account were at the same keyboard. The click and the session
    must pair one to one within the window, so two clicks on one campaign in the same seconds
    pair with nothing. Evidence for identity resolution, not a rule: it becomes a shop activity
    key of the subscriber's record (int_person_records_unioned). -#}

{{ config(enabled=email_click_links_enabled()) }}

with

clicks as (
    select
        event_id as click_event_id,
        subscriber_id,
        campaign_id,
        event_at as clicked_at
    from {{ ref('stg_email__events') }}
    where event_type = 'click' and subscriber_id is not null and campaign_id is not null
),

-- Every event of a session that landed from a campaign carries its utm_campaign.
campaign_sessions as (
    select
        session_id,
        any_value(campaign_id) as campaign_id,
        min(anonymous_id) as anonymous_id,
        {{ utc_timestamp('min(event_at)') }} as started_at,
        min(shop_customer_id) as login_shop_customer_id,
        count(distinct shop_customer_id) as login_accounts
    from {{ ref('stg_web__events') }}
    where campaign_id is not null
    group by session_id
),

click_sessions as (
    select
        clicks.subscriber_id,
        campaign_sessions.anonymous_id,
        campaign_sessions.login_shop_customer_id,
        campaign_sessions.login_accounts
    from clicks
    inner join campaign_sessions
        on
            clicks.campaign_id = campaign_sessions.campaign_id
            and clicks.clicked_at < campaign_sessions.started_at
            and clicks.clicked_at + interval {{ var('identity_click_session_seconds') }} second
            >= campaign_sessions.started_at
    qualify
        count(*) over (partition by clicks.click_event_id) = 1
        and count(*) over (partition by campaign_sessions.session_id) = 1
),

-- A device (anonymous id) that only ever signed in to one shop account is that account's. Only
-- the devices of click-through sessions without a login are looked up, not every device.
device_accounts as (
    select
        events.anonymous_id,
        min(events.shop_customer_id) as shop_customer_id
    from {{ ref('stg_web__events') }} as events
    where
        events.shop_customer_id is not null
        and events.anonymous_id in (
            select click_sessions.anonymous_id from click_sessions
            where click_sessions.login_accounts = 0
        )
    group by events.anonymous_id
    having count(distinct events.shop_customer_id) = 1
),

click_accounts as (
    select
        click_sessions.subscriber_id,
        case
            when click_sessions.login_accounts = 1 then click_sessions.login_shop_customer_id
            when click_sessions.login_accounts = 0 then device_accounts.shop_customer_id
        end as shop_customer_id
    from click_sessions
    left join device_accounts on click_sessions.anonymous_id = device_accounts.anonymous_id
),

linked as (
    select
        subscriber_id,
        shop_customer_id,
        count(*) as click_sessions
    from click_accounts
    where shop_customer_id is not null
    group by subscriber_id, shop_customer_id
)

select * from linked
