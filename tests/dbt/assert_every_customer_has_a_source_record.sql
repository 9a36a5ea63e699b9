-- No customer without a source record: every dim_customers row is in the identity map.
select dim_customers.customer_id
from {{ ref('dim_customers') }} as dim_customers
left join {{ ref('customer_identity_map') }} as identity_map
    on dim_customers.customer_id = identity_map.customer_id
where identity_map.customer_id is null
