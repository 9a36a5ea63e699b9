"""How much recall the person records allow: the records a matcher could not place from them.

    python -m bench.recall_ceiling data/bench/people_100000/warehouse.duckdb

Reads a warehouse that `make eval` or `bench.identity` has evaluated (its `eval.ground_truth`).
A record that is not in its person's main customer is *hopeless* when it shares nothing beyond
the name with any other record of its person (no e-mail key or username, last nine phone
digits, birthday, postcode or shop activity key) and either another person in the data has the
same first and last name (in the record's country, when it has one: the model takes name
frequencies within a country) or its own name is incomplete: from the person records it cannot
be told from a namesake or from a new person. Prints the records missed by kind, the pairwise
recall left if every other missed record were placed right (the ceiling, before precision) and
the F1 that recall allows even with no false link (2R / (1 + R)).
"""

from __future__ import annotations

import argparse
import json
import sys

import duckdb

SQL = """
create temp table truth as
select identity_map.person_record_id, identity_map.customer_id, ground_truth.person_id
from marts.customer_identity_map as identity_map
inner join eval.ground_truth as ground_truth using (source_system, source_record_id)
where not identity_map.is_test_account;

create temp table records as
select truth.*, keys.first_canonical, keys.last_key, keys.email_match_key, keys.email_local, keys.phone_e164,
       keys.date_of_birth, keys.postcode_key, keys.country_code, unioned.shop_activity_keys
from truth
inner join intermediate.int_person_match_keys as keys using (person_record_id)
inner join intermediate.int_person_records_unioned as unioned using (person_record_id);

create temp table missed as
with customers_per_person as (
    select person_id, customer_id, count(*) as records from truth group by all
),
-- the customer holding most of the person's records (ties: the first id, so runs agree)
main_customer as (
    select person_id, first(customer_id order by records desc, customer_id) as customer_id
    from customers_per_person group by all
)
select records.* from records inner join main_customer using (person_id)
where records.customer_id <> main_customer.customer_id;

create temp table missed_evidence as
select missed.person_record_id, missed.person_id, missed.first_canonical, missed.last_key,
    coalesce(bool_or(
        missed.email_match_key = other.email_match_key or missed.email_local = other.email_local
        or right(missed.phone_e164, 9) = right(other.phone_e164, 9) or missed.date_of_birth = other.date_of_birth
        or missed.postcode_key = other.postcode_key or list_has_any(missed.shop_activity_keys, other.shop_activity_keys)
    ), false) as has_evidence
from missed
inner join records as other on missed.person_id = other.person_id and missed.person_record_id <> other.person_record_id
group by all;

-- people per full name: in each country ('*': in all of them)
create temp table namesakes as
select first_canonical, last_key, coalesce(country_code, '*') as country_code, count(distinct person_id) as people
from records where first_canonical is not null and last_key is not null
group by grouping sets ((first_canonical, last_key), (first_canonical, last_key, country_code))
having country_code is not null or grouping(country_code) = 1;

create temp table classified as
select missed_evidence.*,
    coalesce(namesakes.people, 0) > 1 as has_namesake,
    missed_evidence.first_canonical is null or missed_evidence.last_key is null as is_name_incomplete
from missed_evidence
inner join records using (person_record_id)
left join namesakes
    on missed_evidence.first_canonical = namesakes.first_canonical and missed_evidence.last_key = namesakes.last_key
    and coalesce(records.country_code, '*') = namesakes.country_code;
"""

CEILING = """
with hopeless as (
    select person_id, count(*) as hopeless_records from classified
    where not has_evidence and (has_namesake or is_name_incomplete) group by all
),
sizes as (select person_id, count(*) as records from truth group by all)
select
    (select sum(records * (records - 1) / 2) from sizes) as true_pairs,
    coalesce(sum(hopeless_records * (records - hopeless_records) + hopeless_records * (hopeless_records - 1) / 2), 0)
        as hopeless_pairs
from hopeless inner join sizes using (person_id)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    args = parser.parse_args(argv)
    with duckdb.connect(args.warehouse, read_only=True) as con:
        for statement in SQL.split(";"):
            if statement.strip():
                con.execute(statement)
        kinds = con.execute(
            "select has_evidence, has_namesake, is_name_incomplete, count(*) from classified group by all order by all"
        ).fetchall()
        true_pairs, hopeless_pairs = con.execute(CEILING).fetchall()[0]
    result = {
        "missed_records": sum(row[3] for row in kinds),
        "missed_with_evidence_beyond_name": sum(row[3] for row in kinds if row[0]),
        "missed_name_only_unique_name": sum(row[3] for row in kinds if not row[0] and not row[1] and not row[2]),
        "missed_name_only_hopeless": sum(row[3] for row in kinds if not row[0] and (row[1] or row[2])),
    }
    ceiling = 1 - float(hopeless_pairs) / float(true_pairs)
    result["recall_ceiling"] = round(ceiling, 5)
    result["f1_ceiling"] = round(2 * ceiling / (1 + ceiling), 5)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
