"""PHPUnit's console output read as test results (runner_log/phpunit.py), and classified by what it says."""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.ingest import runner_log
from gardener.whole_excerpt import ingest_for_classify

# The shape of PHPUnit 9's console report: errors, then failures, then warnings (not failing), then the totals.
RUN = """\
PHPUnit 9.6.19 by Sebastian Bergmann and contributors.

.EEEEEEF.W                                                       10 / 10 (100%)

Time: 00:00.231, Memory: 8.00 MB

There were 6 errors:

1) App\\Tests\\CartTest::testTotal
RuntimeException: Price list is not loaded

/app/src/PriceList.php:41
/app/src/Cart.php:17
/app/tests/CartTest.php:12

2) App\\Tests\\CartTest::testDiscount
RuntimeException: Price list is not loaded

/app/src/PriceList.php:41
/app/src/Cart.php:30
/app/tests/CartTest.php:20

3) App\\Tests\\CartTest::testTax with data set #0 (19)
RuntimeException: Price list is not loaded

/app/src/PriceList.php:41
/app/tests/CartTest.php:28

4) App\\Tests\\CartTest::testEmpty
RuntimeException: Price list is not loaded

/app/src/PriceList.php:41
/app/tests/CartTest.php:36

5) App\\Tests\\CartTest::testClear
RuntimeException: Price list is not loaded

/app/src/PriceList.php:41
/app/tests/CartTest.php:44

6) App\\Tests\\OrderTest::testShip
Undefined index: address

/app/src/Order.php:88
/app/tests/OrderTest.php:15

--

There was 1 failure:

1) App\\Tests\\OrderTest::testTotal
Failed asserting that 90 matches expected 100.

/app/tests/OrderTest.php:31

--

There was 1 warning:

1) App\\Tests\\LegacyTest::testOld
The @expectedException annotation is deprecated

ERRORS!
Tests: 10, Assertions: 12, Errors: 6, Failures: 1, Warnings: 1.
"""


def test_errors_and_failures_are_results_named_class_and_method(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RUN)
    parsed = runner_log.parse(log)
    tests = {r.id: r for r in parsed.results if r.is_test}
    assert set(tests) == {"App\\Tests\\CartTest::testTotal", "App\\Tests\\CartTest::testDiscount",
                          "App\\Tests\\CartTest::testTax with data set #0 (19)", "App\\Tests\\CartTest::testEmpty",
                          "App\\Tests\\CartTest::testClear",
                          "App\\Tests\\OrderTest::testShip", "App\\Tests\\OrderTest::testTotal"}
    total = tests["App\\Tests\\CartTest::testTotal"]
    assert (total.outcome, total.error_type, total.source_line) == ("error", "RuntimeException", 10)
    assert (total.file, total.line) == ("/app/src/PriceList.php", 41)  # where it was raised
    failed = tests["App\\Tests\\OrderTest::testTotal"]
    assert failed.outcome == "failed" and failed.message == "Failed asserting that 90 matches expected 100."
    assert (failed.file, failed.line) == ("/app/tests/OrderTest.php", 31)
    assert not [r for r in parsed.results if not r.is_test and r.is_failing]  # the warning is no failure


def test_one_exception_in_most_failing_tests_is_one_p1_finding_first(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RUN)
    config = Config()
    findings = find(ingest_for_classify([str(log)], config.rules).results, config)
    first = findings[0]
    assert (first.category, first.priority, len(first.results)) == ("runtime-exception", "P1", 5)
    # A PHP error with no exception class under `There were N errors:` is still an error raised, not unknown.
    ship = [f for f in findings if any("testShip" in r.id for r in f.results)]
    assert [f.category for f in ship] == ["runtime-exception"]
    assert {f.category for f in findings} == {"runtime-exception", "assertion-failure"}


def test_the_prefiltered_read_is_the_every_line_read(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    log.write_text("".join(f"2026-12-01T10:00:{i % 60:02d}.0000000Z {line}\n"
                           for i, line in enumerate(("noise line",) * 300 + tuple(RUN.splitlines()))))
    assert runner_log.parse(log, chunk_bytes=512) == runner_log.parse_every_line(log)
