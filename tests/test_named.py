"""Titles name the one test a finding holds when the rule could not capture it (gardener/named.py)."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from gardener.named import short_test_name, with_named_test
from tests.rules.helpers import failing_test


def test_a_go_assertion_without_its_fail_line_is_titled_by_its_test() -> None:
    """go-junit-report keeps the `cart_test.go:41:` line and not the `--- FAIL: TestTotal` one."""
    r = failing_test("github.com/acme/shop/cart::TestTotal", "cart_test.go:41: total: expected 105, got 104",
                     details="    cart_test.go:41: total: expected 105, got 104")
    (f,) = find([r], Config())
    assert f.category == "assertion-failure", f.title
    assert f.title == "Assertion fails in TestTotal", f.title


def test_a_finding_of_several_tests_keeps_the_fallback_and_a_captured_test_wins() -> None:
    two = [failing_test(f"pkg::TestTotal{i}", "boom") for i in range(2)]
    assert "test" not in with_named_test({}, two)
    assert with_named_test({}, two[:1]) == {"test": ["pkg.TestTotal0"]}
    assert with_named_test({"test": ["TestX/case"]}, two[:1]) == {"test": ["TestX/case"]}


def test_short_names_drop_the_file_and_namespace_and_keep_the_class() -> None:
    assert short_test_name("Acme.Manifest.Tests.ManifestPathTests::RelativeTo_X") == "ManifestPathTests.RelativeTo_X"
    assert short_test_name("tests/test_cart.py::TestCart::test_total") == "TestCart.test_total"
    assert short_test_name("tests/test_cart.py::test_total") == "test_total"
    assert short_test_name("test/acme/money_test.exs::Acme.MoneyTest::test pads") == "MoneyTest.test pads"
    assert short_test_name("TestTotal") == "TestTotal"
