"""A wrapper that names the signal its process died of (exit 137, 139) says how that process died: it joins an
incident that kills (an OOM record, a crash, the runner shutting down), never an unrelated failure above it."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log
from gardener.ingest.dedupe import dedupe
from gardener.model import JOB_LOG_LINE, Result, Source

GRADLE = """\
> Task :api:test

PostcodeValidatorTest > acceptsNorthernIrelandPostcodes() FAILED
    org.opentest4j.AssertionFailedError: expected: <true> but was: <false>
        at app//com.acme.api.PostcodeValidatorTest.acceptsNorthernIrelandPostcodes(PostcodeValidatorTest.java:47)

64 tests completed, 1 failed

> Task :api:test FAILED
> Task :service:test
> Task :service:test FAILED

FAILURE: Build completed with 2 failures.

* What went wrong:
Execution failed for task ':service:test'.
> Process 'Gradle Test Executor 4' finished with non-zero exit value 137
  This problem might be caused by incorrect test process configuration.

BUILD FAILED in 2m 41s
"""


def _incidents(tmp_path: Path, text: str) -> list[Result]:
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    parsed = runner_log.parse(log)
    assert parsed == runner_log.parse_every_line(log)
    return [r for r in parsed.results if r.is_failing]


def test_a_killed_executor_is_its_own_incident_not_the_failed_test_s(tmp_path: Path) -> None:
    test, killed = _incidents(tmp_path, GRADLE)
    assert test.error_type == "test-failure" and "also" not in dict(test.properties)
    assert (killed.error_type, killed.source_line) == ("oom-killed", 17)
    assert killed.message == "> Process 'Gradle Test Executor 4' finished with non-zero exit value 137"
    assert "AssertionFailedError" not in killed.details  # its own lines, not the step's failure above it


def test_a_kill_after_what_kills_joins_it(tmp_path: Path) -> None:
    for cause in ("Out of memory: Killed process 5123 (java)", "Segmentation fault (core dumped)",
                  "##[error]The runner has received a shutdown signal."):
        (one,) = _incidents(tmp_path, f"> Task :service:test\n{cause}\n> Task :service:test FAILED\n"
                                      "> Process 'Gradle Test Executor 4' finished with non-zero exit value 137\n")
        assert one.source_line == 2, cause


def test_the_gradle_console_block_under_its_header_is_the_reported_test_s_copy(tmp_path: Path) -> None:
    test_block, killed = _incidents(tmp_path, GRADLE)
    report = Result(id="com.acme.api.PostcodeValidatorTest::acceptsNorthernIrelandPostcodes()", outcome="failed",
                    source=Source("TEST-x.xml", "junit"), source_line=10, message="expected: <true> but was: <false>")
    merged = dedupe([report, test_block, killed])
    assert [r.id for r in merged] == [report.id, killed.id]  # the block's subject names the test: merged into it
    assert (JOB_LOG_LINE, f"{tmp_path / 'job.log'}:3") in merged[0].properties
    assert "64 tests completed" in merged[0].details
