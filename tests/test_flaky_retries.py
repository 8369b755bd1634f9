"""Flaky tests from the runners' own retry output (flaky.jest-retry-passed, flaky.suite-retry-passed,
flaky.failed-then-passed, gardener/retry_verdicts.py): a retry that then passed is flaky; a retry that failed on every
attempt is its failure's own category, with the attempts counted; a retry merely configured is nothing.

Excerpts are modelled on the runners' documented output and on real logs quoted in the threads named beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import analyse
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding, Result, Source
from gardener.retry_verdicts import RETRY_VERDICT, Verdict, apply, verdicts
from gardener.whole_excerpt import ingest_for_classify
from tests.corpus_scoring import classified
from tests.factories import result

# jest.retryTimes(n, {logErrorsBeforeRetry: true}) (pnpm/pnpm#7028, Budibase/budibase#11944).
JEST_TIMEOUT_THEN_PASS = """LOGGING RETRY ERRORS  should skip store integrity check and resolve manifest
RETRY 1

   thrown: "Exceeded timeout of 240000 ms for a test."

     at Object.<anonymous> (test/index.ts:1054:1)

PASS test/index.ts (250.3 s)
Test Suites: 1 passed, 1 total
Tests:       12 passed, 12 total
Time:        251.2 s"""
JEST_ASSERTION_THEN_PASS = """LOGGING RETRY ERRORS  creates a row
RETRY 1

    expect(received).toBe(expected) // Object.is equality

    Expected: 201
    Received: 500

PASS src/api/routes/tests/row.spec.ts
Test Suites: 3 passed, 3 total
Tests:       2 skipped, 41 passed, 43 total"""
JEST_FAILS_EVERY_TRY = """LOGGING RETRY ERRORS  creates a row
RETRY 1

    Expected: 201
    Received: 500

FAIL src/api/routes/tests/row.spec.ts
  ✕ creates a row (31 ms)

  ● creates a row

    expect(received).toBe(expected) // Object.is equality

    Expected: 201
    Received: 500

Test Suites: 1 failed, 1 total
Tests:       1 failed, 40 passed, 41 total"""
# A retry configured and echoed, and a plain failure: no retry happened.
RETRY_CONFIGURED_ONLY = """jest.config.js: retryTimes: 3
vitest.config.ts: retry: 2
Running tests with --reruns 2 -Dsurefire.rerunFailingTestsCount=2
FAIL __tests__/math.test.js
  ✕ adds (3 ms)
    Expected: 2
    Received: 1
Tests:       1 failed, 1 total"""

# The .NET Microsoft Testing Platform retry extension (microsoft/testfx#4131 and its retry sample's output).
MTP_FAILED = """passed MTPTestMethod1 (2ms)
failed MTPTestMethod2 (18ms)
  Assert.Fail failed.
    at ProjectWithMTP.MTPTest1.MTPTestMethod2() in ProjectWithMTP\\MTPTest1.cs:16

Test run summary: Failed! - ProjectWithMTP\\bin\\Debug\\net8.0\\ProjectWithMTP.dll (net8.0|x64)
  total: 2
  failed: 1
  succeeded: 1

=====================
Tests suite failed, total failed tests: 1, exit code: 2, attempt: 1/3
=====================
"""
MTP_THEN_PASSED = MTP_FAILED + """
passed MTPTestMethod2 (2ms)

Test run summary: Passed! - ProjectWithMTP\\bin\\Debug\\net8.0\\ProjectWithMTP.dll (net8.0|x64)
  total: 1
  failed: 0
  succeeded: 1

Tests suite completed successfully in 2 attempts"""
MTP_EVERY_ATTEMPT = MTP_FAILED + "".join(
    f"""failed MTPTestMethod2 (18ms)
  Assert.Fail failed.
=====================
Tests suite failed, total failed tests: 1, exit code: 2, attempt: {n}/3
=====================
""" for n in (2, 3)) + "Tests suite failed in all 3 attempts"

# vitest's `retry` (its reporters print ` (retry xN)` after the test; sentry-electron's e2e config retries 3 times).
VITEST_PASSED = """ ✓ test/e2e/test.ts > E2E Tests > native crash (retry x1) 21034ms
 ✓ test/e2e/test.ts > E2E Tests > javascript error 1203ms

 Test Files  1 passed (1)
      Tests  2 passed (2)"""
VITEST_FAILED = """ × test/e2e/test.ts > E2E Tests > native crash (retry x3) 60112ms
   → expected 1 to be 4

 Test Files  1 failed (1)
      Tests  1 failed | 1 passed (2)"""

# Ginkgo's --flake-attempts (its default reporter heads a spec that passed on a later attempt; kubernetes e2e logs).
GINKGO_PASSED = """------------------------------
\u21ba [FLAKEY TEST - TOOK 2 ATTEMPTS TO PASS] [3.012 seconds]
Cache when the server restarts [It] reconnects
/home/runner/work/proj/cache/cache_test.go:88
------------------------------"""
GINKGO_FAILED = """------------------------------
\u2022 [FAILED] [3.012 seconds]
Cache when the server restarts [It] reconnects
/home/runner/work/proj/cache/cache_test.go:88

  [FAILED] Expected
      <int>: 1
  to equal
      <int>: 2
  In [It] at: /home/runner/work/proj/cache/cache_test.go:91
------------------------------

Ran 42 of 42 Specs in 12.345 seconds
FAIL! -- 41 Passed | 1 Failed | 0 Pending | 0 Skipped"""

# Gradle's test logging under the test-retry plugin (gradle/test-retry-gradle-plugin#205, apache/kafka#6506).
GRADLE_PASSED = """> Task :test

DeleteActionJspTest > test_content() FAILED
    java.lang.RuntimeException: java.io.IOException: Server returned HTTP response code: 500 for URL: http://localhost:38675/a.jsp
        at jsp.test.framework.core.JspServer.render(JspServer.java:71)

DeleteActionJspTest > test_content() PASSED

BUILD SUCCESSFUL in 2m 3s"""
GRADLE_EVERY_ATTEMPT = """> Task :clients:test

org.apache.kafka.clients.ApiVersionsTest > flakyTest() FAILED
    java.lang.AssertionError: expected:<1> but was:<2>
        at org.junit.Assert.fail(Assert.java:89)

org.apache.kafka.clients.ApiVersionsTest > flakyTest() FAILED
    java.lang.AssertionError: expected:<1> but was:<2>
        at org.junit.Assert.fail(Assert.java:89)

org.apache.kafka.clients.ApiVersionsTest > otherTest() PASSED

3 tests completed, 2 failed
> Task :clients:test FAILED"""

# gotestsum --rerun-fails: its DONE line closes the run, far below the first attempt's failure in a real log.
_GO_PADDING = "".join(f"=== RUN   TestPackage{n}\n--- PASS: TestPackage{n} (0.01s)\n" for n in range(80))
GOTESTSUM_PASSED = ("=== FAIL: pkg/util/cloudproviders TestDetectProvider (0.02s)\n"
                    "    detect_test.go:41: expected provider gce, got none\n\n" + _GO_PADDING +
                    "=== RERUN pkg/util/cloudproviders TestDetectProvider\n--- PASS: TestDetectProvider (0.01s)\n\n"
                    "DONE 2 runs, 214 tests, 3 skipped in 14.8s")
GOTESTSUM_FAILED = GOTESTSUM_PASSED.replace("--- PASS: TestDetectProvider (0.01s)",
                                            "--- FAIL: TestDetectProvider (0.01s)").replace(
    "DONE 2 runs, 214 tests, 3 skipped in", "DONE 2 runs, 214 tests, 3 skipped, 1 failure in")


def _first(tmp_path: Path, text: str) -> Finding:
    path = tmp_path / "job.log"
    path.write_text(text, encoding="utf-8")
    findings = classified(path, Config())
    assert findings, "no finding"
    return findings[0]


@pytest.mark.parametrize("text", [JEST_TIMEOUT_THEN_PASS, JEST_ASSERTION_THEN_PASS, MTP_THEN_PASSED, VITEST_PASSED,
                                  GRADLE_PASSED, GOTESTSUM_PASSED, GINKGO_PASSED],
                         ids=["jest-timeout", "jest-assertion", "mtp", "vitest", "gradle", "gotestsum", "ginkgo"])
def test_a_retry_that_passed_is_flaky_p3(tmp_path: Path, text: str) -> None:
    f = _first(tmp_path, text)
    assert (f.category, f.priority) == ("flaky-test", "P3")
    assert "passing on retry" in f.priority_reason


@pytest.mark.parametrize("text", [JEST_FAILS_EVERY_TRY, MTP_EVERY_ATTEMPT, VITEST_FAILED, GRADLE_EVERY_ATTEMPT,
                                  GOTESTSUM_FAILED, GINKGO_FAILED, RETRY_CONFIGURED_ONLY],
                         ids=["jest", "mtp", "vitest", "gradle", "gotestsum", "ginkgo", "configured-only"])
def test_a_retry_that_failed_every_attempt_or_none_is_not_flaky(tmp_path: Path, text: str) -> None:
    assert _first(tmp_path, text).category != "flaky-test"


def test_the_gradle_finding_names_the_test(tmp_path: Path) -> None:
    f = _first(tmp_path, GRADLE_PASSED)
    assert f.rule_id == "flaky.failed-then-passed"
    assert "DeleteActionJspTest > test_content()" in f.title


def test_every_attempt_failing_counts_the_attempts(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text(MTP_EVERY_ATTEMPT, encoding="utf-8")
    failing = [r for r in ingest_for_classify([str(path)], Config().rules).results if r.is_failing]
    assert failing and all(r.attempts == 3 for r in failing)


def test_verdicts_are_numbered_from_the_files_first_line_and_one_attempt_is_none() -> None:
    text = "x\nDONE 1 runs, 9 tests in 1.0s\nTests suite completed successfully in 2 attempts\n" \
           "DONE 3 runs, 9 tests, 1 failure in 2.5s"
    assert verdicts(text, 101) == (Verdict(103, 2, True), Verdict(104, 3, False))


def _failure(line: int, path: str = "job.log") -> Result:
    return Result(id=f"t{line}", outcome="failed", source=Source(path, "log"), source_line=line)


def test_a_verdict_rules_only_on_its_own_runs_failures() -> None:
    found = (Verdict(10, 2, False), Verdict(20, 2, True))
    before_first, before_second, after_last = _failure(5), _failure(15), _failure(25)
    other_file = _failure(15, "other.log")
    out = apply([before_first, before_second, after_last, other_file], "job.log", found)
    assert [r.outcome for r in out] == ["failed", "flaky", "failed", "failed"]
    assert out[0].attempts == 2 and RETRY_VERDICT not in dict(out[0].properties)
    assert dict(out[1].properties)[RETRY_VERDICT] == "passed after 2 attempts"


def test_a_closing_verdict_far_below_the_failure_still_rules_on_it(tmp_path: Path) -> None:
    # The retried attempt's listing pushes the verdict beyond the window the log reader keeps with the failure.
    passes = "".join(f"passed MTPTestMethod{n} (1ms)\n" for n in range(3, 200))
    long_log = MTP_THEN_PASSED.replace("\npassed MTPTestMethod2 (2ms)\n", f"\n{passes}passed MTPTestMethod2 (2ms)\n")
    assert _first(tmp_path, long_log).category == "flaky-test"
    no_verdict = long_log.replace("Tests suite completed successfully in 2 attempts", "")
    assert _first(tmp_path, no_verdict).category != "flaky-test"


def _lead(outcome: str, properties: tuple[tuple[str, str], ...]) -> tuple[Finding, KeyInput]:
    failure = result("log:job:test-failure:mtptestmethod2", outcome=outcome, kind="log", properties=properties,
                     message="failed MTPTestMethod2 (18ms)", details=MTP_FAILED)
    analysis = analyse([failure], Config())
    ((f,),) = [analysis.findings]
    return f, KeyInput(analysis.clusters[f.id].lead)


def test_a_failure_a_passing_verdict_made_flaky_answers_to_its_key_before() -> None:
    f, lead = _lead("flaky", ((RETRY_VERDICT, "passed after 2 attempts"),))
    assert f.rule_id == "flaky.outcome"
    back = dict(older_keys(lead))
    _, as_failed = _lead("failed", ())
    assert back["key-v7"] == as_failed.classified.key != lead.classified.key


def test_a_flaky_outcome_a_reader_gave_keeps_its_key() -> None:
    _, lead = _lead("flaky", ())
    assert "key-v7" not in dict(older_keys(lead))


# Fail-on-flaky settings: surefire's failOnFlakeCount (apache/maven-surefire#333) and Playwright's
# --fail-on-flaky-tests (microsoft/playwright#8849's summary) fail the run for a test that passed on retry.
SUREFIRE_FAIL_ON_FLAKE = """[INFO] Results:
[INFO]
[WARNING] Flakes:
[WARNING] org.apache.hadoop.hdfs.TestX.testY(org.apache.hadoop.hdfs.TestX)
[ERROR]   Run 1: TestX.testY:80 » TestTimedOut
[INFO]   Run 2: PASS
[INFO]
[WARNING] Tests run: 970, Failures: 0, Errors: 0, Skipped: 1, Flakes: 1
[INFO]
[INFO] BUILD FAILURE
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.0.0:test (default-test) on project \
hdfs: There is 1 flake and failOnFlakeCount is set to 1."""
PLAYWRIGHT_FAIL_ON_FLAKY = """Running 12 tests using 2 workers
  \u2718  3 [chromium] \u203a login.spec.ts:12:5 \u203a logs in (5.1s)
  \u2713  4 [chromium] \u203a login.spec.ts:12:5 \u203a logs in (retry #1) (1.2s)

  1 flaky
    [chromium] \u203a login.spec.ts:12:5 \u203a logs in
  11 passed (20.1s)
Error: Process completed with exit code 1."""
PLAYWRIGHT_FLAKY_AND_FAILED = PLAYWRIGHT_FAIL_ON_FLAKY.replace(
    "  1 flaky", "  1 failed\n    [chromium] \u203a cart.spec.ts:4:5 \u203a totals\n  1 flaky")


@pytest.mark.parametrize("text", [SUREFIRE_FAIL_ON_FLAKE, PLAYWRIGHT_FAIL_ON_FLAKY], ids=["surefire", "playwright"])
def test_a_run_failed_only_by_its_flake_says_so(tmp_path: Path, text: str) -> None:
    f = _first(tmp_path, text)
    assert (f.category, f.priority) == ("flaky-test", "P2")
    assert "the flake alone breaks the pipeline" in f.priority_reason


def test_a_flake_beside_a_test_that_failed_for_good_is_not_called_the_only_cause(tmp_path: Path) -> None:
    f = _first(tmp_path, PLAYWRIGHT_FLAKY_AND_FAILED)
    assert f.priority == "P2" and "alone" not in f.priority_reason
