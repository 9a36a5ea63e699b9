"""The benches stop before a step that would fill the disk (bench/incremental.py), with a message
that says what, where and what to do instead."""

from __future__ import annotations

import pytest

from bench.incremental import ensure_free_disk


def test_a_step_needing_more_disk_than_is_free_stops_first_and_says_what_to_do(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with warehouse.open("wb") as file:
        file.truncate(2**42)  # sparse: 4.4 TB long, more than this machine's disk, no blocks on it
    with pytest.raises(SystemExit) as stopped:
        ensure_free_disk(warehouse, 1.0, "timing a full build in place", "run bench.serving first")
    message = str(stopped.value)
    assert f"timing a full build in place needs about {2**42 / 1e9:,.1f} GB free" in message
    assert str(warehouse) in message and "run bench.serving first" in message


def test_a_step_with_room_goes_on(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes(b"\0" * 1024)
    ensure_free_disk(warehouse, 2.2, "the later batch", "pass --no-full-rebuild")
