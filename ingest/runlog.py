"""What each run did, per source table: rows read, loaded and quarantined, files, seconds.

Printed as progress while loading and stored in raw_ingest.source_runs so a run can be
audited with SQL (rows read = loaded + quarantined + suppressed, per table and run).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import pyarrow as pa


def say(message: str) -> None:
    """Progress to stderr, flushed, so it shows up live under make."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class TableRun:
    system: str
    table: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_suppressed: int = 0  # rows of erased people (c360.privacy): read, never landed
    files_read: int = 0
    files_failed: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # read, but with a choice or a doubt worth knowing


@dataclass
class SystemRun:
    """One source system's part of a run: its tables, its quarantined rows, its outcome."""

    run_id: str
    system: str
    tables: dict[str, TableRun] = field(default_factory=dict)
    quarantine: list[dict] = field(default_factory=list)
    load_id: str | None = None
    status: str = "ok"
    error: str | None = None
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def table(self, name: str) -> TableRun:
        return self.tables.setdefault(name, TableRun(self.system, name))

    def fail(self, message: str) -> None:
        """Record a problem; the system is 'partial' if anything still loaded, else 'failed'."""
        self.error = message if self.error is None else f"{self.error}; {message}"
        say(f"[{self.system}] ERROR {message}")

    def finish(self) -> None:
        self.seconds = time.perf_counter() - self.started
        loaded = sum(t.rows_loaded for t in self.tables.values())
        if self.error:
            self.status = "partial" if loaded else "failed"

    def rows(self) -> list[dict]:
        """One row per table for raw_ingest.source_runs."""
        tables = self.tables.values() or [TableRun(self.system, "")]
        return [{
            "run_id": self.run_id,
            "source_system": self.system,
            "table_name": t.table,
            "status": self.status,
            "rows_read": t.rows_read,
            "rows_loaded": t.rows_loaded,
            "rows_quarantined": t.rows_quarantined,
            "rows_suppressed": t.rows_suppressed,
            "files_read": t.files_read,
            "files_failed": t.files_failed,
            "seconds": round(self.seconds, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "load_id": self.load_id,
            "error": "; ".join(t.errors) or (self.error if self.status != "ok" else None),
            "warnings": "\n".join(t.warnings) or None,  # notes contain '; ' themselves
        } for t in tables]


def count_rows(item: pa.Table | list) -> int:
    return item.num_rows if isinstance(item, pa.Table) else len(item)
