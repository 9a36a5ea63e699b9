"""`make sql` while a build writes the warehouse: a clear sentence, not a lock error."""

import subprocess
import sys

import duckdb

from c360.sql_shell import run


def test_a_running_build_is_named_instead_of_a_lock_error(tmp_path, monkeypatch, capsys):
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    monkeypatch.setenv("C360_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("C360_ROLE", "warehouse")  # role files are swapped in whole; only the warehouse is written
    writer = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys, time; con = duckdb.connect({str(warehouse)!r}); "
                               "print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        assert run("select 1") == 1
        message = capsys.readouterr().err
        assert "is being written (a build or ingest holds it" in message and f"PID {writer.pid}" in message
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
    assert run("select 42") == 0
