{#- One row per web/app event with the customer of its session: events before a login, and
    earlier sessions on the same device, carry the customer too (stitched history). Incremental on
    DuckDB: a build writes the events staged since the last one, and rewrites the events of the
    sessions whose customer or stitch method changed (a merge of customers, a new login on the
    device). -#}
{{ config(materialized=incremental_materialization(), unique_key=['source_system', 'event_id'],
          incremental_strategy='delete+insert') }}

with

sessions as (
    select
        session_id,
        customer_id,
        stitch_method
    from {{ ref('fct_web_sessions') }}
),

{%- if is_incremental() %}

reattributed_sessions as (
    select written.session_id
    from (select distinct session_id, customer_id, stitch_method from {{ this }}) as written
    inner join sessions on written.session_id = sessions.session_id
    where
        written.customer_id is distinct from sessions.customer_id
        or written.stitch_method is distinct from sessions.stitch_method
),
{%- endif %}

events as (
    select * from {{ ref('stg_activity__web_events') }}
    {%- if is_incremental() %}
    where
        {{ staged_since_last_build() }}
        or session_id in (select reattributed_sessions.session_id from reattributed_sessions)
    {%- endif %}
)

select
    events.event_id,
    events.event_type,
    events.event_at,
    sessions.customer_id,
    sessions.stitch_method,
    events.session_id,
    events.anonymous_id,
    events.source_system,
    events.customer_system,
    events.customer_record_id,
    events.platform,
    events.device_type,
    events.page_path,
    events.product_id,
    events.order_number,
    events.utm_source,
    events.campaign_id,
    events._staged_at
from events
left join sessions on events.session_id = sessions.session_id
