"""The demo's time line: the epoch-second instants that bound the world (2023-01-01 to
2025-09-30) and the records that predate it, the two batch windows cut from it, the ``NEVER``
sentinel for things that do not happen, and the size of a web-events Parquet part. Every other
part measures time against these constants.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

DAY = 86_400
YEAR = 365.25 * DAY


def _epoch(s: str) -> int:
    return int(datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp())


T_START = _epoch("2023-01-01T00:00:00")
LEGACY_START = _epoch("2019-01-01T00:00:00")  # records that already existed when the time line starts
BATCH_END = {1: _epoch("2025-06-30T23:59:59"), 2: _epoch("2025-09-30T23:59:59")}
BATCH_START = {1: T_START, 2: BATCH_END[1] + 1}
WORLD_END = BATCH_END[2]
NEVER = np.int64(2**62)
BATCHES = (1, 2)
EVENTS_PER_PART = 1_000_000
