{#- One row per acquisition cohort (month of first order) and month since acquisition: how many
    of the cohort ordered in that month. Month 0 is the cohort month itself (retention 1.0). -#}

with

period as (
    select * from {{ ref('int_reporting_period') }}
),

acquisition as (
    select * from {{ ref('int_customer_acquisition') }}
    where first_order_at < (select period.as_of_at from period)
),

orders as (
    select * from {{ ref('int_revenue_orders') }}
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_customers
    from acquisition
    group by cohort_month
),

activity as (
    select
        acquisition.cohort_month,
        {{ date_diff_in('month', 'acquisition.cohort_month', 'orders.ordered_at') }}
            as months_since_acquisition,
        count(distinct orders.customer_id) as active_customers,
        sum(orders.revenue_reporting) as revenue
    from acquisition
    inner join orders on acquisition.customer_id = orders.customer_id
    group by all
),

-- Every cohort gets a row for every month up to the as-of date, zero when nobody came back.
grid as (
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        months.months_since_acquisition
    from cohort_sizes
    cross join period
    cross join
        {{ series_table('months', 'months_since_acquisition', '0',
                        date_diff_in('month', 'cohort_sizes.cohort_month', 'period.as_of_date')) }}
),

final as (
    select
        grid.cohort_month,
        grid.months_since_acquisition,
        grid.cohort_customers,
        coalesce(activity.active_customers, 0) as active_customers,
        round(coalesce(activity.active_customers, 0) / grid.cohort_customers, 4) as retention_rate,
        coalesce(activity.revenue, 0) as revenue
    from grid
    left join activity
        on
            grid.cohort_month = activity.cohort_month
            and grid.months_since_acquisition = activity.months_since_acquisition
)

select * from final
