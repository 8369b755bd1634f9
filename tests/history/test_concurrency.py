"""Concurrent writers (real processes started together at a barrier): eight recording different runs and
two recording the same run end with exactly the expected rows, the schema created once."""

from __future__ import annotations

import multiprocessing
from typing import Any

from gardener.history.store import open_store
from tests.history.helpers import counts, record, suite

NAMES = list(suite(400))


def outcomes(n: int) -> dict[str, str]:
    """Run n: 2% of the suite fails (a different 2% each run); odd runs also never reach the last 50 tests."""
    names = NAMES if n % 2 == 0 else NAMES[:-50]
    return {t: ("failed" if (i + n) % 50 == 0 else "passed") for i, t in enumerate(names)}


def _writer(location: str, n: int, barrier: Any, results: Any) -> None:
    barrier.wait(timeout=60)
    with open_store(location) as store:
        results.put((n, store.record(record(n, outcomes(n)))))


def test_eight_writers_and_two_of_the_same_run_end_with_exactly_the_expected_rows(backend: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    plan = [*range(8), 3]  # run 3 is recorded by two processes at once
    barrier = ctx.Barrier(len(plan))
    results = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(backend, n, barrier, results)) for n in plan]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    got = sorted(results.get(timeout=5) for _ in plan)
    assert sorted(n for n, new in got if new) == list(range(8))  # each run stored by exactly one process
    assert [n for n, new in got if not new] == [3]
    expected_results = sum(sum(1 for o in outcomes(n).values() if o != "passed") for n in range(8))
    with open_store(backend) as store:
        count = counts(store)
    assert count["runs"] == 8
    assert count["results"] == expected_results
    assert count["findings"] == expected_results  # one finding per failing test in these runs
    assert count["suites"] == 2 and count["tests"] == len(NAMES)
    assert count["suite_tests"] == len(NAMES) + len(NAMES) - 50
    assert count["gardener_meta"] == 1
