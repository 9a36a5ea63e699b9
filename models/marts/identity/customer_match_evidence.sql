{#- One row per scored pair of profiles that ended up in the same customer: why they were merged,
    field by field. Stored in customer order, so reading one customer's evidence skips the rest
    of the table (the dashboard's Customer 360 page), instead of scanning every candidate pair. -#}

with

pairs as (
    select * from {{ ref('int_candidate_pairs_scored') }}
),

profile_customers as (
    select distinct
        profile_id,
        customer_id
    from {{ ref('customer_identity_map') }}
),

evidence as (
    select
        customer_a.customer_id,
        pairs.profile_id_a,
        pairs.profile_id_b,
        pairs.match_probability,
        pairs.match_weight,
        pairs.first_name_weight,
        pairs.last_name_weight,
        pairs.email_weight,
        pairs.phone_weight,
        pairs.date_of_birth_weight,
        pairs.address_weight,
        pairs.shop_activity_weight,
        pairs.prior_weight
    from pairs
    inner join profile_customers as customer_a on pairs.profile_id_a = customer_a.profile_id
    inner join profile_customers as customer_b on pairs.profile_id_b = customer_b.profile_id
    where customer_a.customer_id = customer_b.customer_id
)

select * from evidence
order by customer_id asc, match_probability desc
