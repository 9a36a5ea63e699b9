"""Phone numbers to E.164 with phonenumbers, in this process or in worker processes.

Parsing one number takes about 50 us of Python holding the GIL, so in one process every model's
phone parsing takes turns on one core. `parse_many` sends a large list to worker processes, one per
core, started on first use and kept for the life of the process: they run `python -m c360.phones`
and read and answer one JSON line per list. A worker that dies is dropped and its list parsed here.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import phonenumbers

E164 = phonenumbers.PhoneNumberFormat.E164
# below this many numbers a call is parsed in this process: a round trip to a worker is not worth it
NUMBERS_FOR_WORKERS = 1024


def phone_e164_one(raw: str | None, regions: str | None) -> str | None:
    """E.164 form of a phone number, or None when it is not a valid number.

    `regions`: ISO 3166 alpha-2 codes, comma-separated, tried in order for a number written
    without a country code (the record's country, or the regions to try when it has none)."""
    if raw is None or not raw.strip():
        return None
    for region in (regions or "GB").upper().split(","):
        try:
            number = phonenumbers.parse(raw, region.strip())
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, E164)
        if raw.lstrip().startswith("+"):
            return None  # an explicit country code leaves no other region to try
    return None


def parse_here(numbers: list[tuple[str | None, str | None]]) -> list[str | None]:
    return [phone_e164_one(raw, regions) for raw, regions in numbers]


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Workers:
    def __init__(self, count: int) -> None:
        self.idle: queue.Queue[subprocess.Popen] = queue.Queue()
        self.started: list[subprocess.Popen] = []
        self.alive = count
        self.alive_lock = threading.Lock()
        for _ in range(count):
            worker = subprocess.Popen([sys.executable, "-m", "c360.phones"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
            self.started.append(worker)
            self.idle.put(worker)

    def parse(self, numbers: list[tuple[str | None, str | None]]) -> list[str | None]:
        """Split over the idle workers, waiting for one when none is: two threads asking at once each
        get a share of the workers, and neither waits on the other's."""
        while True:  # a worker is waited for, unless every worker has died meanwhile
            if self.alive == 0:
                return parse_here(numbers)
            try:
                taken = [self.idle.get(timeout=1)]
                break
            except queue.Empty:
                continue
        while True:
            try:
                taken.append(self.idle.get_nowait())
            except queue.Empty:
                break
        size = -(-len(numbers) // len(taken))
        parts = [numbers[start:start + size] for start in range(0, len(numbers), size)]
        for worker in taken[len(parts):]:
            self.idle.put(worker)
        sent = [self._send(worker, part) for worker, part in zip(taken, parts, strict=False)]
        results = []
        for worker, part, was_sent in zip(taken, parts, sent, strict=False):
            answer = self._receive(worker) if was_sent else self._drop(worker)
            results.extend(parse_here(part) if answer is None else answer)
        return results

    @staticmethod
    def _send(worker: subprocess.Popen, part: list) -> bool:
        try:
            worker.stdin.write(json.dumps(part) + "\n")
            worker.stdin.flush()
            return True
        except OSError:
            return False

    def _receive(self, worker: subprocess.Popen) -> list[str | None] | None:
        line = worker.stdout.readline()
        if not line:
            return self._drop(worker)
        self.idle.put(worker)
        return json.loads(line)

    def _drop(self, worker: subprocess.Popen) -> None:
        """A worker that died is not used again; the caller parses its part here."""
        with self.alive_lock:
            self.alive -= 1
        worker.kill()

    def close(self) -> None:
        for worker in self.started:
            if worker.stdin and not worker.stdin.closed:
                worker.stdin.close()
        for worker in self.started:
            worker.wait(timeout=10)


_workers: _Workers | None = None
_workers_lock = threading.Lock()


def parse_many(numbers: list[tuple[str | None, str | None]]) -> list[str | None]:
    """Each (raw, regions) to E.164 or None; a large list on the worker processes."""
    global _workers
    if len(numbers) < NUMBERS_FOR_WORKERS or cores() < 2:
        return parse_here(numbers)
    with _workers_lock:
        if _workers is None:
            _workers = _Workers(cores())
            atexit.register(_workers.close)
    return _workers.parse(numbers)


def _serve() -> None:
    """A worker: one JSON list of [raw, regions] per line in, one JSON list of answers per line out."""
    for line in sys.stdin:
        print(json.dumps(parse_here(json.loads(line))), flush=True)


if __name__ == "__main__":
    _serve()
