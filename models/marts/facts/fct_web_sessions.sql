{#- One row per web/app session, attributed to a customer through login stitching
    (int_web_sessions_stitched explains how); customer_id is null for sessions of unknown visitors. -#}

select * from {{ ref('int_web_sessions_stitched') }}
