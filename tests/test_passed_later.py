"""A test a log shows failing and then, further down, passing is flaky (gardener/passed_later.py): xcpretty / fastlane
scan list marks, go test's `--- FAIL` / `--- PASS` and gotestsum's testname format under `--rerun-fails`. A pass
before the failure, another test's pass, or separate runs that never show the test passing say nothing. So is a
failure Ginkgo lists in a suite it closes with no failure left (gardener/retry_verdicts.py).

Texts quoted from the public sources named beside them (cut to the lines that matter, nothing reworded)."""

from __future__ import annotations

from pathlib import Path

from gardener.classify import analyse
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from gardener.passed_later import PASSED_LATER, passes_after_failing
from gardener.retry_verdicts import SUITE_VERDICT, verdicts
from gardener.whole_excerpt import ingest_for_classify
from tests.factories import result
from tests.rules.excerpt_first import first_finding_of

# brave/brave-browser#37795: fastlane scan (xcpretty) under Jenkins, a test failing three expectations, then its retry.
XCPRETTY_RETRY = """ [11:23:08]: ▸     ✖ testFetchPriceQuoteSell, Asynchronous wait failed: Exceeded timeout of 2 \
seconds, with unfulfilled expectations: "buyAmountExpectation".
14:23:14  [11:23:08]: ▸     ✖ testFetchPriceQuoteSell, XCTAssertNil failed: "Error Domain=com.apple.XCTestErrorDomain \
Code=0 "(null)""
14:23:14  [11:23:08]: ▸     ✖ testFetchPriceQuoteSell, XCTAssertEqual failed: ("nil") is not equal to \
("Optional("0.875%")")
14:23:14  [11:23:08]: ▸     ✔ testFetchPriceQuoteSell (0.268 seconds)"""
# nfi-hashicorp/gotestsum-rerun-caching (README): gotestsum --rerun-fails=10 --format=testname, the eighth re-run
# passing (re-runs 2-6 cut).
GOTESTSUM_RERUN = """PASS TestAlwaysPasses (0.00s)
=== RUN   TestPassesRarely
--- FAIL: TestPassesRarely (0.00s)
FAIL TestPassesRarely (0.00s)
FAIL .

DONE 2 tests, 1 failure in 3.025s

=== RUN   TestPassesRarely
--- FAIL: TestPassesRarely (0.00s)
FAIL TestPassesRarely (re-run 7) (0.00s)
FAIL .

DONE 8 runs, 9 tests, 8 failures in 4.989s

PASS TestPassesRarely (re-run 8) (0.00s)
PASS ."""
# The same README's last command, `go test -v .` run once more afterwards: a pass of another test above the failure.
GO_PASS_ABOVE = """=== RUN   TestAlwaysPasses
--- PASS: TestAlwaysPasses (0.00s)
=== RUN   TestPassesRarely
--- FAIL: TestPassesRarely (0.00s)
FAIL
FAIL    github.com/nfi-hashicorp/gotestsum-rerun-caching        0.116s
FAIL"""
# nikoksr/assert-go#4: `go test ./...` run in a loop; a failing run's test is never shown passing (no -v), only the
# package's `ok` lines of other runs.
GO_SEPARATE_RUNS = """ok  \tgithub.com/nikoksr/assert-go\t0.307s
--- FAIL: TestConfig_DisableSourceContext (0.00s)
    assert_test.go:79: expected empty source context when disabled
FAIL
FAIL\tgithub.com/nikoksr/assert-go\t0.317s
FAIL
ok  \tgithub.com/nikoksr/assert-go\t0.293s"""


def test_a_pass_below_a_failure_of_the_same_test_is_found() -> None:
    assert passes_after_failing(XCPRETTY_RETRY) == {"testFetchPriceQuoteSell": 4}
    assert passes_after_failing(GOTESTSUM_RERUN, first_line=10) == {"TestPassesRarely": 25}


def test_a_pass_above_or_no_pass_finds_nothing() -> None:
    assert passes_after_failing(GO_PASS_ABOVE) == {}
    assert passes_after_failing(GO_SEPARATE_RUNS) == {}
    # A name that only begins the failed test's is another test.
    assert passes_after_failing("--- FAIL: TestParse (0.00s)\n--- PASS: TestParseAll (0.00s)") == {}


def test_a_retried_test_that_passed_is_flaky(tmp_path: Path) -> None:
    for text in (XCPRETTY_RETRY, GOTESTSUM_RERUN):
        first = first_finding_of(text, Config(), tmp_path)
        assert (first.category, first.priority) == ("flaky-test", "P3"), text


def test_a_failure_never_shown_passing_stays_a_failure(tmp_path: Path) -> None:
    for text in (GO_PASS_ABOVE, GO_SEPARATE_RUNS):
        assert first_finding_of(text, Config(), tmp_path).category != "flaky-test", text


def _lead(outcome: str, properties: tuple[tuple[str, str], ...]) -> tuple[Finding, KeyInput]:
    failure = result("log:job:test-failure:testpassesrarely", outcome=outcome, kind="log", properties=properties,
                     message="--- FAIL: TestPassesRarely (0.00s)", details=GOTESTSUM_RERUN)
    analysis = analyse([failure], Config())
    ((f,),) = [analysis.findings]
    return f, KeyInput(analysis.clusters[f.id].lead)


def test_a_failure_a_later_pass_made_flaky_answers_to_its_key_before() -> None:
    f, lead = _lead("flaky", ((PASSED_LATER, "TestPassesRarely passes on line 16"),))
    assert f.rule_id == "flaky.outcome"
    _, as_failed = _lead("failed", ())
    assert dict(older_keys(lead))["key-v9"] == as_failed.classified.key != lead.classified.key


def test_a_flaky_outcome_a_reader_gave_keeps_its_key() -> None:
    _, lead = _lead("flaky", ())
    assert "key-v9" not in dict(older_keys(lead))


# Ginkgo with flake attempts lists a spec that failed and then passed under `Summarizing 1 Failure:` and still closes
# its suite with no failure left (retry_verdicts.py): cloudfoundry/cf-acceptance-tests#283 (`| 1 Flaked`) and
# onsi/ginkgo#291's kubernetes run (before `Flaked` was printed).
GINKGO_FLAKED = """Summarizing 1 Failure:

[Fail] [apps] An application being staged [It] has its staging log streamed during a push
/go/src/github.com/cloudfoundry/cf-acceptance-tests/apps/staging_log.go:52

Ran 97 of 206 Specs in 6461.578 seconds
SUCCESS! -- 97 Passed | 0 Failed | 1 Flaked | 3 Pending | 106 Skipped

Ginkgo ran 1 suite in 1h47m50.289043003s
Test Suite Passed"""
GINKGO_NO_FLAKED_COUNT = """Summarizing 1 Failure:

[Fail] [k8s.io] Pods [It] should contain environment variables for services [Conformance]
/var/lib/jenkins/workspace/node-pull-build-e2e-test/go/src/k8s.io/kubernetes/_output/local/go/src/k8s.io/kubernetes/\
test/e2e/framework/util.go:2125

Ran 97 of 129 Specs in 562.705 seconds
SUCCESS! -- 97 Passed | 0 Failed | 0 Pending | 32 Skipped

Ginkgo ran 1 suite in 9m25.151025459s
Test Suite Passed"""
# Near misses: a suite that closes with its failure left (the same run had the retry failed too), and a failing suite
# followed by another suite's success (the success rules on its own suite only).
GINKGO_FAILED = GINKGO_FLAKED.replace("SUCCESS! -- 97 Passed | 0 Failed | 1 Flaked", "FAIL! -- 96 Passed | 1 Failed") \
    .replace("Test Suite Passed", "Test Suite Failed")
GINKGO_NEXT_SUITE_PASSED = GINKGO_FAILED + """
Running Suite: Routing Suite
============================
Ran 12 of 12 Specs in 40.1 seconds
SUCCESS! -- 12 Passed | 0 Failed | 0 Pending | 0 Skipped"""


def test_a_ginkgo_suite_closing_with_no_failure_makes_its_listed_failure_flaky(tmp_path: Path) -> None:
    for text in (GINKGO_FLAKED, GINKGO_NO_FLAKED_COUNT):
        first = first_finding_of(text, Config(), tmp_path)
        assert (first.category, first.priority) == ("flaky-test", "P3"), text


def test_a_ginkgo_suite_with_its_failure_left_is_not_flaky(tmp_path: Path) -> None:
    for text in (GINKGO_FAILED, GINKGO_NEXT_SUITE_PASSED):
        assert first_finding_of(text, Config(), tmp_path).category != "flaky-test", text
    assert [v.passed for v in verdicts(GINKGO_NEXT_SUITE_PASSED)] == [False, True]
    assert verdicts(GINKGO_NEXT_SUITE_PASSED)[1].first == GINKGO_NEXT_SUITE_PASSED.split("\n").index(
        "Running Suite: Routing Suite") + 1


def test_a_failure_a_suite_verdict_made_flaky_answers_to_its_key_before() -> None:
    f, lead = _lead("flaky", ((SUITE_VERDICT, "passed after 2 attempts"),))
    assert f.rule_id == "flaky.outcome"
    _, as_failed = _lead("failed", ())
    assert dict(older_keys(lead))["key-v9"] == as_failed.classified.key != lead.classified.key


# Firebase Test Lab's JUnit dialect (Flank, Google's Mobile Harness) marks a case that failed and then passed on a retry
# attempt `flaky="true"` and counts it in the suite's `flakes`: google/mobileharness's MergedXmlWriterTest (the iOS
# merged report), pasted as text.
FTL_FLAKY_XML = """<testsuites>
  <testsuite name="TEST_SUITE_2" tests="2" failures="0" flakes="1" errors="0" skipped="1" time="1.05" \
hostname="localhost">
    <testcase name="TEST_CASE_3" classname="CLASS_3" time="3.333" flaky="true">
      <failure>Exception</failure>
    </testcase>"""
# Near miss: the same report's other suite, a real failure and `flakes="0"`.
FTL_FAILED_XML = """<testsuites>
  <testsuite name="TEST_SUITE" tests="2" failures="1" flakes="0" errors="0" skipped="0" time="1.0" hostname="localhost">
    <testcase name="TEST_CASE_1" classname="CLASS_1" time="1.234">
      <failure>Exception</failure>
    </testcase>"""


def test_a_pasted_ftl_report_marking_a_case_flaky_is_flaky(tmp_path: Path) -> None:
    # The suite and case lines alone (as Flank/Flank#626 pasted its own), which no JUnit reader takes.
    lines = "\n".join(FTL_FLAKY_XML.split("\n")[:3])
    first = first_finding_of(lines, Config(), tmp_path)
    assert (first.category, first.rule_id) == ("flaky-test", "flaky.junit-flaky-attribute")
    assert first_finding_of(FTL_FAILED_XML, Config(), tmp_path).category != "flaky-test"


def test_a_whole_ftl_report_reads_its_flaky_case_as_flaky(tmp_path: Path) -> None:
    # The JUnit reader reads the case attribute: the flaky case is one test that failed and passed (2 attempts); the
    # other suite's case without it (the near miss) stays failed.
    report = tmp_path / "report.xml"
    failed_suite = FTL_FAILED_XML.removeprefix("<testsuites>") + "\n  </testsuite>"
    report.write_text("<?xml version='1.0' encoding='UTF-8' ?>\n" + FTL_FLAKY_XML + "\n  </testsuite>" + failed_suite
                      + "\n</testsuites>\n", encoding="utf-8")
    results = ingest_for_classify([str(report)], Config().rules).results
    assert [(r.outcome, r.attempts) for r in results if r.id.endswith("TEST_CASE_3")] == [("flaky", 2)]
    assert [r.outcome for r in results if r.id.endswith("TEST_CASE_1")] == ["failed"]


def test_a_go_pass_answers_a_go_failure_only_in_the_same_package() -> None:
    # Modelled on `go test -v ./...` over two packages that each have a `TestNew`: pkg a's fails, pkg b's passes.
    two_packages = """=== RUN   TestNew
--- FAIL: TestNew (0.00s)
    new_test.go:12: got nil
FAIL
FAIL\texample.com/m/a\t0.012s
=== RUN   TestNew
--- PASS: TestNew (0.00s)
PASS
ok  \texample.com/m/b\t0.010s"""
    assert passes_after_failing(two_packages) == {}
    # `go test -count=2 -v` of one package: both iterations precede its one verdict.
    repeated = two_packages.replace("FAIL\nFAIL\texample.com/m/a\t0.012s\n", "").replace("m/b", "m/a")
    assert passes_after_failing(repeated) == {"TestNew": 5}
