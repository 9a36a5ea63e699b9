{#- One row per customer (test accounts excluded): the golden profile, purchases, payments,
    support, web/app and e-mail engagement, value and churn risk, and segments, as of the
    reporting date (int_reporting_period). Counts are 0, not null, when a customer has no
    activity of a kind; dates and rates stay null when there is nothing to measure. -#}

with

customers as (
    select * from {{ ref('dim_customers') }}
    where not is_test_account
),

period as (
    select * from {{ ref('int_reporting_period') }}
),

purchases as (
    select * from {{ ref('int_customer_purchases') }}
),

payments as (
    select * from {{ ref('int_customer_payments') }}
),

support as (
    select * from {{ ref('int_customer_support') }}
),

web as (
    select * from {{ ref('int_customer_web') }}
),

email as (
    select * from {{ ref('int_customer_email') }}
),

clv as (
    select * from {{ ref('int_customer_clv') }}
),

segments as (
    select * from {{ ref('int_customer_segments') }}
),

final as (
    select
        -- profile
        customers.customer_id,
        customers.first_name,
        customers.last_name,
        customers.email,
        customers.phone_e164,
        customers.date_of_birth,
        customers.address_line1,
        customers.city,
        customers.postcode,
        customers.country_code,
        customers.source_systems,
        customers.source_record_count,
        customers.first_seen_at,
        case
            when customers.date_of_birth is null then null
            when {{ date_diff_in('year', 'customers.date_of_birth', 'period.as_of_date') }} < 25 then '18-24'
            when {{ date_diff_in('year', 'customers.date_of_birth', 'period.as_of_date') }} < 35 then '25-34'
            when {{ date_diff_in('year', 'customers.date_of_birth', 'period.as_of_date') }} < 45 then '35-44'
            when {{ date_diff_in('year', 'customers.date_of_birth', 'period.as_of_date') }} < 55 then '45-54'
            when {{ date_diff_in('year', 'customers.date_of_birth', 'period.as_of_date') }} < 65 then '55-64'
            else '65+'
        end as age_band,
        customers.country_code as region,
        -- purchases
        coalesce(purchases.order_count, 0) as order_count,
        coalesce(purchases.total_spend, 0) as total_spend,
        coalesce(purchases.net_spend, 0) as net_spend,
        purchases.average_order_value,
        purchases.first_order_at,
        purchases.last_order_at,
        purchases.days_between_orders,
        purchases.days_since_last_order,
        purchases.favourite_categories,
        coalesce(purchases.items_bought, 0) as items_bought,
        coalesce(purchases.cancelled_orders, 0) as cancelled_orders,
        coalesce(purchases.returned_orders, 0) as returned_orders,
        coalesce(purchases.refunded_amount, 0) as refunded_amount,
        case
            when purchases.app_orders > purchases.web_orders then 'app'
            when purchases.web_orders > 0 then 'web'
        end as preferred_order_channel,
        -- payments
        coalesce(payments.payment_attempts, 0) as payment_attempts,
        coalesce(payments.failed_payments, 0) as failed_payments,
        payments.payment_methods,
        payments.preferred_payment_method,
        -- support
        coalesce(support.tickets, 0) as support_tickets,
        coalesce(support.open_tickets, 0) as open_support_tickets,
        support.average_resolution_hours,
        support.average_csat,
        -- web and app
        coalesce(web.web_sessions, 0) as web_sessions,
        coalesce(web.app_sessions, 0) as app_sessions,
        web.last_seen_at,
        web.devices,
        coalesce(web.product_views, 0) as product_views,
        coalesce(web.abandoned_cart_sessions, 0) as abandoned_cart_sessions,
        web.cart_abandonment_rate,
        -- e-mail and SMS
        email.subscription_status,
        coalesce(email.is_unsubscribed, false) as is_unsubscribed,
        -- Consent is explicit: only a current subscription lets marketing write to the customer.
        coalesce(customers.email is not null and email.subscription_status = 'subscribed', false) as is_contactable,
        case
            when customers.email is null then 'no e-mail'
            when email.subscription_status is null then 'never subscribed'
            when email.subscription_status <> 'subscribed' then email.subscription_status
        end as contact_block_reason,
        coalesce(email.campaigns_sent, 0) as campaigns_sent,
        coalesce(email.campaigns_opened, 0) as campaigns_opened,
        coalesce(email.campaigns_clicked, 0) as campaigns_clicked,
        email.open_rate as email_open_rate,
        email.click_rate as email_click_rate,
        -- value and risk
        coalesce(purchases.net_spend, 0) as historical_clv,
        clv.predicted_clv,
        clv.expected_purchases as expected_purchases_next_horizon,
        clv.p_alive,
        clv.churn_risk,
        -- segments
        segments.recency_score,
        segments.frequency_score,
        segments.monetary_score,
        coalesce(segments.rfm_segment, 'No purchases') as rfm_segment,
        coalesce(segments.value_tier, 'Prospect') as value_tier,
        coalesce(
            segments.behavioural_segment,
            case when coalesce(web.cart_sessions, 0) > 0 then 'Browser, never bought' else 'Not yet a buyer' end
        ) as behavioural_segment,
        period.as_of_date
    from customers
    cross join period
    left join purchases on customers.customer_id = purchases.customer_id
    left join payments on customers.customer_id = payments.customer_id
    left join support on customers.customer_id = support.customer_id
    left join web on customers.customer_id = web.customer_id
    left join email on customers.customer_id = email.customer_id
    left join clv on customers.customer_id = clv.customer_id
    left join segments on customers.customer_id = segments.customer_id
)

select * from final
