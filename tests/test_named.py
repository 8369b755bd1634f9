"""Titles name the one test a finding holds when the rule could not capture it (gardener/named.py)."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from gardener.named import short_test_name, with_named_test, without_random_ports
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


def test_many_ephemeral_ports_leave_the_title_naming_the_host_and_a_fixed_port_stays() -> None:
    many = {"host": ["127.0.0.1"], "port": ["48318", "39127"], "endpoint": ["127.0.0.1:48318", "127.0.0.1:39127"]}
    assert without_random_ports(many) == {"host": ["127.0.0.1"],
                                          "endpoint": ["127.0.0.1 (a random port in each failure)"]}
    fixed = {"host": ["db"], "port": ["5432", "6432"], "endpoint": ["db:5432", "db:6432"]}
    assert without_random_ports(fixed) == fixed
    one = {"port": ["48318"], "endpoint": ["127.0.0.1:48318"]}
    assert without_random_ports(one) == one


def test_refusals_on_random_ports_are_titled_by_their_host() -> None:
    refused = [failing_test(f"t.test.ts::case {i}", f"connect ECONNREFUSED 127.0.0.1:{40000 + 97 * i}")
               for i in range(6)]
    (f,) = find(refused, Config())
    assert f.category == "connection-refused" and f.title.startswith("Service at 127.0.0.1 (a random port"), f.title
