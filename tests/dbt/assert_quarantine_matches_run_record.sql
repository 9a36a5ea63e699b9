-- Every quarantined row of the latest run is counted in that run's record, and vice versa (a
-- file that could not be read at all is one quarantine row counted as a failed file instead).
-- Returns the source tables whose counts disagree.
with

latest_run as (
    select max(run_id) as run_id from {{ ref('stg_ingest__source_runs') }}
),

counted as (
    select
        source_system,
        source_table,
        sum(rows_quarantined) as rows_quarantined,
        sum(files_failed) as files_failed
    from {{ ref('stg_ingest__source_runs') }}
    where run_id = (select latest_run.run_id from latest_run)
    group by all
),

stored as (
    select
        source_system,
        source_table,
        count(*) filter (where reason not like 'file not loaded%') as rows_quarantined,
        count(*) filter (where reason like 'file not loaded%') as files_failed
    from {{ ref('stg_ingest__quarantine') }}
    where run_id = (select latest_run.run_id from latest_run)
    group by all
)

select
    coalesce(counted.source_system, stored.source_system) as source_system,
    coalesce(counted.source_table, stored.source_table) as source_table,
    counted.rows_quarantined as counted_rows,
    stored.rows_quarantined as stored_rows,
    counted.files_failed as counted_failed_files,
    stored.files_failed as stored_failed_files
from counted
full outer join stored
    on counted.source_system = stored.source_system and counted.source_table = stored.source_table
where
    coalesce(counted.rows_quarantined, 0) <> coalesce(stored.rows_quarantined, 0)
    or coalesce(counted.files_failed, 0) <> coalesce(stored.files_failed, 0)
