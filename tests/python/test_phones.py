"""Phone numbers to E.164: one number, and large lists on worker processes that give the same answers."""

from __future__ import annotations

import threading

import duckdb
import pytest

from c360 import phones, udfs
from c360.phones import parse_here, parse_many, phone_e164_one


@pytest.mark.parametrize(("raw", "regions", "expected"), [
    ("07572 798920", "GB", "+447572798920"),
    ("+44 7572 798920", "US", "+447572798920"),  # an explicit country code wins over the region
    ("(415) 555-2671", "GB,US", "+14155552671"),  # no country: regions tried in order
    ("0000000000", "GB", None),
    ("123", "GB", None),
    (None, "GB", None),
])
def test_phone_e164(raw, regions, expected):
    assert phone_e164_one(raw, regions) == expected


def numbers(count: int) -> list[tuple[str | None, str | None]]:
    """Valid, invalid and missing numbers, written several ways, in several regions."""
    written = ["07572 {:06d}", "+44 7572 {:06d}", "(415) 555-{:04d}", "0{:d}", None, "  "]
    regions = ["GB", "US", "GB,US", None]
    return [(None if written[i % 6] is None else written[i % 6].format(i % 10000), regions[i % 4])
            for i in range(count)]


@pytest.fixture
def own_workers(monkeypatch):
    """Workers started for this test alone, closed after it."""
    monkeypatch.setattr(phones, "_workers", None)
    monkeypatch.setattr(phones, "cores", lambda: 2)
    yield
    if phones._workers is not None:
        phones._workers.close()


def test_a_large_list_parsed_on_workers_matches_parsing_here(own_workers):
    many = numbers(5000)
    assert parse_many(many) == parse_here(many)
    assert phones._workers is not None and phones._workers.alive == 2
    assert all(worker.poll() is None for worker in phones._workers.started)


def test_calls_from_several_threads_at_once_each_get_their_own_answers(own_workers):
    lists = [numbers(3000 + 500 * i)[::-1] if i % 2 else numbers(3000 + 500 * i) for i in range(4)]
    answers: dict[int, list] = {}
    threads = [threading.Thread(target=lambda i=i: answers.__setitem__(i, parse_many(lists[i]))) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answers[i] for i in range(4)] == [parse_here(part) for part in lists]


def test_a_worker_that_dies_is_dropped_and_its_numbers_still_parsed(own_workers):
    many = numbers(4000)
    parse_many(many)
    phones._workers.started[0].kill()
    phones._workers.started[0].wait()
    assert parse_many(many) == parse_here(many)
    assert phones._workers.alive == 1
    phones._workers.started[1].kill()
    phones._workers.started[1].wait()
    assert parse_many(many) == parse_here(many)
    assert phones._workers.alive == 0


def test_duckdb_phone_e164_parses_a_large_column_on_workers(own_workers):
    con = duckdb.connect()
    udfs.register(con)
    many = numbers(3000)
    con.execute("create table raw_phones (raw varchar, regions varchar, line integer)")
    con.executemany("insert into raw_phones values (?, ?, ?)", [(*pair, i) for i, pair in enumerate(many)])
    parsed = [row[0] for row in con.execute("select phone_e164(raw, regions) from raw_phones order by line").fetchall()]
    assert parsed == parse_here(many)
    assert phones._workers is not None


def test_a_call_waiting_for_a_worker_goes_on_when_the_busy_workers_die(own_workers):
    many = numbers(2000)
    parse_many(many)
    workers = phones._workers
    busy = [workers.idle.get(), workers.idle.get()]  # both held by another call
    answers: list = []
    waiting = threading.Thread(target=lambda: answers.append(parse_many(many)), daemon=True)
    waiting.start()
    for worker in busy:  # the other call sees them die and drops them
        worker.kill()
        workers._drop(worker)
    waiting.join(timeout=30)
    assert not waiting.is_alive()
    assert answers == [parse_here(many)]
