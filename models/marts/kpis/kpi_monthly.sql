{#- One row per calendar month up to the as-of date: the company's customer KPIs. Each formula
    is in the kpi_formulas docs block; test accounts are excluded throughout. -#}

with

period as (
    select * from {{ ref('int_reporting_period') }}
),

orders as (
    select * from {{ ref('int_revenue_orders') }}
),

acquisition as (
    select * from {{ ref('int_customer_acquisition') }}
),

spend as (
    select
        marketing_spend.spend_month,
        sum(
            cast(round(marketing_spend.spend_amount * fx_rates.rate_to_reporting, 2) as decimal(18, 2))
        ) as marketing_spend
    from {{ ref('stg_activity__marketing_spend') }} as marketing_spend
    left join {{ ref('fx_rates') }} as fx_rates on marketing_spend.currency = fx_rates.currency
    group by marketing_spend.spend_month
),

messages as (
    select * from {{ ref('int_email_messages') }}
),

sessions as (
    select * from {{ ref('fct_web_sessions') }}
),

months as (
    select cast(month_start as date) as month_start
    from period
    cross join
        {{ series_table('series', 'month_start',
                        "(select cast(date_trunc('month', min(ordered_at)) as date) from orders)",
                        "cast(date_trunc('month', as_of_date) as date)", 'interval 1 month') }}
),

-- A customer lapses (stops being active) kpi_active_window_days after an order not followed by
-- another within the window; lapses after the as-of date have not happened yet.
orders_with_next as (
    select
        customer_id,
        ordered_at,
        lead(ordered_at) over (partition by customer_id order by ordered_at, order_id) as next_ordered_at
    from orders
),

lapses as (
    select
        orders_with_next.customer_id,
        orders_with_next.ordered_at + interval {{ var('kpi_active_window_days') }} day as lapsed_at
    from orders_with_next
    cross join period
    where
        (
            orders_with_next.next_ordered_at is null
            or orders_with_next.next_ordered_at
            > orders_with_next.ordered_at + interval {{ var('kpi_active_window_days') }} day
        )
        and orders_with_next.ordered_at + interval {{ var('kpi_active_window_days') }} day < period.as_of_at
),

monthly_orders as (
    select
        cast(date_trunc('month', ordered_at) as date) as month_start,
        count(*) as orders,
        count(distinct customer_id) as active_customers,
        sum(revenue_reporting) as revenue,
        sum(refunded_amount_reporting) as refunds
    from orders
    group by all
),

monthly_new as (
    select
        acquisition.cohort_month as month_start,
        count(*) as new_customers,
        avg(acquisition.customer_value)
            as average_clv_of_new_customers
    from acquisition
    group by all
),

monthly_base as (
    -- Customers active at the start of the month: an order within the window before it.
    select
        months.month_start,
        count(distinct orders.customer_id) as active_base_at_start
    from months
    inner join orders
        on
            months.month_start > orders.ordered_at
            and orders.ordered_at >= months.month_start - interval {{ var('kpi_active_window_days') }} day
    group by all
),

monthly_lapses as (
    select
        cast(date_trunc('month', lapsed_at) as date) as month_start,
        count(*) as lapsed_customers
    from lapses
    group by all
),

-- Messages count in the month they were sent: a second open of the same e-mail is not
-- engagement, and an open early next month still counts for its send.
monthly_email as (
    select
        cast(date_trunc('month', first_event_at) as date) as month_start,
        count(*) filter (where was_delivered) as emails_delivered,
        count(*) filter (where was_opened) as email_opens,
        count(*) filter (where was_clicked) as email_clicks
    from messages
    group by all
),

monthly_web as (
    select
        cast(date_trunc('month', started_at) as date) as month_start,
        count(*) as web_sessions,
        count(distinct customer_id) as web_active_customers
    from sessions
    group by all
),

final as (
    select
        months.month_start,
        coalesce(monthly_orders.active_customers, 0) as active_customers,
        coalesce(monthly_new.new_customers, 0) as new_customers,
        coalesce(monthly_orders.active_customers, 0) - coalesce(monthly_new.new_customers, 0) as returning_customers,
        coalesce(monthly_orders.orders, 0) as orders,
        coalesce(monthly_orders.revenue, 0) as revenue,
        coalesce(monthly_orders.refunds, 0) as refunds,
        round(monthly_orders.revenue / nullif(monthly_orders.active_customers, 0), 2) as arpu,
        round(monthly_orders.revenue / nullif(monthly_orders.orders, 0), 2) as average_order_value,
        coalesce(monthly_base.active_base_at_start, 0) as active_base_at_start,
        coalesce(monthly_lapses.lapsed_customers, 0) as lapsed_customers,
        round(
            coalesce(monthly_lapses.lapsed_customers, 0) / nullif(monthly_base.active_base_at_start, 0), 4
        ) as churn_rate,
        cast(round(coalesce(spend.marketing_spend, 0), 2) as decimal(18, 2)) as marketing_spend,
        round(spend.marketing_spend / nullif(monthly_new.new_customers, 0), 2) as cac,
        round(monthly_new.average_clv_of_new_customers, 2) as average_clv_of_new_customers,
        round(
            monthly_new.average_clv_of_new_customers
            / nullif(spend.marketing_spend / nullif(monthly_new.new_customers, 0), 0),
            2
        ) as clv_to_cac,
        round(monthly_email.email_opens / nullif(monthly_email.emails_delivered, 0), 4) as email_open_rate,
        round(monthly_email.email_clicks / nullif(monthly_email.emails_delivered, 0), 4) as email_click_rate,
        coalesce(monthly_web.web_sessions, 0) as web_sessions,
        coalesce(monthly_web.web_active_customers, 0) as web_active_customers
    from months
    left join monthly_orders on months.month_start = monthly_orders.month_start
    left join monthly_new on months.month_start = monthly_new.month_start
    left join monthly_base on months.month_start = monthly_base.month_start
    left join monthly_lapses on months.month_start = monthly_lapses.month_start
    left join spend on months.month_start = spend.spend_month
    left join monthly_email on months.month_start = monthly_email.month_start
    left join monthly_web on months.month_start = monthly_web.month_start
)

select * from final
