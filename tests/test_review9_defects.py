"""Defects found in review-9 (code review of afbbdba..main), each pinned on its smallest realistic input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gardener.cli import cli
from gardener.ingest.runner_log import parse
from gardener.ingest.runner_log.job_verdict import JOB_SUCCEEDED

# A GitLab job whose test suite prints a line starting `Job succeeded` (a polling client's log), then fails for real.
GITLAB_FAILED = """Running with gitlab-runner 16.5.0 (853330f9)
section_start:1700000000:step_script
Executing "step_script" stage of the job script
$ python -m pytest tests/
============================= test session starts ==============================
collected 2 items

tests/test_jobs.py::test_poll_reports_done PASSED
Job succeeded: export-42 finished in 3s
tests/test_jobs.py::test_retry FAILED

=================================== FAILURES ===================================
__________________________________ test_retry __________________________________
    def test_retry():
>       assert retry() == 3
E       assert 2 == 3
tests/test_jobs.py:12: AssertionError
=========================== short test summary info ============================
FAILED tests/test_jobs.py::test_retry - assert 2 == 3
========================= 1 failed, 1 passed in 0.12s ==========================
section_end:1700000010:step_script
ERROR: Job failed: exit code 1
"""


# was a defect (review-9), fixed
def test_gitlab_job_that_failed_after_a_job_succeeded_line_is_not_caught(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    log.write_text(GITLAB_FAILED, encoding="utf-8")
    failing = [r for r in parse(log).results if r.is_failing]
    assert failing and not any(JOB_SUCCEEDED in r.properties for r in failing)
    out = CliRunner().invoke(cli, ["classify", "--json", str(log)])
    assert out.exit_code == 0, out.output
    assert all(f["priority"] != "P3" for f in json.loads(out.output)["findings"])


def _xctest_log(passing: int) -> str:
    lines = []
    for i in range(passing):
        lines += [f"Test Case '-[Kit.BulkTests test{i}]' started.",
                  f"Test Case '-[Kit.BulkTests test{i}]' passed (0.001 seconds)."]
    lines += ["Test Case '-[Kit.CartTests testRounds]' started.",
              "/ci/Tests/CartTests.swift:48: error: -[Kit.CartTests testRounds] : XCTAssertEqual failed: (\"1\") != (\"2\")",
              "Test Case '-[Kit.CartTests testRounds]' failed (0.004 seconds).",
              "** TEST FAILED **"]
    return "\n".join(lines) + "\n"


# was a defect (review-9), fixed
def test_xctest_failure_after_thousands_of_passing_cases_is_read(tmp_path: Path) -> None:
    log = tmp_path / "xcodebuild.log"
    log.write_text(_xctest_log(6000), encoding="utf-8")
    failing = [r for r in parse(log).results if r.is_test and r.is_failing]
    assert [(r.id, r.file, r.line) for r in failing] == [("Kit.CartTests::testRounds", "/ci/Tests/CartTests.swift", 48)]
