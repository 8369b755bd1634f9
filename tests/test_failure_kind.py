"""A test framework's failure kind (gardener/failure_kind.py): a message whose words name nothing, in a block the
framework lists as a failure (an assertion that did not hold), is an assertion failure; in a block it lists as an
error, or with no kind header at all, it is left unnamed. Shapes from PHPUnit (corpus3, corpus6, corpus18 items of
three projects), minitest, test-unit, unittest, NUnit and surefire's documented consoles."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.failure_kind import failure_header
from gardener.line_category import name_line
from gardener.whole_excerpt import ingest_for_classify

# (the lines before the message, the message): the message says only what the test said.
UNDER_A_FAILURE = [
    (["There was 1 failure:", "", "1) Acme\\Tests\\CartTest::test_total"], "this fails the quick brown fox"),
    (["> There were 2 failures:", "> ", "> 1) Acme\\Tests\\CartTest::test_total"], "> custom check did not hold"),
    (["  1) Failure:", "CartTest#test_total [test/cart_test.rb:12]:"], "Cart total was off by one"),
    (["Failure: test_total(CartTest)", "/app/test/cart_test.rb:12:in `test_total'"], "cart total was off by one"),
    (["FAIL: test_total (tests.test_cart.CartTest.test_total)", "-" * 70], "cart total was off by one"),
    (["Errors and Failures:", "1) Failed : Acme.Tests.CartTest.Total"], "  cart total was off by one"),
    (["testTotal(com.acme.CartTest)  Time elapsed: 0.012 s  <<< FAILURE!"], "cart total was off by one"),
    (["[ERROR] com.acme.CartTest.testTotal -- Time elapsed: 0.012 s <<< FAILURE!"], "cart total was off by one"),
    (["── Failure (test-cart.R:3:3): total works ─────────────"], "cart_total(x) not identical to 3."),
    (["1. Failure (at test-cart.R#3): total works"], "cart_total(x) not identical to 3."),
    (["FAIL in (total-test) (cart_test.clj:7)", "cart total"], "(not (= 3 2))"),
    (["total: Test Failed at /home/ci/Acme.jl/test/runtests.jl:12"], "  Evaluated: 2 == 3"),
    (["Total Adds Up                                                         | FAIL |"], "2 != 3"),
]


@pytest.mark.parametrize(("before", "message"), UNDER_A_FAILURE)
def test_a_message_in_a_block_the_framework_lists_as_a_failure_is_an_assertion(before: list[str],
                                                                              message: str) -> None:
    assert name_line(message) is None, message  # its own words name nothing
    named = name_line(message, before)
    assert named is not None and named.category == "assertion-failure", (before, message)
    assert failure_header(before) in named.words


# The same message under an error kind's header, under a failure header that an error header follows, or under a
# summary that says FAILURE! for any kind (surefire's class line).
NOT_A_FAILURE = [
    ["There were 12 errors:", "", "1) Acme\\Tests\\CartTest::test_total"],
    ["There was 1 failure:", "1) Acme\\Tests\\A::test_a", "x", "", "There were 2 errors:", "1) Acme\\Tests\\B::test_b"],
    ["  1) Error:", "CartTest#test_total:"],
    ["ERROR: test_total (tests.test_cart.CartTest.test_total)", "-" * 70],
    ["2) Error : Acme.Tests.CartTest.Total"],
    ["Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.5 s <<< FAILURE! - in com.acme.CartTest"],
    ["testTotal(com.acme.CartTest)  Time elapsed: 0.012 s  <<< ERROR!"],
    ["Error:  com.acme.CartTest.testTotal  Time elapsed: 4.94 s  <<< ERROR!"],
    ["── Error (test-cart.R:3:3): total works ─────────────"],
    ["ERROR in (total-test) (cart_test.clj:7)"],
    ["total: Error During Test at /home/ci/Acme.jl/test/runtests.jl:12"],
    ["Building the cart service", "FAILURE: Build failed with an exception."],
    ["Total Adds Up                                                         | PASS |"],
]


@pytest.mark.parametrize("before", NOT_A_FAILURE)
def test_a_message_under_an_error_or_no_kind_is_not_named_so(before: list[str]) -> None:
    assert failure_header(before) == ""
    named = name_line("cart total was off by one", before)
    assert named is None or named.category != "assertion-failure", before


def test_phpunits_failure_with_a_message_of_its_own_is_an_assertion_failure(tmp_path: Path) -> None:
    # corpus18's PHPUnit item: a failure whose message is the test's own text (no assertion words) went unclassified.
    log = tmp_path / "phpunit.txt"
    log.write_text("\n".join([
        "PHPUnit 9.5.10 by Sebastian Bergmann and contributors.",
        "",
        "F",
        "",
        "There was 1 failure:",
        "",
        "1) Acme\\Tests\\Handler\\ReportTest::exports_context",
        "this fails The quick brown fox (array) Acme\\Tests\\Handler\\ReportTest",
        "",
        "/app/tests/Handler/ReportTest.php:41",
        "",
        "FAILURES!",
        "Tests: 1, Assertions: 1, Failures: 1.",
    ]) + "\n", encoding="utf-8")
    config = Config()
    findings = find(ingest_for_classify([str(log)], config.rules).results, config)
    assert findings and findings[0].category == "assertion-failure"
