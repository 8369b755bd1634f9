"""Classification mechanisms found on unseen outages (round 2): each on a small real-shaped input.

Compiler, testify, race-detector, Rust-assertion and cargo-crash lines; pnpm's run wrappers and frozen
lock files; a TypeScript build error that leaves the e2e server missing; a CI service named by its
health check; priority reasons that count tests as findings do; a rule's own layer.
"""

from __future__ import annotations

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.correlate import correlate
from gardener.errors import InputError
from gardener.model import Finding, Result
from gardener.rules.loader import builtin_rules, parse_rules
from tests.rules.helpers import failing_test, log_incident


def one(*results: Result) -> Finding:
    (finding,) = find(results, Config())
    return finding


def test_a_go_compile_error_is_keyed_and_titled_by_the_compiler_line() -> None:
    f = one(log_incident("# example.com/shop/billing [example.com/shop/billing.test]\n"
                         "billing/invoice.go:57:12: undefined: roundHalfEven\n"
                         "FAIL\texample.com/shop/billing [build failed]"))
    assert f.category == "compile-error" and f.priority == "P1"  # issue 12: the package does not compile
    assert f.signature.text == "Go compile error: billing/invoice.go: undefined: roundHalfEven"
    assert "roundHalfEven" in f.title


def test_a_testify_failure_is_signed_by_its_inequality_not_its_trace_line() -> None:
    details = ("    accounts_test.go:88: \n"
               "        \tError Trace:\t/src/api/accounts_test.go:88\n"
               "        \tError:      \tNot equal: \n"
               "        \t            \texpected: 20\n"
               "        \t            \tactual  : 19\n"
               "    --- FAIL: TestList/paginates (0.01s)")
    f = one(failing_test("api::TestList/paginates", "Not equal", details=details))
    assert f.category == "assertion-failure"
    assert f.signature.text == "api::TestList/paginates :: Not equal: expected <n>, actual <n>"


def test_a_data_race_report_is_a_runtime_finding_naming_both_sides() -> None:
    details = ("WARNING: DATA RACE\nWrite at 0x00c000118ae8 by goroutine 14:\n  shop/cache.(*LRU).Put()\n"
               "      /src/cache/lru.go:61 +0x1c4\n\nPrevious read at 0x00c000118ae8 by goroutine 13:\n"
               "  shop/cache.(*LRU).Get()\n      /src/cache/lru.go:39 +0x94\n==================\n"
               "    testing.go:1490: race detected during execution of test\n--- FAIL: TestPut (0.02s)")
    f = one(failing_test("cache::TestPut", "race detected during execution of test", details=details))
    assert f.category == "runtime-exception" and f.rule_id == "runtime.go-data-race"
    assert f.signature.text == "cache::TestPut :: DATA RACE: shop/cache.(*LRU).Put vs shop/cache.(*LRU).Get"


def test_a_rust_assert_eq_panic_is_an_assertion_failure_without_its_line_number() -> None:
    details = ("thread 'tests::ttl' panicked at src/lib.rs:42:9:\nassertion `left == right` failed\n"
               "  left: Some(90)\n right: Some(5400)")
    f = one(failing_test("thumbd::tests::ttl", "assertion `left == right` failed", details=details))
    assert f.category == "assertion-failure" and f.priority == "P2"
    assert f.signature.text == "thumbd::tests::ttl :: assertion failed: left == right: left Some(<n>), right Some(<n>)"


def test_a_signal_killing_a_cargo_test_binary_names_the_binary_without_its_hash() -> None:
    f = one(log_incident("error: test failed, to rerun pass `-p thumbnailer --test decode`\n\nCaused by:\n"
                         "  process didn't exit successfully: `/ws/target/debug/deps/decode-3f2a9c1b7d8e4f60` "
                         "(signal: 11, SIGSEGV: invalid memory reference)"))
    assert f.category == "segfault-crash"
    assert f.title == "Test binary decode crashes with SIGSEGV"


def test_pnpm_run_wrappers_are_not_install_failures_and_a_frozen_lockfile_is_named() -> None:
    wrapper = log_incident(" ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @shop/ui@1.0.0 build: `storybook build`\n"
                           "Exit status 1", path="storybook.log")
    assert all(f.category != "dependency-install-failure" for f in find([wrapper], Config()))
    lock = one(log_incident(' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because '
                            "pnpm-lock.yaml is not up to date with <ROOT>/docs/package.json", path="docs.log"))
    assert lock.category == "dependency-install-failure"
    assert lock.title == "Lock file pnpm-lock.yaml is out of date with docs/package.json"


def test_a_typescript_build_error_is_p0_and_blocks_the_tests_its_missing_server_refuses() -> None:
    build = log_incident("Failed to compile.\n\n./src/cart/CartLine.tsx:42:31\n"
                         "Type error: Property 'discountCents' does not exist on type 'CartLine'.", path="e2e.log")
    never_started = log_incident("Error: Could not find a production build in the '.next' directory. Try building "
                                 "your app with 'next build' before starting the production server.",
                                 path="e2e.log", line=20)
    refused = failing_test("checkout.spec.ts::pays", "Error: page.goto: net::ERR_CONNECTION_REFUSED at "
                           "http://localhost:3000/checkout", path="e2e.log", kind="log")
    findings, edges = correlate(find([build, never_started, refused], Config()))
    ts, down = (next(f for f in findings if f.category == c) for c in ("compile-error", "connection-refused"))
    assert ts.priority == "P0" and "discountCents" in ts.title and len(ts.results) == 2  # the start failure joined
    assert ts.layer == "environment"
    assert any(e.blocker == ts.id and e.blocked == down.id for e in edges)


def test_a_ci_service_health_check_names_the_service_its_clients_are_refused_by() -> None:
    service = log_incident("*** WARNING: Service runner-zx-project-1-concurrent-0-1c2d3e4f5a6b7c8d-postgres-0 "
                           "probably didn't start properly.\n\nHealth check error:\nservice timeout\n\n"
                           "Health check container logs:\nwaiting for TCP connection to 172.17.0.3 on [5432]...",
                           path="job.log")
    refused = [failing_test(f"tests/test_db.py::test_{n}", "psycopg.OperationalError: connection failed: connection "
                            'to server at "172.17.0.3", port 5432 failed: Connection refused', path="job.log",
                            kind="log") for n in range(3)]
    f = one(service, *refused)
    assert f.signature.text == "connection refused: postgres:5432"
    assert "postgres" in f.title
    assert f.priority_reason.startswith("3 of 3 failing tests")  # what the finding counts: tests, not the incident
    assert f.impact == "3 tests affected, 1 log incident."


def test_a_rule_may_act_at_another_layer_than_its_category() -> None:
    rules = parse_rules('[[rules]]\nid = "x"\ncategory = "syntax-error"\nlayer = "environment"\nmatch.text = "boom"\n',
                        "inline.toml", base=builtin_rules())
    assert rules.rules[0].layer == "environment"
    with pytest.raises(InputError, match="layer: must be one of"):
        parse_rules('[[rules]]\nid = "x"\ncategory = "syntax-error"\nlayer = "moon"\nmatch.text = "boom"\n',
                    "inline.toml", base=builtin_rules())


# gcc turning a warning into an error: the `note:` under it names the flag, not the failure.
GCC_WERROR = """src/cart.c: In function 'cart_total':
src/cart.c:41:9: error: unused variable 'vat' [-Werror=unused-variable]
   41 |     int vat = 0;
      |         ^~~
cc1: note: unrecognized command-line option '-Wno-gnu-statement-expression' may have been intended to silence \
earlier diagnostics
cc1: all warnings being treated as errors"""


def test_a_diagnostic_note_the_rule_matched_never_signs_the_finding() -> None:
    """A rule without a key that matches a note line signs by the line the note annotates (the incident's own)."""
    rules = parse_rules('[[rules]]\nid = "werror"\ncategory = "compile-error"\nprecedence = 99\n'
                        'match.text = "note: unrecognized command-line option"\n',
                        "inline.toml", base=builtin_rules())
    r = log_incident(GCC_WERROR, message="src/cart.c:41:9: error: unused variable 'vat' [-Werror=unused-variable]")
    (f,) = find([r], Config(), rules)
    assert f.rule_id == "werror", f.rule_id
    assert "unused variable 'vat'" in f.signature.text and "note:" not in f.signature.text, f.signature.text
