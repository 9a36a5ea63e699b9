{#- One row: the date the gold layer reports as of. The var as_of_date when set, else the day of
    the latest order, so a demo or a backfill reports on its own period rather than on today;
    today when the configuration has no orders. -#}

with

orders as (
    select * from {{ ref('stg_activity__orders') }}
),

latest as (
    {% if var('as_of_date') %}
        select cast('{{ var("as_of_date") }}' as date) as as_of_date
    {% else %}
    select coalesce(cast(max(ordered_at) as date), current_date) as as_of_date
    from orders
    {% endif %}
),

period as (
    select
        as_of_date,
        -- The end of the as-of day: everything before it is history.
        cast(as_of_date + interval 1 day as timestamp) as as_of_at,
        cast(as_of_date - interval {{ var('clv_holdout_days') }} day + interval 1 day as timestamp)
            as holdout_starts_at
    from latest
)

select * from period
