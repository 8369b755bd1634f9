"""RunStats.of counts the run in one pass: the same figures as each count's own definition."""

from __future__ import annotations

from gardener import priority_evidence
from gardener.model import JOB_LOG, Result, Source
from gardener.priority import RunStats, failing_test_ids

REPORT = Source("report.xml", "junit")
LOG = Source("logs/linux-tests.log", "log")


def _mixed() -> list[Result]:
    return [
        Result("tests/test_a.py::test_x", "failed", REPORT),
        Result("tests/test_a.py::test_x", "failed", REPORT, variant="p1"),  # one test, two variants
        Result("tests/test_a.py::test_y", "error", REPORT, properties=((JOB_LOG, "logs/macos-tests.log"),)),
        Result("tests/test_a.py::test_z", "flaky", REPORT),
        Result("tests/test_b.py::test_ok", "passed", REPORT),
        Result("tests/test_b.py::test_skip", "skipped", REPORT),
        Result("log:linux-tests:oom:1a2b", "failed", LOG),
        Result("tests/test_c.py::test_w", "failed", LOG, properties=(("job", "windows"),)),
    ]


def test_run_stats_agree_with_each_count_s_definition() -> None:
    results = _mixed()
    stats = RunStats.of(results)
    failing = [r for r in results if r.is_failing]
    assert (stats.total, stats.passed, stats.failing_results) == (8, 2, 5)
    assert stats.failing_tests == len(failing_test_ids(failing)) == 3  # the log incident is no test
    assert stats.jobs == priority_evidence.run_jobs(results) == frozenset({"macos-tests", "linux-tests", "windows"})
    assert stats.tested_jobs == priority_evidence.tested_jobs(results) == frozenset({"macos-tests", "windows"})
    assert stats.zero_test_sources == frozenset()


def test_a_run_without_a_pass_reads_its_failures_for_zero_tests() -> None:
    said = Result("log:ci:no-tests:9f", "failed", LOG, message="collected 0 items", details="no tests ran in 0.01s")
    stats = RunStats.of([said, Result("tests/test_a.py::test_x", "failed", REPORT)])
    assert stats.passed == 0 and stats.zero_test_sources == frozenset({LOG.path})
