"""Reruns merged by identity: one Result per test; counts stay raw per <testcase>."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.ingest import junit
from gardener.ingest.junit import collect
from gardener.model import Counts, Result

DATA = Path(__file__).parent.parent / "data" / "junit"
CORPUS = DATA / "corpus"
DIALECTS = DATA / "dialects"
GENERATED = CORPUS / "generated" / "pytest-9.2.0-rerunfailures-16.7"
MIKEPENZ = CORPUS / "mikepenz-action-junit-report" / "test_results"


def by_name(results: tuple[Result, ...]) -> dict[str, Result]:
    named = {r.id.rpartition("::")[2]: r for r in results}
    assert len(named) == len(results), "test names are unique in these files"
    return named


def test_acceptance_pytest_rerunfailures_in_both_families() -> None:
    for family in ("out-xunit1.xml", "out-xunit2.xml"):
        parsed = junit.parse(GENERATED / family)
        results = by_name(parsed.results)
        assert len(parsed.results) == 10  # 14 <testcase> entries, 10 tests
        flaky = results["test_flaky_passes_on_rerun"]
        assert (flaky.outcome, flaky.attempts) == ("flaky", 2)
        always = results["test_always_fails_with_reruns"]
        assert (always.outcome, always.attempts) == ("failed", 3)
        assert always.message.startswith("AssertionError: #x1B[31mANSI red")
        assert results["test_pass"].outcome == "passed"
        # raw counts: every <testcase>, reruns not merged; flaky counts merged results
        assert parsed.counts == Counts(cases=14, failures=4, errors=2, skipped=2, flaky=1)


def test_fail_in_call_then_error_in_teardown_is_one_run_with_the_error() -> None:
    for family in ("out-xunit1.xml", "out-xunit2.xml"):
        result = by_name(junit.parse(GENERATED / family).results)["test_fail_and_teardown_error"]
        assert (result.outcome, result.attempts) == ("error", 1)
        assert result.message == 'failed on teardown with "RuntimeError: teardown exploded"'
        assert "assert False" in result.details  # the call failure is kept beside the teardown error
        assert "RuntimeError: teardown exploded" in result.details


def test_acceptance_surefire_flaky_failure() -> None:
    parsed = junit.parse(MIKEPENZ / "junit_flaky_failure" / "mixed_flaky_and_passed.xml")
    results = by_name(parsed.results)
    flaky = results["testFlaky"]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 2)
    assert (flaky.error_type, flaky.message) == ("java.lang.AssertionError", "java.lang.AssertionError: Flaky failure")
    assert results["testPassed"].outcome == "passed"
    assert parsed.counts == Counts(cases=3, failures=0, errors=0, skipped=0, flaky=1)


def test_surefire_rerun_failures_and_flaky_error() -> None:
    parsed = junit.parse(DIALECTS / "surefire-reruns.xml")
    results = by_name(parsed.results)
    always = results["sendsReminder"]
    assert (always.outcome, always.attempts) == ("failed", 3)  # <failure> + two <rerunFailure>
    assert always.error_type == "org.opentest4j.AssertionFailedError"
    flaky = results["connectsToLedger"]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 2)
    assert flaky.message == "Connection refused: ledger:5432"
    assert flaky.details.startswith("java.net.ConnectException")  # from <stackTrace>
    # interim elements never count by themselves
    assert parsed.counts == Counts(cases=4, failures=1, errors=0, skipped=1, flaky=1)


def test_gotestsum_rerun_fails_entries_later_in_the_suite() -> None:
    parsed = junit.parse(DIALECTS / "gotestsum-rerun-fails.xml")
    results = by_name(parsed.results)
    assert (results["TestConsumeTimeout"].outcome, results["TestConsumeTimeout"].attempts) == ("flaky", 2)
    assert results["TestConsumeTimeout"].message == "queue_test.go:58: timed out after 1s"
    assert (results["TestAck"].outcome, results["TestAck"].attempts) == ("failed", 2)
    assert parsed.counts == Counts(cases=5, failures=3, errors=0, skipped=0, flaky=1)


def test_repeated_entries_outside_pytest() -> None:
    retries = MIKEPENZ / "flaky_retries"
    always = junit.parse(retries / "flaky_all_failures.xml").results
    assert [(r.outcome, r.attempts, r.message) for r in always] == [("error", 3, "third error")]
    first = junit.parse(retries / "flaky_success_first.xml").results
    assert [(r.outcome, r.attempts) for r in first] == [("flaky", 3)]
    mixed = junit.parse(retries / "flaky_with_classname_file.xml").results
    # same name under another classname is another test
    assert [(r.id, r.outcome, r.attempts) for r in mixed] == [
        ("/home/runner/work/foo/bar/test_foo.py::TestFoo::test_foo", "flaky", 3),
        ("/home/runner/work/foo/bar/test_bar.py::TestBar::test_foo", "passed", 1),
        ("/home/runner/work/foo/bar/test_baz.py::TestBaz::test_baz", "passed", 1),
    ]


def test_go_failure_then_pass_and_testng_skip_then_failure() -> None:
    go = by_name(junit.parse(MIKEPENZ / "junit-server-test" / "report.xml").results)
    assert (go["TestWebSocketReconnectRace"].outcome, go["TestWebSocketReconnectRace"].attempts) == ("flaky", 2)
    testng = junit.parse(
        CORPUS / "dorny-test-reporter/fixtures/external/java/TEST-org.apache.pulsar.AddMissingPatchVersionTest.xml"
    )
    (result,) = testng.results
    assert (result.outcome, result.attempts, result.error_type) == ("failed", 2, "java.lang.AssertionError")


def test_variants_and_suites_keep_tests_apart() -> None:
    pytest_results = junit.parse(DIALECTS / "pytest-xunit1.xml").results
    div = [(r.variant, r.outcome) for r in pytest_results if r.id.endswith("::test_div")]
    assert div == [("0-1", "passed"), ("1-0", "failed")]
    nested = junit.parse(MIKEPENZ / "nested" / "junit.xml").results  # classname="" everywhere
    assert [(r.id, r.outcome) for r in nested] == [
        ("TestA::A", "failed"),
        ("TestA::B", "passed"),
        ("TestB::A", "passed"),
        ("TestB::B", "failed"),
        ("packet::A", "failed"),
    ]


def test_results_keep_document_order_when_a_pass_comes_first(tmp_path: Path) -> None:
    report = tmp_path / "order.xml"
    report.write_text(
        '<testsuite name="s">'
        '<testcase classname="C" name="a"/>'
        '<testcase classname="C" name="b"><failure message="b broke"/></testcase>'
        '<testcase classname="C" name="c"/>'
        '<testcase classname="C" name="a"><failure message="a broke later"/></testcase>'
        "</testsuite>"
    )
    results = junit.parse(report).results
    assert [(r.id, r.outcome, r.attempts) for r in results] == [
        ("C::a", "flaky", 2),
        ("C::b", "failed", 1),
        ("C::c", "passed", 1),
    ]
    assert results[0].message == "a broke later"
    assert results[0].source_line == 1


def test_pytest_entry_with_a_result_before_a_pass_is_not_a_rerun(tmp_path: Path) -> None:
    """pytest-subtests writes one entry per failing subtest, then the test's own (passing) one;
    rerunfailures never leaves a result on an earlier attempt, so this is a failure, not a flake."""
    report = tmp_path / "subtests.xml"
    report.write_text(
        '<testsuites name="pytest tests"><testsuite name="pytest">'
        '<testcase classname="tests.test_sub" name="test_parts"><failure message="assert 2 == 3"/></testcase>'
        '<testcase classname="tests.test_sub" name="test_parts"/>'
        "</testsuite></testsuites>"
    )
    (result,) = junit.parse(report).results
    assert (result.id, result.outcome, result.attempts, result.message) == (
        "tests/test_sub.py::test_parts",
        "failed",
        1,
        "assert 2 == 3",
    )


def test_repeated_passes_outside_pytest_stay_passed(tmp_path: Path) -> None:
    report = tmp_path / "count2.xml"  # go test -count=2
    report.write_text(
        '<testsuites><testsuite name="pkg">'
        '<testcase classname="pkg" name="TestA"/><testcase classname="pkg" name="TestA"/>'
        "</testsuite></testsuites>"
    )
    (result,) = junit.parse(report).results
    assert (result.outcome, result.attempts) == ("passed", 2)


def test_past_the_listing_limit_results_keep_first_appearance_order(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Passed tests are only counted past QUIET_LISTED; one of them failing later still dates from its pass,
    before the failures that came between (its group is made out of order and sorted back)."""
    monkeypatch.setattr(collect, "QUIET_LISTED", 2)
    report = tmp_path / "late.xml"
    report.write_text(
        '<testsuite name="s">'
        '<testcase classname="C" name="p1"/><testcase classname="C" name="p2"/><testcase classname="C" name="p3"/>'
        '<testcase classname="C" name="b"><failure message="b broke"/></testcase>'
        '<testcase classname="C" name="p2"><failure message="p2 broke later"/></testcase>'
        '<testcase classname="C" name="c"><error message="c errored"/></testcase>'
        '<testcase classname="C" name="c"><error message="c errored again"/></testcase>'
        "</testsuite>"
    )
    parsed = junit.parse(report)
    assert [(r.id, r.outcome, r.attempts, r.message) for r in parsed.results] == [
        ("C::p2", "flaky", 2, "p2 broke later"),
        ("C::b", "failed", 1, "b broke"),
        ("C::c", "error", 2, "c errored again"),
    ]
    assert parsed.counts.cases == 7
