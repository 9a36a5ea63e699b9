-- Nothing is lost at ingest: for every source table in every run,
-- rows read = rows loaded + rows quarantined + rows suppressed (erased people's rows, never landed).
-- Returns the tables where that fails.
select
    run_id,
    source_system,
    source_table,
    rows_read,
    rows_loaded,
    rows_quarantined,
    rows_suppressed
from {{ ref('stg_ingest__source_runs') }}
where rows_read <> rows_loaded + rows_quarantined + rows_suppressed
