{#- One row per web/app session with the customer it belongs to. A session with a login belongs to
    the customer of that login. A session without one belongs to the customer of its device
    (anonymous id) when every login ever seen on that device resolves to one customer: history
    before the first login is attributed too. Devices shared by several customers leave their
    anonymous sessions unattributed rather than guess (see DECISIONLOG.md). What happened in each
    session comes from int_web_sessions (incremental); the attribution is redone on every build,
    since a merge of customers moves sessions. -#}

with

sessions as (
    select * from {{ ref('int_web_sessions') }}
),

accounts as (
    select
        source_system as customer_system,
        source_record_id as customer_record_id,
        customer_id
    from {{ ref('customer_identity_map') }}
),

sessions_with_login as (
    select
        sessions.*,
        accounts.customer_id as login_customer_id
    from sessions
    left join accounts
        on
            sessions.customer_system = accounts.customer_system
            and sessions.customer_record_id = accounts.customer_record_id
),

device_customers as (
    select
        anonymous_id,
        min(login_customer_id) as customer_id
    from sessions_with_login
    where login_customer_id is not null
    group by anonymous_id
    having count(distinct login_customer_id) = 1
),

stitched as (
    select
        sessions_with_login.session_id,
        sessions_with_login.anonymous_id,
        coalesce(sessions_with_login.login_customer_id, device_customers.customer_id) as customer_id,
        case
            when sessions_with_login.login_customer_id is not null then 'login_in_session'
            when device_customers.customer_id is not null then 'device_history'
        end as stitch_method,
        sessions_with_login.customer_system,
        sessions_with_login.customer_record_id,
        sessions_with_login.started_at,
        sessions_with_login.ended_at,
        {{ date_diff_in('second', 'sessions_with_login.started_at', 'sessions_with_login.ended_at') }}
            as duration_seconds,
        sessions_with_login.platform,
        sessions_with_login.device_type,
        sessions_with_login.landing_utm_source,
        sessions_with_login.landing_campaign_id,
        sessions_with_login.event_count,
        sessions_with_login.page_views,
        sessions_with_login.product_views,
        sessions_with_login.add_to_cart_events,
        sessions_with_login.checkouts_started,
        sessions_with_login.orders_completed,
        sessions_with_login.logins,
        -- Something went into the cart but no order was completed in the session.
        sessions_with_login.add_to_cart_events > 0 and sessions_with_login.orders_completed = 0 as is_cart_abandoned
    from sessions_with_login
    left join device_customers on sessions_with_login.anonymous_id = device_customers.anonymous_id
)

select * from stitched
