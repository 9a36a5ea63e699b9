{#- One row per source person record with the customer it belongs to. -#}

with

match_keys as (
    select * from {{ ref('int_person_match_keys') }}
),

records as (
    select * from {{ ref('int_person_records_unioned') }}
),

clusters as (
    select * from {{ ref('int_profile_clusters') }}
),

clustered as (
    select
        match_keys.person_record_id,
        match_keys.source_system,
        match_keys.source_record_id,
        match_keys.profile_id,
        match_keys.is_test_account,
        records.created_at,
        clusters.cluster_id,
        clusters.cluster_profile_count,
        clusters.best_link_probability
    from match_keys
    inner join records on match_keys.person_record_id = records.person_record_id
    inner join clusters on match_keys.profile_id = clusters.profile_id
),

-- The id is minted from the cluster's oldest record (created first, then by id): records that
-- arrive later never displace it, so a customer keeps its id across runs and new batches.
anchored as (
    select
        *,
        first_value(person_record_id) over (
            partition by cluster_id order by created_at asc nulls last, person_record_id asc
        ) as anchor_record_id
    from clustered
),

mapped as (
    select
        source_system,
        source_record_id,
        person_record_id,
        'cus_' || left(md5(anchor_record_id), 16) as customer_id,
        -- Identical profiles and one-profile customers are certain; otherwise the strongest link used.
        case when cluster_profile_count = 1 then 1.0 else coalesce(best_link_probability, 1.0) end
            as match_confidence,
        profile_id,
        is_test_account
    from anchored
)

select * from mapped
