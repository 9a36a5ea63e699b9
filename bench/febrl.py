"""The public FEBRL benchmarks through the bring-your-own path, exactly as a user would run them.

FEBRL1 and FEBRL2 (tests/fixtures/febrl/) are person files in their original columns: a run
configuration maps them onto the canonical person fields (the house number and street joined
into address_line1, dates of birth as YYYYMMDD text), and the truth, which is in the record id
(`rec-<n>-org`, `rec-<n>-dup-<k>` are person <n>), is written to a separate labelled file that
only `make eval TRUTH=...` reads. `identifier` maps the social security number as a declared
identifier (national_id); without it the engine has names, birth dates and addresses only.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ingest.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "febrl"
DATASETS = ("febrl1", "febrl2")

COLUMNS = {
    "first_name": "given_name", "last_name": "surname", "date_of_birth": "date_of_birth",
    "address_line1": ["street_number", "address_1"], "address_line2": "address_2", "city": "suburb",
    "state": "state", "postcode": "postcode",
}


def write_config(dataset: str, out: Path, identifier: bool = False) -> Path:
    """A run configuration with the demo off and the dataset as the person file of system `febrl`."""
    entry: dict = {"system": "febrl", "path": str(FIXTURES / f"{dataset}.csv"), "id_column": "rec_id",
                   "columns": COLUMNS}
    if identifier:
        entry["identifiers"] = {"national_id": "soc_sec_id"}
    out.mkdir(parents=True, exist_ok=True)
    config = out / "run.yml"
    config.write_text(json.dumps({"demo": {"enabled": False}, "person_files": [entry]}))  # JSON is YAML
    return config


def write_truth(dataset: str, out: Path) -> Path:
    """The labelled file: every record with its person, read off the record id."""
    out.mkdir(parents=True, exist_ok=True)
    truth = out / f"{dataset}_truth.csv"
    duckdb.sql(f"""
        copy (
            select 'febrl' as source_system, rec_id as source_record_id,
                   regexp_extract(rec_id, '^rec-([0-9]+)-', 1) as person_id
            from read_csv('{FIXTURES / f"{dataset}.csv"}', all_varchar = true)
        ) to '{truth}' (header)
    """)
    return truth
