-- Every person record that reached identity resolution is in the identity map exactly once,
-- and the map holds nothing else. Returns the records that break this.
with

records as (
    select person_record_id from {{ ref('int_person_records_unioned') }}
),

mapped as (
    select
        person_record_id,
        count(*) as times_mapped
    from {{ ref('customer_identity_map') }}
    group by person_record_id
)

select
    coalesce(records.person_record_id, mapped.person_record_id) as person_record_id,
    coalesce(mapped.times_mapped, 0) as times_mapped
from records
full outer join mapped on records.person_record_id = mapped.person_record_id
where mapped.times_mapped is distinct from 1 or records.person_record_id is null
