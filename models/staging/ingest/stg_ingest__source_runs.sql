with

source_runs as (
    select * from {{ source('ingest', 'source_runs') }}
),

renamed as (
    select
        run_id,
        source_system,
        table_name as source_table,
        status as run_status,
        rows_read,
        rows_loaded,
        rows_quarantined,
        coalesce(rows_suppressed, 0) as rows_suppressed,
        files_read,
        files_failed,
        seconds,
        peak_rss_mb,
        load_id,
        error as error_message,
        warnings,
        finished_at,
        config_path
    from source_runs
)

select * from renamed
