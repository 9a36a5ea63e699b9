-- The marketing audience export: customers who consented (is_contactable), never anyone else.
-- Erased people are not in it because they are in no layer at all (make erase).
with

customers as (
    select * from {{ ref('gold_cust_360') }}
),

final as (
    select
        customer_id,
        first_name,
        last_name,
        email,
        country_code,
        region,
        rfm_segment,
        value_tier,
        behavioural_segment,
        churn_risk,
        predicted_clv,
        last_order_at
    from customers
    where is_contactable
)

select * from final
