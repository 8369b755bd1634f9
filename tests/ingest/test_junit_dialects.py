"""One hand-written file per JUnit writer: identity, evidence, locations, times, suites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gardener.ingest import junit
from gardener.ingest.base import ParsedFile
from gardener.model import Counts, Result

DIALECTS = Path(__file__).parent.parent / "data" / "junit" / "dialects"


def parse(name: str) -> ParsedFile:
    return junit.parse(DIALECTS / name)


def keyed(parsed: ParsedFile) -> dict[tuple[str, str], Result]:
    return {(r.id, r.variant): r for r in parsed.results}


def test_pytest_xunit1_ids_variants_locations_properties() -> None:
    parsed = parse("pytest-xunit1.xml")
    results = keyed(parsed)
    failed = results[("tests/unit/test_math.py::TestDiv::test_div", "1-0")]
    assert failed.outcome == "failed"
    assert failed.message == "ZeroDivisionError: division by zero"
    assert (failed.file, failed.line) == ("tests/unit/test_math.py", 12)  # pytest writes 0-based lines
    assert failed.details.endswith("src/calc.py:3: ZeroDivisionError")
    assert failed.source.path == str(DIALECTS / "pytest-xunit1.xml") and failed.source.kind == "junit"
    assert failed.timestamp == datetime(2024, 6, 1, 8, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    module_level = results[("tests/unit/test_math.py::test_module_level", "")]
    assert (module_level.outcome, module_level.error_type, module_level.message) == (
        "skipped",
        "pytest.skip",
        "needs numpy",
    )
    setup = results[("tests/unit/test_db.py::test_query", "")]
    assert setup.outcome == "error" and setup.message.startswith("failed on setup with")
    assert results[("tests/unit/test_db.py::test_record", "")].properties == (("ticket", "DB-7"),)
    assert parsed.counts == Counts(cases=5, failures=1, errors=1, skipped=1)
    assert parsed.declared is None


def test_pytest_xunit2_ids_match_xunit1_node_ids() -> None:
    results = keyed(parse("pytest-legacy-root.xml"))  # pre-5.1 pytest: <testsuite name="pytest"> root
    post = results[("tests/test_api.py::TestClient::test_post", "")]
    assert post.outcome == "failed"
    assert (post.file, post.line) == ("tests/test_api.py", 12)  # from the traceback's last line
    assert post.timestamp == datetime(2019, 5, 1, 12, 0, 0, 1, tzinfo=UTC)  # no zone given: UTC
    assert ("tests/test_api.py::TestClient::test_get", "") in results


def test_gradle_junit5_parametrized_names() -> None:
    parsed = parse("gradle.xml")
    results = keyed(parsed)
    assert results[("com.acme.math.CalculatorTest::add(int, int)", "1")].outcome == "passed"
    failed = results[("com.acme.math.CalculatorTest::add(int, int)", "2")]
    assert failed.error_type == "org.opentest4j.AssertionFailedError"
    assert failed.message == "org.opentest4j.AssertionFailedError: expected: <5> but was: <4>"
    error = results[("com.acme.math.CalculatorTest::divideByZero()", "")]
    assert (error.outcome, error.error_type) == ("error", "java.lang.IllegalStateException")
    assert error.timestamp == datetime(2024, 3, 1, 10, 15, 30, tzinfo=UTC)
    assert parsed.counts == Counts(cases=4, failures=1, errors=1, skipped=0)


def test_jest_junit_suites_are_files() -> None:
    parsed = parse("jest-junit.xml")
    results = keyed(parsed)
    coupon = results[("src/cart/cart.test.ts::Cart › totals::applies coupon", "")]
    assert coupon.outcome == "failed"
    assert coupon.message == "Error: expect(received).toBe(expected) // Object.is equality"
    assert coupon.suite == "src/cart/cart.test.ts"
    # two tests called "works" with no classname, in two files: two tests
    assert results[("src/cart/cart.test.ts::works", "")].outcome == "passed"
    assert results[("src/util/format.test.ts::works", "")].outcome == "passed"
    # jest-junit's "Test suite failed to run" case is named after its file: it is that file.
    suite_error = results[("src/search/search.test.ts", "")]
    assert suite_error.outcome == "error"
    assert suite_error.message == "Cannot find module './index' from 'src/search/search.test.ts'"
    assert "Cannot find module './index'" in suite_error.details
    assert parsed.counts == Counts(cases=6, failures=1, errors=1, skipped=1)
    assert parsed.declared == Counts(cases=5, failures=1, errors=1, skipped=1)


def test_go_junit_report_message_and_location_from_text() -> None:
    parsed = parse("go-junit-report.xml")
    results = keyed(parsed)
    failed = results[("github.com/acme/app/store::TestGet/missing_key", "")]
    assert failed.message == "store_test.go:42: want ErrNotFound, got <nil>"  # not the bare "Failed"
    assert (failed.file, failed.line) == ("store_test.go", 42)
    skipped = results[("github.com/acme/app/store::TestCompaction", "")]
    assert (skipped.outcome, skipped.message) == ("skipped", "store_test.go:77: slow; run with -long")
    assert parsed.counts == Counts(cases=4, failures=1, errors=0, skipped=1)
    assert parsed.declared is None


def test_phpunit_nested_suites_and_data_sets() -> None:
    parsed = parse("phpunit.xml")
    results = keyed(parsed)
    key = "/app/tests/Unit/PriceTest.php::App.Tests.Unit.PriceTest::testFormats"
    assert results[(key, '"euro"')].outcome == "passed"
    yen = results[(key, '"yen"')]
    assert yen.outcome == "failed" and yen.error_type == "PHPUnit\\Framework\\ExpectationFailedException"
    assert (yen.file, yen.line) == ("/app/tests/Unit/PriceTest.php", 31)
    assert yen.suite == "default/Unit/App\\Tests\\Unit\\PriceTest/App\\Tests\\Unit\\PriceTest::testFormats"
    assert parsed.counts == Counts(cases=4, failures=1, errors=0, skipped=1)


def test_catch2_results_and_status_skip() -> None:
    parsed = parse("catch2.xml")
    results = keyed(parsed)
    failed = results[("unit-tests.global::vectors can be resized/reserving bigger changes capacity", "")]
    assert (failed.outcome, failed.error_type, failed.message) == ("failed", "REQUIRE", "v.capacity() >= 10")
    assert "at /src/tests/vector.cpp:23" in failed.details
    assert results[("unit-tests.global::parser handles garbage", "")].outcome == "error"
    assert results[("unit-tests.global::network round trip", "")].outcome == "skipped"
    assert parsed.counts == Counts(cases=4, failures=1, errors=1, skipped=1)


def test_odd_time_values_never_crash() -> None:
    parsed = parse("odd-values.xml")
    durations = {r.id.rpartition("::")[2]: r.duration_s for r in parsed.results}
    assert durations == {
        "thousands": 1234.5,
        "exponent": 4.5e-05,
        "not_available": None,
        "computed": None,
        "negative": None,
        "empty": None,
        "decimal_comma": 0.25,
    }
    assert parsed.results[0].timestamp == datetime(2021, 3, 7, 10, 36, 56, tzinfo=UTC)
    assert parsed.declared is None  # tests="7.0" agrees with the 7 cases


def test_testcases_directly_under_testsuites() -> None:
    parsed = parse("root-testcases.xml")
    assert [(r.id, r.outcome, r.suite) for r in parsed.results] == [
        ("Command Test: python version", "passed", ""),
        ("File Existence Test: /app/main", "failed", ""),
    ]
    assert parsed.counts == Counts(cases=2, failures=1)


def test_several_results_in_one_case_count_once_by_the_most_severe() -> None:
    parsed = parse("several-results.xml")
    results = {r.id.rpartition("::")[2]: r for r in parsed.results}
    validates = results["validates"]
    assert (validates.outcome, validates.message) == ("failed", "field a missing")
    assert validates.details == "a missing\n\nb missing"
    assert (results["loads"].outcome, results["loads"].error_type) == ("error", "IOError")
    assert results["skips then fails"].outcome == "failed"
    assert parsed.counts == Counts(cases=3, failures=2, errors=1, skipped=0)


def test_status_attributes() -> None:
    parsed = parse("status-attributes.xml")
    outcomes = {r.id: r.outcome for r in parsed.results}
    assert outcomes == {
        "S::disabled": "skipped",
        "S::skipped": "skipped",
        "S::notrun": "skipped",
        "S::run": "passed",
        "S::disabled_but_failed": "failed",  # a result child wins over the status
        "S::upper": "skipped",
    }
    assert parsed.counts == Counts(cases=6, failures=1, errors=0, skipped=4)


def test_nested_suites_keep_their_path() -> None:
    parsed = parse("nested-suites.xml")
    assert [(r.id, r.suite, r.outcome) for r in parsed.results] == [
        ("login::accepts valid user", "chrome/login", "passed"),
        ("login::rejects bad password", "chrome/login", "failed"),
        ("logout::accepts valid user", "chrome/logout", "passed"),
    ]
    assert parsed.results[2].timestamp == datetime(2024, 9, 9, 9, 9, 9, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert parsed.results[0].timestamp is None
    assert [r.source_line for r in parsed.results] == [4, 5, 10]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("utf8-bom.xml", "café ✗"),
        ("utf16-bom.xml", "Größe ≠ 3"),
        ("latin1-declared.xml", "résumé mismatch"),
        ("namespaced.xml", "prefixed"),
    ],
)
def test_encodings_and_prefixes(name: str, message: str) -> None:
    parsed = parse(name)
    failed = [r for r in parsed.results if r.outcome == "failed"]
    assert [r.message for r in failed] == [message]
    head = (DIALECTS / name).read_bytes()[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
    assert junit.sniff(head) == 100


def test_details_are_bounded_keeping_head_and_tail(tmp_path: Path) -> None:
    body = "first line of the traceback\n" + "x" * 50_000 + "\nValueError: the actual error"
    report = tmp_path / "long.xml"
    report.write_text(
        f'<testsuite name="s"><testcase classname="C" name="t"><failure>{body}</failure></testcase></testsuite>'
    )
    (result,) = junit.parse(report).results
    assert len(result.details) < 9000
    assert result.details.startswith("first line of the traceback")
    assert result.details.endswith("ValueError: the actual error")
    assert "characters omitted" in result.details
    assert result.message == "first line of the traceback"
