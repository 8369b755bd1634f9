"""End to end, round 7: eight more CI outages, each unlike the earlier rounds' (see data7/*/EXPECTED.md).

A stale Liquibase changelog lock that makes every Spring integration test fail (the later ones with Spring's
`failure threshold exceeded`, which no longer names Liquibase); a gem yanked from rubygems.org so `bundle install`
and every later `bundle exec` fail; a Bazel C++ monorepo where one library does not compile while 13 of 15 test
targets pass; a Node matrix where 18 and 20 dial `localhost` as `::1` on random ports; a Go test deadlock ended by
the 10-minute test timeout beside an unrelated testify failure on Jenkins; a docs job whose link check make ignores
while `-W` fails the HTML build; the project's own expired test certificate beside a partner sandbox's 502; a Vite
build that cannot resolve a moved import, so `vite preview` and Playwright's webServer cannot start.

Each folder under data7/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it (what every scenario
keeps is in test_scenario_invariants.py, declared in data7/invariants.toml). Where gardener is wrong, that
assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round
from tests.scenarios.queries import defect, from_file, holders, roots, signature

DATA = Path(__file__).resolve().parent / "data7"

LOCK = "spring-liquibase-lock"
YANKED = "bundler-gem-yanked"
BAZEL = "bazel-cc-one-target"
IPV6 = "mocha-localhost-ipv6"
GOHANG = "go-test-timeout-deadlock"
SPHINX = "sphinx-linkcheck-ignored"
CERT = "pytest-fixture-cert-expired"
VITE = "vite-build-missing-dist"

ROUND = load_round(DATA)  # its CI stamps and wrapper lines: data7/invariants.toml
evidence = ROUND.evidence  # a finding's evidence lines without CI stamps or colours


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


# --- Spring + Liquibase: a stale changelog lock fails every integration test -------------------------------------


# was a defect, fixed by timeout.liquibase-lock
LOCK_CAUSE = ("the first Spring test's `Failed to load ApplicationContext` is keyed and titled as a generic "
              "`Unexpected exception in code under test`: its `Caused by: liquibase.exception.LockException: Could not "
              "acquire change log lock` is not what the finding names")
LOCK_FOLD = ("Spring's `ApplicationContext failure threshold (1) exceeded: skipping repeated attempt` errors (a "
             "consequence of the first context failure) are three independent runtime-exception roots, one per test "
             "class (the `testClass = ...` inside the message splits them), not folded under the context failure")


def lock(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "createsOrderWithCarrierSla").values()
    return f


# was a defect (LOCK_CAUSE, fixed by timeout.liquibase-lock)
def test_lock_first_finding_names_the_changelog_lock(outputs: Outputs) -> None:
    run = outputs.runs[LOCK]
    f = lock(run)
    assert run.findings[0] is f, run.describe()
    assert re.search(r"(?i)changelog lock|change log lock|liquibase", f["title"]), f["title"]
    assert f["category"] in ("timeout-hang", "runtime-exception"), f


# was a defect (LOCK_FOLD, fixed by consequences.py's Spring context refusals)
def test_lock_is_the_only_root_cause(outputs: Outputs) -> None:
    run = outputs.runs[LOCK]
    assert roots(run) == [lock(run)], run.describe()


# was a defect (LOCK_FOLD, fixed by consequences.py's Spring context refusals)
def test_lock_every_integration_test_is_in_it_or_blocked_by_it(outputs: Outputs) -> None:
    run = outputs.runs[LOCK]
    root = lock(run)
    for name in ("rejectsUnknownSku", "savesSlaDeadline", "countsByStatus", "acceptsSignedPickupEvent"):
        (f,) = holders(run, name).values()
        assert f is root or root["id"] in run.blockers(f), (name, run.describe())


# was a defect (P2 for a stale migration lock failing every integration test; fixed by timeout.liquibase-lock)
def test_lock_is_p0(outputs: Outputs) -> None:
    f = lock(outputs.runs[LOCK])
    assert f["priority"] == "P0", f["priority_reason"]


def test_lock_tests_counted_once(outputs: Outputs) -> None:
    run = outputs.runs[LOCK]
    tests = [t for f in run.findings for t in f["tests"]]
    assert len(tests) == len(set(tests)) == 12, run.describe()


LOCK_EVIDENCE = ("a failing test read from the surefire console points at its message line "
                 "(`java.lang.IllegalStateException: Failed to load ApplicationContext for [...]`), never at the "
                 "`Caused by: ... LockException: Could not acquire change log lock` line in its stack that the rule "
                 "matched")


@defect(LOCK_EVIDENCE)
def test_lock_evidence_is_the_lock_exception(outputs: Outputs) -> None:
    run = outputs.runs[LOCK]
    lines = evidence(run, lock(run))
    assert lines and any("Could not acquire change log lock" in line for line in lines), lines


def test_lock_context_hashes_are_masked(outputs: Outputs) -> None:
    for f in outputs.runs[LOCK].findings:
        assert not re.search(r"@(?:5c1bd44c|71e4b308|2a9f0d17)", signature(f)), signature(f)


# --- Bundler: a yanked gem; every later `bundle exec` cannot find the gems ---------------------------------------


def test_yanked_one_p0_install_failure(outputs: Outputs) -> None:
    run = outputs.runs[YANKED]
    (f,) = run.findings
    assert f["category"] == "dependency-install-failure" and f["priority"] == "P0", f
    assert "third party" not in f["priority_reason"], f["priority_reason"]


# was a defect (the title never named the removed gem; fixed by deps.bundler-gem-removed)
def test_yanked_title_names_the_gem(outputs: Outputs) -> None:
    (f,) = outputs.runs[YANKED].findings
    assert "marcel-mimetype" in f["title"], f["title"]


def test_yanked_evidence_is_the_removed_version(outputs: Outputs) -> None:
    run = outputs.runs[YANKED]
    lines = evidence(run, run.findings[0])
    assert lines and all("marcel-mimetype" in line for line in lines), lines


# --- Bazel: one library does not compile; 13 of 15 test targets pass ----------------------------------------------

# was a defect
BAZEL_TESTED = ("Bazel's test summary (`//base:strings_test  PASSED in 0.3s`, `Executed 13 out of 15 tests: 13 tests "
                "pass and 2 fail to build`) is not read as tests that ran: the compile error is raised to P0 because "
                "`no test of the run reported a result, so nothing was tested`")


def bazel(run: Run) -> dict[str, Any]:
    (f,) = run.of("compile-error")
    return f


def test_bazel_one_compile_error_naming_the_symbol(outputs: Outputs) -> None:
    run = outputs.runs[BAZEL]
    assert run.findings == [bazel(run)], run.describe()
    assert "kEarthRadiusM" in bazel(run)["title"] or "haversine.cc" in bazel(run)["title"], bazel(run)["title"]


# was a defect (BAZEL_TESTED, fixed by reading Bazel's run summary in priority_evidence)
def test_bazel_is_p1_because_13_of_15_targets_were_tested(outputs: Outputs) -> None:
    f = bazel(outputs.runs[BAZEL])
    assert f["priority"] == "P1", f["priority_reason"]


def test_bazel_evidence_is_the_gcc_error(outputs: Outputs) -> None:
    run = outputs.runs[BAZEL]
    lines = evidence(run, bazel(run))
    assert lines and all("haversine.cc" in line for line in lines), lines
    assert any("haversine.cc:31:41: error:" in line for line in lines), lines


# --- Node 18/20: `localhost` is ::1, the stub listens on 127.0.0.1 ------------------------------------------------

STUB_P0 = ("a stub the tests start on a random localhost port (the project's own, refusing only the tests that use it "
           "while most of the run passes) is raised to P0 as `a service that is down for every test that needs it` "
           "(node's ::1 refusals, 5 of 47; an expired fixture certificate, 6 of 140)")


def refused(run: Run) -> dict[str, Any]:
    (f,) = run.of("connection-refused")
    return f


def test_ipv6_one_finding_for_every_port_and_path(outputs: Outputs) -> None:
    run = outputs.runs[IPV6]
    f = refused(run)
    assert run.findings == [f], run.describe()
    assert len(set(f["tests"])) == 5, f["tests"]
    assert not re.search(r"\b[3-6]\d{4}\b", signature(f) + f["title"]), (signature(f), f["title"])


def test_ipv6_names_ipv6_loopback(outputs: Outputs) -> None:
    f = refused(outputs.runs[IPV6])
    assert "::1" in f["title"] + signature(f), (f["title"], signature(f))


def test_ipv6_no_finding_from_the_green_node16_job(outputs: Outputs) -> None:
    assert from_file(outputs.runs[IPV6], "test (16.x).log") == []


# was a defect (STUB_P0, fixed by priority_service.per_test_ports)
def test_ipv6_is_p1_not_a_third_party(outputs: Outputs) -> None:
    f = refused(outputs.runs[IPV6])
    assert f["priority"] == "P1", f["priority_reason"]
    assert "does not own" not in f["priority_reason"], f["priority_reason"]


def test_ipv6_evidence_is_the_refusal(outputs: Outputs) -> None:
    run = outputs.runs[IPV6]
    lines = evidence(run, refused(run))
    assert lines and all("ECONNREFUSED ::1:" in line for line in lines), lines


# --- Go: a deadlock ended by the 10-minute test timeout; an unrelated testify failure -------------------------------


def hang(run: Run) -> dict[str, Any]:
    (f,) = run.of("timeout-hang")
    return f


def test_gohang_exactly_two_independent_findings_timeout_first(outputs: Outputs) -> None:
    run = outputs.runs[GOHANG]
    assert len(run.findings) == 2 and all(f["blocked_by"] == [] for f in run.findings), run.describe()
    assert run.findings[0] is hang(run), run.describe()


def test_gohang_timeout_is_p1_naming_the_test(outputs: Outputs) -> None:
    f = hang(outputs.runs[GOHANG])
    assert f["priority"] == "P1", f["priority_reason"]
    assert "TestPoolDrainWaitsForInflight" in f["title"] or "internal/pool" in f["title"], f["title"]
    assert "0xc0" not in f["title"] + signature(f), (f["title"], signature(f))


def test_gohang_evidence_is_the_timeout(outputs: Outputs) -> None:
    run = outputs.runs[GOHANG]
    lines = evidence(run, hang(run))
    assert lines and all(re.search(r"test timed out after 10m0s|TestPoolDrainWaitsForInflight|pool\.go:88", line)
                         for line in lines), lines


def test_gohang_assertion_is_p2(outputs: Outputs) -> None:
    (f,) = outputs.runs[GOHANG].of("assertion-failure")
    assert f["priority"] == "P2" and "TestRouteMatchesWildcardHost" in f["title"], f


# --- Sphinx: make ignores the link check; -W fails the HTML build -------------------------------------------------

IGNORED = ("Sphinx linkcheck's `broken` rows, whose step GNU make ignored (`make: [Makefile:21: linkcheck] Error 1 "
           "(ignored)`), are no finding at all, not a P3 lint finding saying the failure is ignored")


def html(run: Run) -> dict[str, Any]:
    (f,) = [f for f in run.findings if "rotating-secrets" in f["title"]]
    return f


def test_sphinx_html_build_is_the_first_p2_lint_failure(outputs: Outputs) -> None:
    run = outputs.runs[SPHINX]
    f = html(run)
    assert run.findings[0] is f, run.describe()
    assert f["category"] == "lint-failure" and f["priority"] == "P2", f


# was a defect (the -W finding's evidence was a linkcheck `broken` row; fixed by families_code's docs-warning and
# linkcheck anchors)
def test_sphinx_html_evidence_is_the_warning(outputs: Outputs) -> None:
    run = outputs.runs[SPHINX]
    lines = evidence(run, html(run))
    assert lines and all("undefined label: 'rotating-secrets'" in line for line in lines), lines


# was a defect (IGNORED, fixed by lint.sphinx-linkcheck-broken and make's `(ignored)` in priority_evidence)
def test_sphinx_ignored_link_check_is_p3_saying_so(outputs: Outputs) -> None:
    run = outputs.runs[SPHINX]
    links = [f for f in run.findings if any(" broken " in line for line in evidence(run, f)) and f is not html(run)]
    assert links, run.describe()
    for f in links:
        assert f["priority"] == "P3" and re.search(r"(?i)ignored|allowed to fail", f["priority_reason"]), f


def test_sphinx_no_p1_outage_for_an_ignored_link(outputs: Outputs) -> None:
    for f in outputs.runs[SPHINX].findings:
        assert f["priority"] in ("P2", "P3"), f


# --- pytest: the project's own expired test certificate; a partner sandbox's 502 ---------------------------------


def own_cert(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "test_upload_label_over_tls").values()
    return f


def partner(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "test_quote_domestic_parcel").values()
    return f


def test_cert_two_independent_findings_tests_counted_once(outputs: Outputs) -> None:
    run = outputs.runs[CERT]
    assert len(run.findings) == 2 and all(f["blocked_by"] == [] for f in run.findings), run.describe()
    assert own_cert(run) is not partner(run)
    tests = [t for f in run.findings for t in f["tests"]]
    assert len(tests) == len(set(tests)) == 9, run.describe()


def test_cert_own_certificate_is_one_finding_without_ports(outputs: Outputs) -> None:
    f = own_cert(outputs.runs[CERT])
    assert len(f["tests"]) == 6 and "expired" in f["title"], f
    assert not re.search(r"port=\d|:\d{5}\b", signature(f) + f["title"]), signature(f)


# was a defect (STUB_P0, fixed by priority_service.per_test_ports)
def test_cert_own_certificate_is_p1(outputs: Outputs) -> None:
    f = own_cert(outputs.runs[CERT])
    assert f["priority"] == "P1", f["priority_reason"]


def test_cert_own_certificate_is_not_a_third_party(outputs: Outputs) -> None:
    f = own_cert(outputs.runs[CERT])
    assert "does not own" not in f["priority_reason"] and "third part" not in f["priority_reason"], f


# was a defect (requests' 502 HTTPError was a runtime-exception; fixed by network.http-gateway-status)
def test_cert_partner_502_is_a_connection_finding(outputs: Outputs) -> None:
    f = partner(outputs.runs[CERT])
    assert f["category"] == "connection-refused", f


def test_cert_partner_502_is_p1_naming_the_host(outputs: Outputs) -> None:
    f = partner(outputs.runs[CERT])
    assert f["priority"] == "P1" and "sandbox.api.shipfleet.com" in f["priority_reason"], f["priority_reason"]
    assert len(f["tests"]) == 3, f["tests"]


# --- Vite: an unresolved import; vite preview and Playwright's webServer cannot start ------------------------------

VITE_BUILD = ("Rollup's `failed to resolve import \"@/components/PriceTag\"` in `vite build` is an import-collection "
              "error `cannot be resolved when loading tests`, not the app failing to compile")


def vite(run: Run) -> dict[str, Any]:
    return run.findings[0]


def test_vite_is_the_only_root_and_p0(outputs: Outputs) -> None:
    run = outputs.runs[VITE]
    f = vite(run)
    assert roots(run) == [f] and f["priority"] == "P0", run.describe()
    assert "PriceTag" in f["title"] or "Checkout.tsx" in f["title"], f["title"]


# was a defect (VITE_BUILD, fixed by compile.bundler-unresolved-alias-import)
def test_vite_is_a_compile_error(outputs: Outputs) -> None:
    f = vite(outputs.runs[VITE])
    assert f["category"] == "compile-error", f
    assert "loading tests" not in f["title"], f["title"]


def test_vite_consequences_are_folded(outputs: Outputs) -> None:
    run = outputs.runs[VITE]
    root = vite(run)
    for f in run.findings[1:]:
        assert root["id"] in run.blockers(f), run.describe()
