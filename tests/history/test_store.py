"""The store on both backends: idempotent recording, exact rates, first/last seen, runs that never
reached a test, pruning. Every expectation is recomputed by brute force from what was recorded."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from gardener.history.record import key_for
from gardener.history.store import open_store
from gardener.history.summary import FAILED, rate
from tests.history.helpers import T0, counts, record, suite


def test_recording_the_same_run_twice_changes_nothing(backend: str) -> None:
    with open_store(backend) as store:
        rec = record(1, {"a::x": "passed", "a::y": "failed", "a::z": "skipped"})
        assert store.record(rec) is True
        before = counts(store)
        assert store.record(rec) is False
        assert counts(store) == before
        assert before["runs"] == 1 and before["results"] == 2 and before["findings"] == 1


def test_a_stable_suite_is_stored_once_and_passes_take_no_rows(backend: str) -> None:
    names = suite(50)
    with open_store(backend) as store:
        for n in range(5):
            store.record(record(n, {t: ("failed" if i == n else "passed") for i, t in enumerate(names)}))
        c = counts(store)
    assert c["suites"] == 1 and c["suite_tests"] == 50 and c["tests"] == 50
    assert c["results"] == 5 and c["runs"] == 5


def test_failure_rates_are_exact_over_any_window(backend: str) -> None:
    rng = random.Random(7)
    names = suite(12)
    truth: list[tuple[int, dict[str, str]]] = []
    with open_store(backend) as store:
        for n in range(40):
            # Some runs never reach some tests (a different suite), some skip them.
            present = [t for t in names if rng.random() > 0.15]
            outcomes = {t: rng.choice(("passed", "passed", "passed", "failed", "error", "flaky", "skipped"))
                        for t in present}
            store.record(record(n, outcomes))
            truth.append((n, outcomes))
        keys = [key_for(t, "") for t in names]
        for hours in (5, 17, 41):
            since = T0 + timedelta(hours=40 - hours)
            got = store.failure_rates("o/r", keys, since)
            obs = store.test_observations("o/r", keys, since)
            for t, k in zip(names, keys, strict=True):
                ran = [o for n, o in truth if T0 + timedelta(hours=n) >= since and t in o and o[t] != "skipped"]
                failed = sum(1 for o in ran if o[t] in FAILED)
                assert (got[k].failures, got[k].runs) == (failed, len(ran)), (t, hours)
                r = rate(obs[k], since)
                assert (r.failures, r.runs) == (failed, len(ran))


def test_a_run_that_never_reached_a_test_is_not_a_pass(backend: str) -> None:
    with open_store(backend) as store:
        store.record(record(1, {"a::x": "failed", "a::y": "passed"}))
        store.record(record(2, {}))  # the build broke: no test reported
        store.record(record(3, {"a::y": "passed"}))  # a narrower suite without a::x
        store.record(record(4, {"a::x": "skipped", "a::y": "passed"}))
        k = key_for("a::x", "")
        assert store.failure_rates("o/r", [k], T0)[k].runs == 1
        obs = store.test_observations("o/r", [k], T0)[k]
        assert [o.outcome for o in obs] == ["failed", "skipped"]


def test_finding_first_and_last_seen_and_observations(backend: str) -> None:
    with open_store(backend) as store:
        for n, outcome in enumerate(["passed", "failed", "passed", "failed", "failed"]):
            store.record(record(n, {"a::x": outcome, "a::y": "passed"}, sha=f"{n}" * 7))
        digest = key_for("a::x", "")[:12]
        first, last = store.finding_seen("o/r", [digest])[digest]
        assert (first.sha, last.sha) == ("1111111", "4444444")
        obs = store.finding_observations("o/r", [(digest, [key_for("a::x", "")])], T0)[digest]
        assert [o.outcome for o in obs] == ["passed", "failed", "passed", "failed", "failed"]


def test_prune_deletes_old_runs_and_what_only_they_used(backend: str) -> None:
    with open_store(backend) as store:
        store.record(record(1, {"old::x": "failed"}))
        store.record(record(50, {"new::y": "passed"}))
        gone, tests_gone = store.prune(T0 + timedelta(hours=10))
        assert (gone, tests_gone) == (1, 1)
        c = counts(store)
        assert c["runs"] == 1 and c["results"] == 0 and c["findings"] == 0 and c["suites"] == 1 and c["tests"] == 1


def test_repositories_are_kept_apart(backend: str) -> None:
    with open_store(backend) as store:
        store.record(record(1, {"a::x": "failed"}, repo="o/one"))
        store.record(record(1, {"a::x": "passed"}, repo="o/two"))
        k = key_for("a::x", "")
        assert store.failure_rates("o/one", [k], T0)[k].failures == 1
        assert store.failure_rates("o/two", [k], T0)[k].failures == 0
        assert store.repos() == ("o/one", "o/two")


@pytest.mark.parametrize("location", ["mysql://x/y"])
def test_an_unsupported_url_is_one_line(location: str) -> None:
    from gardener.history.errors import HistoryError

    with pytest.raises(HistoryError, match="unsupported store URL") as err:
        open_store(location)
    assert "\n" not in str(err.value)


def test_finding_tests_by_part_of_a_name_takes_like_wildcards_literally(backend: str) -> None:
    names = ["t.py::test_100%_done", "t.py::test_1000_done", "t.py::test_a_b", "t.py::test_axb", "t/x.py::test_c"]
    with open_store(backend) as store:
        store.record(record(1, dict.fromkeys(names, "failed")))
        assert [t.name for t in store.find_tests("100%")] == ["t.py::test_100%_done"]
        assert [t.name for t in store.find_tests("a_b")] == ["t.py::test_a_b"]
        assert [t.name for t in store.find_tests("t/x")] == ["t/x.py::test_c"]
        assert [t.display for t in store.find_tests("t.py::test_axb")] == ["t.py::test_axb"]  # exact first
