"""The cross-input dedupe: one result per test across a run's report files and console logs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.ingest import ingest
from gardener.ingest.dedupe import dedupe, identity_key, merge
from gardener.model import JOB_LOG_LINE, Result, Source

SCENARIOS = Path(__file__).parents[1] / "scenarios" / "data"


def result(rid: str, kind: str, outcome: str = "failed", details: str = "", **kw: object) -> Result:
    path = "job.log" if kind == "log" else "report.xml"
    return Result(id=rid, outcome=outcome, source=Source(path, kind), source_line=3, details=details, **kw)  # type: ignore[arg-type]


def test_identity_key_reads_jest_separators_as_words() -> None:
    key = identity_key("src/a.test.ts::Cart::applies coupon")
    assert (
        key
        == identity_key("src/a.test.ts::Cart › applies coupon")
        == identity_key("src/a.test.ts::Cart applies coupon")
    )
    assert identity_key("tests/test_x.py") == "tests/test_x.py"
    assert identity_key("tests/test_x.py::TestA::test_b") != identity_key("tests/test_x.py::TestA::test_c")


def test_report_identity_with_the_richer_console_evidence() -> None:
    junit = result("tests/test_a.py::test_x", "junit", details="E assert 1 == 2")
    console = result("tests/test_a.py::test_x", "log", details="E assert 1 == 2\n--- Captured log ---\nlogin rejected")
    merged = merge(console, junit)
    assert (merged.source.kind, merged.details) == ("junit", console.details)
    assert ("job_log", "job.log") in merged.properties  # the job it ran in, for correlation


def test_a_flaky_console_run_beats_a_report_that_saw_only_the_pass() -> None:
    junit = result("src/q.test.ts::Queue::acks", "junit", outcome="passed")
    console = result("src/q.test.ts::Queue acks", "log", outcome="flaky", details="RETRY 1", attempts=2)
    (merged,) = dedupe([junit, console])
    assert (merged.id, merged.outcome, merged.attempts, merged.details) == (
        "src/q.test.ts::Queue::acks",
        "flaky",
        2,
        "RETRY 1",
    )


def test_incidents_are_kept_unless_they_name_a_failing_test() -> None:
    go_test = result("pkg::TestParse", "junit")
    named = result("log:job:go-test:testparse-1a2b3c", "log", properties=(("subject", "TestParse"),))
    other = result("log:job:pull-denied:img-4d5e6f", "log", properties=(("subject", "chatops/api"),))
    assert dedupe([go_test, named, other]) == (go_test, other)


def test_scenario_inputs_one_result_per_test() -> None:
    jest = ingest(sorted(str(p) for p in (SCENARIOS / "jest-monorepo").iterdir() if p.suffix in (".log", ".xml")))
    failing = [r for r in dedupe(jest.results) if r.outcome != "passed"]
    assert sorted((r.id, r.outcome) for r in failing if not r.id.startswith("log:")) == [
        ("src/billing/totals.test.ts::OrderTotals::applies VAT after the discount", "failed"),
        ("src/queue/consumer.test.ts::QueueConsumer::acks the message after the handler resolves", "flaky"),
        ("src/routes/invoices.test.ts", "error"),
        ("src/routes/orders.test.ts", "error"),
    ]
    suite = next(r for r in failing if r.id == "src/routes/orders.test.ts")
    assert suite.source.kind == "junit" and suite.message.startswith("Cannot find module '@acme/shared/dist/money'")


def test_a_console_test_matches_its_report_twin_seen_from_another_root() -> None:
    junit = result("src/a.test.ts::Cart::adds", "junit", details="short")
    console = result("packages/web/src/a.test.ts::Cart › adds", "log", details="longer evidence")
    other = result("packages/api/src/b.test.ts::Cart › adds", "log")  # another file: kept apart
    merged, kept = dedupe([junit, console, other])
    assert (merged.id, merged.details) == ("src/a.test.ts::Cart::adds", "longer evidence")
    assert kept is other


# PHPUnit's console lists a failure under a header naming the test; its JUnit file reports the same test.
PHPUNIT_BLOCK = """There was 1 failure:

1) Tests\\Unit\\CartTest::testTotalAddsVat
Failed asserting that 104 matches expected 105.

/app/tests/Unit/CartTest.php:31"""


def _phpunit(test: str = "tests/Unit/CartTest.php::Tests\\Unit\\CartTest::testTotalAddsVat") -> Result:
    return Result(id=test, outcome="failed", source=Source("junit.xml", "junit"), source_line=None,
                  message="Failed asserting that 104 matches expected 105.", details="/app/tests/Unit/CartTest.php:31")


def _block(text: str = PHPUNIT_BLOCK, occurrences: str = "1") -> Result:
    return Result(id="log:job-php:assertion:failed-asserting-1", outcome="error",
                  source=Source("job-php.log", "log"), source_line=40,
                  message="Failed asserting that 104 matches expected 105.", details=text,
                  properties=(("occurrences", occurrences),))


def test_a_console_failure_block_under_its_test_s_header_joins_that_test() -> None:
    (merged,) = dedupe([_phpunit(), _block()])
    assert merged.id.endswith("CartTest::testTotalAddsVat") and merged.source.path == "junit.xml"
    assert "1) Tests\\Unit\\CartTest::testTotalAddsVat" in merged.details  # the console's longer text
    assert (JOB_LOG_LINE, "job-php.log:40") in merged.properties, merged.properties


def test_one_finding_for_the_phpunit_failure_seen_in_console_and_junit() -> None:
    findings = find(dedupe([_phpunit(), _block()]), Config())
    assert len(findings) == 1 and findings[0].tests == ("tests/Unit/CartTest.php::Tests\\Unit\\CartTest::"
                                                        "testTotalAddsVat",), [f.title for f in findings]


def test_a_repeated_block_or_a_header_naming_two_tests_is_not_one_test_s_copy() -> None:
    assert len(dedupe([_phpunit(), _block(occurrences="12")])) == 2
    two = PHPUNIT_BLOCK.replace("There was 1 failure:", "2) Tests\\Unit\\CartTest::testTotalRoundsHalfUp")
    other = _phpunit("tests/Unit/CartTest.php::Tests\\Unit\\CartTest::testTotalRoundsHalfUp")
    assert len(dedupe([_phpunit(), other, _block(two)])) == 3


def test_a_console_test_named_without_its_file_joins_the_report_test_in_that_file() -> None:
    # minitest's console names `CartTest#test_total [test/models/cart_test.rb:13]`; minitest-reporters' JUnit
    # report names the same test under its file.
    report = result("test/models/cart_test.rb::CartTest::test_total", "junit", details="Minitest::Assertion: x")
    other = result("test/legacy/cart_test.rb::CartTest::test_total", "junit", outcome="passed")
    console = result("CartTest::test_total", "log", file="test/models/cart_test.rb",
                     details="Expected: 107\n  Actual: 100 (the console's longer copy)")
    (merged, kept) = dedupe([report, other, console])
    assert merged.id == report.id and merged.details == console.details and kept == other
    assert ("console_id", "CartTest::test_total") in merged.properties  # the name its key said (key_changes.py)
    # Two report tests of that name and no file to choose between them: neither is taken.
    unsure = replace(console, file=None)
    assert len(dedupe([report, replace(other, outcome="failed"), unsure])) == 3
    # A console test alone keeps its own name.
    assert dedupe([console]) == (console,)


def test_minitest_console_and_its_junit_report_are_one_assertion(tmp_path: Path) -> None:
    (tmp_path / "job.log").write_text(
        "Run bin/rails test\n# Running:\n\nF.\n\n  1) Failure:\n"
        "CartTest#test_total_with_tax [test/models/cart_test.rb:13]:\nExpected: 107\n  Actual: 100\n\n"
        "2 runs, 2 assertions, 1 failures, 0 errors, 0 skips\nError: Process completed with exit code 1.\n")
    (tmp_path / "report.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="CartTest" tests="2" failures="1">\n'
        '<testcase name="test_total_with_tax" file="test/models/cart_test.rb" line="13" classname="CartTest">\n'
        '<failure type="Minitest::Assertion" message="Expected: 107&#10;  Actual: 100">Failure:\n'
        "CartTest#test_total_with_tax [test/models/cart_test.rb:13]\nMinitest::Assertion: Expected: 107\n"
        "  Actual: 100\n</failure></testcase>\n"
        '<testcase name="test_empty" file="test/models/cart_test.rb" line="5" classname="CartTest"/>\n'
        "</testsuite></testsuites>\n")
    parsed = ingest([str(tmp_path / "job.log"), str(tmp_path / "report.xml")])
    (f,) = find(dedupe(parsed.results), Config())
    assert (f.category, f.priority, f.count) == ("assertion-failure", "P2", 1), f
    assert [r.id for r in f.results] == ["test/models/cart_test.rb::CartTest::test_total_with_tax"]
    assert "CartTest#test_total_with_tax" in f.title


def test_reports_alone_without_a_shared_identity_come_back_as_they_are() -> None:
    # dedupe's shortcut (_all_apart): reports only, every identity once; the same objects, in order.
    results = [result(f"tests/test_a.py::test_{i}", "junit") for i in range(5)]
    results.append(result("tests/test_a.py::test_0", "junit", variant="p1"))  # another variant: another identity
    out = dedupe(results)
    assert out == tuple(results) and all(a is b for a, b in zip(out, results, strict=True))


def test_two_reports_of_one_test_still_merge_without_a_console() -> None:
    # Reports only, but one identity twice (jest-junit's `›` against another report's `::`): dedupe's own pass.
    first = result("src/q.test.ts::Queue::acks", "junit", outcome="passed")
    second = result("src/q.test.ts::Queue › acks", "junit", details="Expected 1, received 2")
    other = result("src/q.test.ts::Queue::nacks", "junit")
    (merged, kept) = dedupe([first, second, other])
    assert (merged.id, merged.outcome, merged.details) == ("src/q.test.ts::Queue::acks", "failed",
                                                           "Expected 1, received 2")
    assert kept is other
