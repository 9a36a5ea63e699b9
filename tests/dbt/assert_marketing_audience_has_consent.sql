-- The marketing audience holds only customers who consented: each row's customer is contactable
-- in gold_cust_360 and has a current subscription. Returns the audience rows that fail.
select
    audience.customer_id,
    customers.subscription_status
from {{ ref('marketing_audience') }} as audience
left join {{ ref('gold_cust_360') }} as customers on audience.customer_id = customers.customer_id
where
    not coalesce(customers.is_contactable, false)
    or coalesce(customers.subscription_status, '') <> 'subscribed'
