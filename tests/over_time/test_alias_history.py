"""A finding's history includes the runs recorded under its aliases (its signature under an older key or mask
version): a cause whose key text changed keeps its first-seen, failures and stability."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from gardener.history.record import key_for
from gardener.history.store import open_store
from gardener.history.summary import Obs
from gardener.model import Finding, OverTimePolicy, RunReport
from gardener.over_time.judge import judge_finding, judge_run
from gardener.over_time.read import merged_obs, read_snapshot
from tests.factories import finding, result
from tests.history.helpers import T0, record


def run_report(f: Finding) -> RunReport:
    return RunReport(generated_at=T0, command_line="", focus=(), scope=None, files=(), attempts=(), findings=(f,),
                     edges=(), phases=(), resolution_order=(), actions=())


TESTS = ("tests/test_m.py::test_a", "tests/test_m.py::test_b")
OLD = tuple(key_for(name, "")[:12] for name in TESTS)  # helpers.record keys each failing test's finding by test


def _judged(path: Path, aliases: tuple[str, ...]) -> tuple[int, int, str]:
    f = finding("f-new", "assertion", results=tuple(result(name) for name in TESTS))
    f = replace(f, signature=replace(f.signature, digest="0123456789ab", aliases=aliases))
    with open_store(str(path)) as store:
        snap = read_snapshot(store, "o/r", "gh:9:1:test", T0 + timedelta(hours=9), (f,))
    _, ot, _ = judge_finding(f, snap, OverTimePolicy())
    first = ot.first_seen.at.hour if ot.first_seen else -1
    return ot.runs, ot.failures, f"{first}"


def test_runs_recorded_under_an_alias_are_the_findings_history(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with open_store(str(path)) as store:  # an earlier version split the cause by test: two digests
        for n in range(1, 9):
            store.record(record(n, {TESTS[0]: "failed" if n % 2 else "passed", TESTS[1]: "failed" if n > 6 else
                                    "passed"}))
    runs, failures, first = _judged(path, OLD)
    assert (runs, failures) == (8, 5), (runs, failures)  # runs 1, 3, 5, 7 (test_a) and 8 (test_b)
    assert first == str((T0 + timedelta(hours=1)).hour)
    assert _judged(path, ())[1] == 0  # without the aliases none of that history is the finding's


def test_a_run_failing_under_any_digest_failed() -> None:
    at = T0
    a = (Obs(1, at, "s1", "passed"), Obs(2, at + timedelta(hours=1), "s2", "failed"))
    b = (Obs(1, at, "s1", "failed"), Obs(3, at + timedelta(hours=2), "s3", "passed"))
    assert [(o.run, o.outcome) for o in merged_obs([a, b])] == [(1, "failed"), (2, "failed"), (3, "passed")]


def test_an_alias_absent_from_the_run_is_not_offered_for_a_verified_close(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with open_store(str(path)) as store:
        store.record(record(1, {TESTS[0]: "failed", TESTS[1]: "passed"}))
        for n in range(2, 6):
            store.record(record(n, {TESTS[0]: "passed", TESTS[1]: "passed"}))
    f = finding("f-new", "assertion", results=(result(TESTS[0]),))
    f = replace(f, signature=replace(f.signature, digest="0123456789ab", aliases=(OLD[0],)))
    with open_store(str(path)) as store:
        snap = read_snapshot(store, "o/r", "gh:6:1:test", T0 + timedelta(hours=6), (f,))
    judged = judge_run(run_report(f), snap, OverTimePolicy())
    assert OLD[0] not in {c.digest for c in judged.clean}
    bare = replace(f, signature=replace(f.signature, aliases=()))
    assert OLD[0] in {c.digest for c in judge_run(run_report(bare), snap, OverTimePolicy()).clean}
