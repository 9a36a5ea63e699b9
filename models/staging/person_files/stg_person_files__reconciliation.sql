{#- Where every person-file row went, per system: bronze keeps every version of every record,
    silver the latest per id; rows that failed their contract are in the quarantine. So
    rows read = records + superseded versions + quarantined rows. -#}
with

records as (
    select * from {{ ref('stg_person_files__person_records') }}
),

quarantine as (
    select * from {{ source('ingest', 'quarantine') }}
),

per_system as (
    select
        source_system,
        count(*) as records,
        sum(versions_in_bronze - 1) as superseded_rows,
        count(*) filter (where data_issues is not null) as records_with_data_issues
    from records
    group by source_system
),

quarantined as (
    select
        source_system,
        count(*) filter (where reason not like 'file not loaded%') as quarantined_rows,
        count(*) filter (where reason like 'file not loaded%') as files_not_loaded
    from quarantine
    where source_table = 'person_records'
    group by source_system
),

reconciled as (
    select
        per_system.source_system,
        per_system.records,
        per_system.superseded_rows,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
        per_system.records + per_system.superseded_rows + coalesce(quarantined.quarantined_rows, 0) as rows_read,
        coalesce(quarantined.files_not_loaded, 0) as files_not_loaded,
        per_system.records_with_data_issues
    from per_system
    left join quarantined on per_system.source_system = quarantined.source_system
)

select * from reconciled
