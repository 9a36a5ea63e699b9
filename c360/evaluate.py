"""`make eval`: identity resolution measured against a truth (c360.identity.evaluation).

By default the demo generator's ground truth; `--truth FILE` (make eval TRUTH=FILE) scores a run
against any labelled CSV with source_record_id and person_id (and source_system when ids repeat
across systems), such as a hand-checked sample of a company's own records. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from c360.identity.evaluation import TruthFileError, load_truth, metrics
from ingest.config import ConfigError, load_config
from ingest.settings import DEFAULT_CONFIG, PROJECT_ROOT, warehouse_path

IDENTITY_MODELS = ("int_email_clicks_linked", "int_person_records_unioned", "int_person_activity_keys",
                   "int_person_match_keys", "int_person_profiles", "int_candidate_pairs_blocked",
                   "int_candidate_pairs_compared", "int_random_pairs_compared", "int_match_weights",
                   "int_candidate_pairs_scored", "int_profile_clusters", "customer_identity_map", "dim_customers")


def identity_seconds(target: Path = PROJECT_ROOT / "target") -> float | None:
    """Seconds the identity models took in the last `make build` (build_results.json, kept because
    `make docs` overwrites run_results.json), else in the last dbt run."""
    results = target / "build_results.json"
    if not results.exists():
        results = target / "run_results.json"
    if not results.exists():
        return None
    runs = json.loads(results.read_text()).get("results", [])
    seconds = [r["execution_time"] for r in runs if r["unique_id"].split(".")[-1] in IDENTITY_MODELS
               and r["unique_id"].startswith("model.")]
    return round(sum(seconds), 2) if seconds else None


def demo_truth_files(ground_truth_dir: Path) -> list[Path]:
    files = sorted(ground_truth_dir.glob("person_records_*.csv"))
    if not files:
        raise TruthFileError(f"no ground truth (person_records_*.csv) in {ground_truth_dir}: the ground truth comes "
                             "from the demo generator (`make run` with the demo on); for your own data give a "
                             "labelled file: make eval TRUTH=path/to/truth.csv")
    return files


def evaluate(warehouse: Path, truth_files: list[Path], target: Path = PROJECT_ROOT / "target") -> dict:
    """Load the truth into `warehouse`'s eval schema and score the last build against it."""
    with duckdb.connect(str(warehouse)) as con:
        load_truth(con, truth_files)
        figures = metrics(con)
    return {**figures, "seconds": identity_seconds(target)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(DEFAULT_CONFIG))
    parser.add_argument("--truth", type=Path, help="labelled CSV (source_record_id, person_id[, source_system])")
    args = parser.parse_args(argv)
    if not warehouse_path().exists():
        print(f"eval: no warehouse at {warehouse_path()}: run `make run` first", file=sys.stderr)
        return 1
    try:
        if args.truth:
            files = [args.truth]
        else:
            config = load_config(args.config)
            if not config.demo.enabled:
                raise TruthFileError(f"{config.source_file} has the demo switched off, so there is no generated "
                                     "ground truth: give a labelled file, make eval TRUTH=path/to/truth.csv")
            files = demo_truth_files(config.demo.data_dir / "ground_truth")
        print(json.dumps(evaluate(warehouse_path(), files)))
    except (TruthFileError, ConfigError) as error:
        print(f"eval: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
