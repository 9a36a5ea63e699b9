{#- The rfm_segments seed names a segment for each of the 25 (recency, frequency) score cells, so
    a business user editing it cannot leave customers without a segment. Returns uncovered cells. -#}

with

cells as (
    select
        recency.score as recency_score,
        frequency.score as frequency_score
    from (values (1), (2), (3), (4), (5)) as recency (score)
    cross join (values (1), (2), (3), (4), (5)) as frequency (score)
),

segments as (
    select * from {{ ref('rfm_segments') }}
)

select cells.*
from cells
where not exists (
    select 1
    from segments
    where
        cells.recency_score between segments.recency_score_min and segments.recency_score_max
        and cells.frequency_score between segments.frequency_score_min and segments.frequency_score_max
)
