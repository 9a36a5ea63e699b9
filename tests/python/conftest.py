"""Shared fixtures: a small generated demo company and warehouses built from it for real."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.config import load_config
from ingest.demo.generate import generate
from ingest.run import ingest

PEOPLE = 400
SEED = 7


def write_config(path: Path, data_dir: Path, batch: int = 1, **extra: object) -> Path:
    """A run configuration for a demo in `data_dir` (JSON is valid YAML)."""
    config = {"demo": {"data_dir": str(data_dir), "people": PEOPLE, "seed": SEED, "batch": batch}, **extra}
    path.write_text(json.dumps(config))
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """Batch 1 of a small demo, generated once per session; copy it before changing it."""
    data_dir = tmp_path_factory.mktemp("demo_template")
    generate(data_dir, people=PEOPLE, seed=SEED, batch=1)
    (data_dir / ".generated.json").write_text(json.dumps({"people": PEOPLE, "seed": SEED, "batches": [1]}))
    return data_dir


@pytest.fixture()
def demo_copy(demo_template, tmp_path) -> Path:
    data_dir = tmp_path / "demo"
    shutil.copytree(demo_template, data_dir)
    return data_dir


def run_ingest(config_path: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch, systems=None):
    monkeypatch.setenv("C360_DUCKDB_PATH", str(warehouse))
    return ingest(load_config(config_path), systems)


@pytest.fixture(scope="session")
def loaded_warehouse(demo_template, tmp_path_factory) -> tuple[Path, Path, list]:
    """The batch-1 demo ingested once: (warehouse, demo dir, runs). Read it, do not write it."""
    root = tmp_path_factory.mktemp("loaded")
    data_dir = root / "demo"
    shutil.copytree(demo_template, data_dir)
    config = write_config(root / "run.yml", data_dir)
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        runs = run_ingest(config, warehouse, monkeypatch)
    return warehouse, data_dir, runs


def run_dbt(command: list[str], warehouse: Path, target: Path, vars_: dict | None = None):
    """dbt as a user runs it (the project's profiles.yml), writing artefacts under `target`."""
    import os
    import subprocess
    import sys

    from ingest.settings import PROJECT_ROOT

    env = {**os.environ, "C360_DUCKDB_PATH": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    args = [str(Path(sys.executable).parent / "dbt"), *command, "--target-path", str(target / "target"),
            "--log-path", str(target / "logs")]
    if vars_ is not None:
        args += ["--vars", json.dumps(vars_)]
    result = subprocess.run(args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900)
    if command[0] == "build" and result.returncode == 0:  # as `make build`: the role files beside it
        from c360.roles import publish

        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv("C360_DUCKDB_PATH", str(warehouse))
            publish(target / "target" / "manifest.json")
    return result


@pytest.fixture(scope="session")
def built_warehouse(loaded_warehouse, tmp_path_factory) -> tuple[Path, Path, Path]:
    """The batch-1 demo ingested and built with dbt once: (warehouse, demo dir, dbt target dir)."""
    source, data_dir, _ = loaded_warehouse
    root = tmp_path_factory.mktemp("built")
    warehouse = root / "warehouse.duckdb"
    shutil.copy(source, warehouse)
    result = run_dbt(["build"], warehouse, root)
    assert result.returncode == 0, result.stdout[-4000:]
    return warehouse, data_dir, root
