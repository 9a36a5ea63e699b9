{#- One row per order from every order source, with the resolved customer and amounts in the
    reporting currency.
    Revenue is subtotal + shipping (what the order lines add up to), not the recorded total,
    which some exports corrupt (0.01, 9999.99, negative): those orders are flagged, not dropped. -#}

with

orders as (
    select * from {{ ref('stg_activity__orders') }}
),

order_lines as (
    select * from {{ ref('stg_activity__order_lines') }}
),

-- whoever placed the order: a shop account, a customer file's record, the order's own buyer
buyers as (
    select
        source_system as customer_system,
        source_record_id as customer_record_id,
        customer_id,
        is_test_account
    from {{ ref('customer_identity_map') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

refunds as (
    select * from {{ ref('fct_refunds') }}
),

line_totals as (
    select
        source_system,
        order_id,
        count(*) as line_count,
        sum(quantity) as item_count
    from order_lines
    group by source_system, order_id
),

refund_totals as (
    select
        order_system,
        order_id,
        sum(refund_amount_reporting) as refunded_amount_reporting
    from refunds
    where refund_status = 'succeeded'
    group by order_system, order_id
),

enriched as (
    select
        orders.order_id,
        orders.source_system,
        orders.order_number,
        buyers.customer_id,
        orders.customer_record_id,
        orders.ordered_at,
        orders.order_status,
        orders.channel,
        orders.campaign_id,
        orders.currency,
        orders.subtotal + orders.shipping as order_amount,
        orders.total_amount as recorded_total_amount,
        abs(orders.total_amount - (orders.subtotal + orders.shipping)) > 0.01 as has_inconsistent_total,
        cast(round((orders.subtotal + orders.shipping) * fx_rates.rate_to_reporting, 2) as decimal(18, 2))
            as order_amount_reporting,
        orders.order_status != 'cancelled' as is_revenue_order,
        coalesce(line_totals.line_count, 0) as line_count,
        coalesce(line_totals.item_count, 0) as item_count,
        coalesce(refund_totals.refunded_amount_reporting, 0) as refunded_amount_reporting,
        coalesce(buyers.is_test_account, false) as is_test_account
    from orders
    left join buyers
        on orders.customer_system = buyers.customer_system and orders.customer_record_id = buyers.customer_record_id
    left join fx_rates on orders.currency = fx_rates.currency
    left join line_totals on orders.source_system = line_totals.source_system and orders.order_id = line_totals.order_id
    left join refund_totals
        on orders.source_system = refund_totals.order_system and orders.order_id = refund_totals.order_id
),

final as (
    select
        *,
        case when is_revenue_order then order_amount_reporting else 0 end as revenue_reporting,
        case when is_revenue_order then order_amount_reporting else 0 end - refunded_amount_reporting
            as net_revenue_reporting,
        row_number() over (
            partition by customer_id, is_revenue_order order by ordered_at, source_system, order_id
        ) = 1 and is_revenue_order as is_first_order
    from enriched
)

select * from final
