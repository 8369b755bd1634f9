"""Test runners' console output read from a CI log as test results: jest and Maven surefire."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log
from gardener.ingest.runner_log.jest_lines import jest_test_id, words
from gardener.ingest.runner_log.surefire_lines import split_test
from gardener.model import Result

LOGS = Path(__file__).parent.parent / "data" / "logs"


def by_id(path: Path) -> dict[str, Result]:
    return {r.id: r for r in runner_log.parse(path).results}


# --- jest ------------------------------------------------------------------------------------


def test_jest_retry_then_pass_is_flaky_naming_the_test_not_a_timeout() -> None:
    results = by_id(LOGS / "jest-retry.log")
    flaky = results["src/inventory/inventory.test.ts::Inventory reserves stock before payment"]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 2)
    assert flaky.message.startswith('thrown: "Exceeded timeout of 5000 ms')  # the failed try, kept as evidence
    assert (flaky.file, flaky.line) == ("src/inventory/inventory.test.ts", 41)
    assert not any(r.error_type == "timeout" for r in results.values())  # no hang incident beside it


def test_jest_retries_of_a_test_that_still_fails_count_as_attempts() -> None:
    results = by_id(LOGS / "jest-retry.log")
    charged = results["src/checkout/checkout.test.ts::Checkout › payment::charges the card once"]
    # Logged twice before the suite's header (and again in "Summary of all failing tests"): one result.
    assert (charged.outcome, charged.attempts, charged.source_line) == ("failed", 3, 47)  # the expect line, not `●`
    assert charged.message == "expect(received).toHaveBeenCalledTimes(expected)"
    assert "Received number of calls: 2" in charged.details
    assert charged.line == 19


def test_jest_top_level_test_console_block_and_leftovers() -> None:
    results = by_id(LOGS / "jest-retry.log")
    receipt = results["src/checkout/checkout.test.ts::formats the receipt"]
    assert (receipt.outcome, receipt.error_type) == ("failed", "TypeError")
    # `● Console` is output, not a failure; the wrappers after the failing tests are not incidents.
    assert sorted(results) == sorted(
        [
            "src/inventory/inventory.test.ts::Inventory reserves stock before payment",
            "src/checkout/checkout.test.ts::Checkout › payment::charges the card once",
            "src/checkout/checkout.test.ts::formats the receipt",
        ]
    )


def test_jest_ids_follow_jest_junit() -> None:
    assert (
        jest_test_id("src/a.test.ts", "Cart › totals › applies coupon")
        == "src/a.test.ts::Cart › totals::applies coupon"
    )
    assert jest_test_id("src/a.test.ts", "works") == "src/a.test.ts::works"
    assert words("Cart › totals  › applies coupon") == "Cart totals applies coupon"


def test_jest_output_without_a_failing_suite_is_not_read_as_failures(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    # A `●` outside a FAIL suite is no test of that suite (the incident finder still sees the line).
    log.write_text(" PASS  src/a.test.ts\n  ● Deploy › staging\nTest Suites: 1 passed, 1 total\n")
    assert [r.id for r in runner_log.parse(log).results if not r.id.startswith("log:")] == []


# --- Maven surefire --------------------------------------------------------------------------


def test_surefire_failures_errors_and_flakes_are_test_results() -> None:
    results = by_id(LOGS / "maven-surefire.log")
    failed = results["org.acme.inventory.StockLedgerTest::reservesAcrossWarehouses"]
    assert (failed.outcome, failed.error_type) == ("failed", "org.opentest4j.AssertionFailedError")
    assert failed.message == "expected: <12> but was: <11>"
    assert "StockLedgerTest.java:88" in failed.details
    error = results["org.acme.inventory.StockLedgerTest::releasesOnCancel"]
    assert (error.outcome, error.error_type) == ("error", "java.lang.NullPointerException")
    flaky = results["org.acme.inventory.ClockSkewTest::acceptsTokensWithinLeeway"]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 3)  # Run 1, Run 2 failed; Run 3: PASS
    assert flaky.message == "expected: <true> but was: <false>"


def test_surefire_parameterized_test_keeps_its_variant_and_is_listed_once() -> None:
    results = runner_log.parse(LOGS / "maven-surefire.log").results
    rounding = [r for r in results if "PriceRoundingTest" in r.id]
    assert [(r.id, r.variant) for r in rounding] == [
        ("org.acme.inventory.PriceRoundingTest::roundsHalfEven(BigDecimal)", "2")
    ]
    # Maven's totals, its "There are test failures" wrapper and its closing advice are no incidents.
    assert [r.id for r in results if r.id.startswith("log:")] == []
    assert len(results) == 4


def test_surefire_3_console_in_a_job_log_and_its_fork_crash() -> None:
    log = Path(__file__).parents[1] / "scenarios" / "data" / "maven-surefire-oom" / "verify-job.log"
    results = runner_log.parse(log).results
    tests = {r.id: r for r in results if not r.id.startswith("log:")}
    assert tests["com.acme.ledger.core.SettlementClockTest::settlesWithinCutoff"].outcome == "flaky"
    payment = tests["com.acme.ledger.api.PaymentControllerTest::createPaymentInForeignCurrency"]
    assert (payment.outcome, payment.attempts, payment.message) == ("failed", 3, "expected:<200> but was:<503>")
    incidents = [r for r in results if r.id.startswith("log:")]
    crash = incidents[0]
    # The crashed fork is one incident: the goal, the crash, exit code 137, the crashed class.
    assert (
        crash.message
        == "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?"
    )
    assert "Process Exit Code: 137" in crash.details and "ReconciliationBatchTest" in crash.details
    assert "Out of memory: Killed process 3988 (java)" in crash.details  # dmesg's line, the step after, joins it
    assert "readiness UP" not in crash.details  # the next step's output does not
    assert len(incidents) == 2  # and the service container's log line (a classification matter)


def test_surefire_test_names() -> None:
    assert split_test("com.acme.FooTest.bar") == ("com.acme.FooTest", "bar")
    assert split_test("bar(com.acme.FooTest)") == ("com.acme.FooTest", "bar")
    assert split_test("com.acme.FooTest.bar(java.lang.String)[1]") == ("com.acme.FooTest", "bar(java.lang.String)[1]")
    assert split_test("FooTest.bar") == ("FooTest", "bar")


def test_surefire_without_maven_level_prefixes(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text(
        "-------------------------------------------------------\n"
        " T E S T S\n"
        "-------------------------------------------------------\n"
        "Running com.acme.FooTest\n"
        "Tests run: 3, Failures: 1, Errors: 1, Skipped: 0, Time elapsed: 0.05 sec <<< FAILURE! - in com.acme.FooTest\n"
        "testBar(com.acme.FooTest)  Time elapsed: 0.01 sec  <<< FAILURE!\n"
        "java.lang.AssertionError: expected:<1> but was:<2>\n"
        "\tat com.acme.FooTest.testBar(FooTest.java:12)\n"
        "testBaz(com.acme.FooTest)  Time elapsed: 0 sec  <<< ERROR!\n"
        "java.lang.IllegalStateException: closed\n"
        "\tat com.acme.FooTest.testBaz(FooTest.java:20)\n"
        "\n"
        "Results :\n"
        "\n"
        "Failed tests: \n"
        "  FooTest.testBar:12 expected:<1> but was:<2>\n"
        "\n"
        "Tests in error: \n"
        "  FooTest.testBaz:20 » IllegalState closed\n"
        "\n"
        "Tests run: 3, Failures: 1, Errors: 1, Skipped: 0\n"
        "\n"
        "[ERROR] There are test failures.\n"
    )
    results = by_id(log)
    bar, baz = results["com.acme.FooTest::testBar"], results["com.acme.FooTest::testBaz"]
    assert (bar.outcome, bar.message, bar.attempts) == ("failed", "expected:<1> but was:<2>", 1)
    assert (baz.outcome, baz.error_type, baz.message) == ("error", "java.lang.IllegalStateException", "closed")
    assert "FooTest.java:20" in baz.details and "testBaz" not in bar.details  # each stack ends at the next report


def test_surefire_2_lists_the_first_failure_on_the_section_line(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text(
        "Results :\n\n"
        "Failed tests:   totals(com.acme.cart.CartTest): expected:<1[2]> but was:<1[1]>\n"
        "  rounds(com.acme.cart.PriceTest): expected:<...0.5[0]>\n\n"
        "Tests in error: \n  loads(com.acme.cart.StoreTest): Connection reset\n\n"
        "Tests run: 40, Failures: 2, Errors: 1, Skipped: 0\n\n"
        "[INFO] BUILD FAILURE\n"
    )
    results = by_id(log)
    assert sorted(results) == ["com.acme.cart.CartTest::totals", "com.acme.cart.PriceTest::rounds",
                               "com.acme.cart.StoreTest::loads"]
    totals = results["com.acme.cart.CartTest::totals"]
    assert (totals.outcome, totals.message) == ("failed", "expected:<1[2]> but was:<1[1]>")
    assert results["com.acme.cart.PriceTest::rounds"].message == "expected:<...0.5[0]>"
    assert results["com.acme.cart.StoreTest::loads"].outcome == "error"


def test_jest_marks_the_failures_of_a_run_in_which_no_test_ran(tmp_path: Path) -> None:
    suite = " FAIL  src/{0}.test.js\n  ● Test suite failed to run\n\n    Cannot find module './{0}.css'\n\n"
    log = tmp_path / "jest.log"
    log.write_text(
        suite.format("a") + "Test Suites: 1 failed, 1 total\nTests:       0 total\n\n"
        + suite.format("b") + " PASS  src/c.test.js\nTest Suites: 1 failed, 1 passed, 2 total\n"
        "Tests:       3 passed, 3 total\n"
    )
    results = by_id(log)
    # Priority reads the mark per input (RunStats.zero_test_sources): a later run in the same log ran tests, so this
    # input shows tests running and neither run's failures are marked (review-12: a workspace's `lerna run test`).
    assert results["src/a.test.js"].properties == ()
    assert results["src/b.test.js"].properties == ()
    log.write_text(suite.format("a") + "Test Suites: 1 failed, 1 total\nTests:       0 total\n")
    assert ("tests_ran", "0") in by_id(log)["src/a.test.js"].properties  # the only run's summary: no test ran


def test_surefire_and_cargo_put_a_failing_test_on_the_line_that_explains_it(tmp_path: Path) -> None:
    """The evidence is the exception or panic message, not the test's header (issue 12)."""
    surefire = tmp_path / "mvn.log"
    surefire.write_text(
        "[INFO] Running com.acme.CartTest\n"
        "[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! "
        "- in com.acme.CartTest\n"
        "[ERROR] com.acme.CartTest.total -- Time elapsed: 0.01 s <<< FAILURE!\n"
        "java.lang.AssertionError: expected:<42> but was:<41>\n"
        "\tat org.junit.Assert.fail(Assert.java:89)\n"
        "\tat com.acme.CartTest.total(CartTest.java:17)\n"
        "\n", encoding="utf-8")
    failed = [r for r in runner_log.parse(surefire).results if r.is_failing]
    assert [(r.id, r.source_line) for r in failed] == [("com.acme.CartTest::total", 4)]
    cargo = tmp_path / "cargo.log"
    cargo.write_text(
        "running 2 tests\n"
        "test tests::adds ... ok\n"
        "test tests::totals ... FAILED\n"
        "\n"
        "failures:\n"
        "\n"
        "---- tests::totals stdout ----\n"
        "thread 'tests::totals' panicked at src/lib.rs:42:9:\n"
        "assertion `left == right` failed\n"
        "  left: 41\n"
        " right: 42\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
        "\n"
        "failures:\n"
        "    tests::totals\n"
        "\n"
        "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n", encoding="utf-8")
    failed = [r for r in runner_log.parse(cargo).results if r.is_failing]
    assert [(r.id.rsplit("::", 1)[-1], r.source_line) for r in failed] == [("totals", 9)]
