with

quarantine as (
    select * from {{ source('ingest', 'quarantine') }}
),

renamed as (
    select
        quarantine_id,
        source_system,
        source_table,
        source_ref,
        source_row,
        raw_record,
        reason,
        -- The reason's kind (unparseable line, wrong type, missing key, unreadable file) for grouping.
        trim(regexp_extract(reason, '^[^:(]*', 0)) as reason_kind,
        run_id,
        load_id
    from quarantine
)

select * from renamed
