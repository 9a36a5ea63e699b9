{#- One row per build and (from customer, to customer) pair whose records moved: the change log of
    merges and splits between runs, read from the customer_identity_history snapshot.
    merge: the from-customer has no records left (all went into the to-customer);
    split: the from-customer keeps some records and the moved ones now belong to another.
    New records that simply join or found a customer are not changes of identity. -#}

with

history as (
    select * from {{ ref('customer_identity_history') }}
),

moves as (
    select
        later.dbt_valid_from as changed_at,
        earlier.customer_id as from_customer_id,
        later.customer_id as to_customer_id,
        later.person_record_id
    from history as later
    inner join history as earlier
        on later.person_record_id = earlier.person_record_id and later.dbt_valid_from = earlier.dbt_valid_to
),

-- Records each customer still held right after the change.
holdings as (
    select
        moves.changed_at,
        moves.from_customer_id,
        count(history.person_record_id) as records_left
    from (select distinct
        changed_at,
        from_customer_id
    from moves) as moves
    left join history
        on
            moves.from_customer_id = history.customer_id
            and moves.changed_at >= history.dbt_valid_from
            and (history.dbt_valid_to is null or moves.changed_at < history.dbt_valid_to)
    group by all
),

changes as (
    select
        moves.changed_at,
        case when holdings.records_left = 0 then 'merge' else 'split' end as change_type,
        moves.from_customer_id,
        moves.to_customer_id,
        count(*) as records_moved,
        any_value(holdings.records_left) as from_customer_records_left
    from moves
    inner join holdings on moves.changed_at = holdings.changed_at and moves.from_customer_id = holdings.from_customer_id
    group by all
)

select * from changes
