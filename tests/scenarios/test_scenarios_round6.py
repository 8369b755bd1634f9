"""End to end, round 6: seven more CI outages, each unlike the earlier rounds' (see data6/*/EXPECTED.md).

A Rust workspace whose build script cannot find `protoc` (the tests and the smoke run then cannot run); a Maven
reactor on Jenkins where one module's failing test skips the three modules after it; a jest suite in a Turborepo on
CircleCI timing out on a partner sandbox answering 503; a Python matrix where only 3.13 fails, importing the removed
`cgi`; an Android lint `NewApi` error next to a real unit-test failure; Playwright on Azure Pipelines with a flaky test
(passed on retry) beside a broken one; a helm deploy on GitLab refused by Kubernetes RBAC.

Each folder under data6/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it (what every scenario
keeps is in test_scenario_invariants.py, declared in data6/invariants.toml). Where gardener is wrong, that
assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round
from tests.scenarios.queries import defect, from_file, holders, roots

DATA = Path(__file__).resolve().parent / "data6"

PROTOC = "rust-buildrs-protoc"
REACTOR = "maven-reactor-core-skips"
PARTNER = "jest-partner-503"
PY313 = "py313-removed-cgi"
ANDROID = "android-lint-and-unit"
PW = "playwright-flaky-and-broken"
HELM = "helm-rbac-forbidden"

ROUND = load_round(DATA)  # its CI stamps and wrapper lines: data6/invariants.toml
evidence = ROUND.evidence  # a finding's evidence lines without CI stamps or colours


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


def run_of(outputs: Outputs, scenario: str) -> Run:
    return outputs.runs[scenario]


# --- Rust: the build script cannot find protoc; the tests and the smoke run cannot run ----------------------------


def protoc(run: Run) -> dict[str, Any]:
    (f,) = [f for f in run.findings if any("protoc" in line for line in run.evidence_lines(f))]
    return f


PROTOC_RULE = ("no rule reads a build script's missing tool: prost-build's `Could not find `protoc`` under cargo's "
               "`failed to run custom build command` is `Job fails without a recognisable cause` (unclassified P2)")


# was a defect (PROTOC_RULE, fixed by deps.build-tool-missing)
def test_protoc_is_the_first_p0_install_failure_naming_protoc(outputs: Outputs) -> None:
    run = run_of(outputs, PROTOC)
    f = protoc(run)
    assert run.findings[0] is f, run.describe()
    assert f["category"] == "dependency-install-failure" and f["priority"] == "P0", f
    assert "protoc" in f["title"].lower() or "pulse-proto" in f["title"], f["title"]


def test_protoc_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, PROTOC)
    assert roots(run) == [protoc(run)], run.describe()
    assert not run.of("compile-error"), run.describe()


def test_protoc_evidence_is_the_build_script_error(outputs: Outputs) -> None:
    run = run_of(outputs, PROTOC)
    lines = evidence(run, protoc(run))
    assert lines and all("Could not find `protoc`" in line or "custom build command for `pulse-proto" in line
                         for line in lines), lines


# was a defect (PROTOC_RULE, fixed by deps.build-tool-missing)
def test_protoc_pasted_excerpt_is_an_install_failure(outputs: Outputs) -> None:
    found = outputs.classified["protoc-excerpt.txt"]
    assert found and found[0]["category"] == "dependency-install-failure", found


# --- Maven: one module's failing test skips the three modules after it -------------------------------------------


def money(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "allocatesRemainderToFirstShares").values()
    return f


def test_reactor_one_assertion_counted_once(outputs: Outputs) -> None:
    run = run_of(outputs, REACTOR)
    f = money(run)
    assert len(run.findings) == 1 and f["count"] == 1, run.describe()
    assert f["category"] == "assertion-failure", f
    assert "MoneyTest" in f["title"] or "allocatesRemainder" in f["title"] or "33.34" in f["title"], f["title"]


# was a defect: Maven's reactor summary (`ledgerly-api ... SKIPPED` after `ledgerly-core ... FAILURE`) was not read
# as the failure stopping the build: the reason said `1 of 117 tests fail`, P2
def test_reactor_failure_that_skips_modules_is_p1_saying_so(outputs: Outputs) -> None:
    f = money(run_of(outputs, REACTOR))
    assert f["priority"] == "P1", f["priority_reason"]
    assert re.search(r"(?i)skip|stop", f["priority_reason"]), f["priority_reason"]


def test_reactor_evidence_is_the_assertion(outputs: Outputs) -> None:
    run = run_of(outputs, REACTOR)
    lines = evidence(run, money(run))
    assert lines and all("33.34" in line for line in lines), lines


# --- jest: a partner sandbox answers 503; the client's retries outlive jest's timeout -----------------------------


def paypal(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "reports a declined receiver").values()
    return f


def test_partner_503_is_a_p1_connection_finding_listed_first(outputs: Outputs) -> None:
    run = run_of(outputs, PARTNER)
    f = paypal(run)
    assert run.findings[0] is f, run.describe()
    assert f["category"] == "connection-refused" and f["priority"] == "P1", f


# was a defect: the 503's host is on the axios error's `url:` line, not beside the status: the reason was
# `connection-refused defaults to P1`, never naming api-m.sandbox.paypal.com nor the 503 as a third party's outage
def test_partner_reason_names_the_host_and_the_503(outputs: Outputs) -> None:
    f = paypal(run_of(outputs, PARTNER))
    assert "api-m.sandbox.paypal.com" in f["priority_reason"] and "503" in f["priority_reason"], f["priority_reason"]


# was a defect: jest timeouts of tests in the same file whose client logged the same host's 503 retries were
# independent timeout-hang roots (three: the report's two and a console copy the reader missed behind Turborepo's
# `@tillpoint/payouts:test: ` prefix); fixed by the jest reader's task prefixes and outage_timeouts.py
def test_partner_one_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, PARTNER)
    assert roots(run) == [paypal(run)], run.describe()


# was a defect (see above)
def test_partner_timeouts_are_in_it_or_blocked_by_it(outputs: Outputs) -> None:
    run = run_of(outputs, PARTNER)
    root = paypal(run)
    for name in ("creates a batch payout", "marks the invoices paid"):
        (f,) = holders(run, name).values()
        assert f is root or root["id"] in run.blockers(f), run.describe()
    assert not [f for f in roots(run) if f["category"] == "timeout-hang"], run.describe()


def test_partner_tests_counted_once(outputs: Outputs) -> None:
    run = run_of(outputs, PARTNER)
    tests = [t for f in run.findings for t in f["tests"]]
    assert len(tests) == len(set(tests)) == 3, run.describe()


def test_partner_evidence_is_the_503(outputs: Outputs) -> None:
    run = run_of(outputs, PARTNER)
    lines = evidence(run, paypal(run))
    assert lines and all("503" in line for line in lines), lines


# --- Python matrix: only 3.13 fails, importing the removed cgi -----------------------------------------------------


def test_py313_one_collection_error_naming_cgi_from_the_313_log(outputs: Outputs) -> None:
    run = run_of(outputs, PY313)
    (f,) = run.findings
    assert f["category"] == "import-collection-error", f
    assert "cgi" in f["title"], f["title"]
    assert from_file(run, "test (3.13).log") == [f]
    assert not from_file(run, "test (3.11).log") and not from_file(run, "test (3.12).log")


@defect("only 3.13 of a three-version matrix fails, yet the reason is `import-collection-error defaults to P1`: "
        "neither the interrupted session nor the matrix entry moves or names it")
def test_py313_only_one_matrix_entry_is_p1_naming_it(outputs: Outputs) -> None:
    (f,) = run_of(outputs, PY313).findings
    assert f["priority"] == "P1", f["priority_reason"]
    assert "3.13" in f["priority_reason"], f["priority_reason"]


def test_py313_evidence_is_the_missing_module(outputs: Outputs) -> None:
    run = run_of(outputs, PY313)
    lines = evidence(run, run.findings[0])
    assert lines and all("No module named 'cgi'" in line or "import cgi" in line or "multipart.py:11" in line
                         for line in lines), lines


# --- Android: a lint NewApi error next to a real unit-test failure -------------------------------------------------


def lint(run: Run) -> dict[str, Any]:
    (f,) = run.of("lint-failure")
    return f


def test_android_exactly_two_independent_findings(outputs: Outputs) -> None:
    run = run_of(outputs, ANDROID)
    assert len(run.findings) == 2 and all(f["blocked_by"] == [] for f in run.findings), run.describe()


@defect("AGP lint's `file.kt:27: Error: ... [NewApi]` line is not the lint finding's evidence: it points at the next "
        "step's `CartViewModelTest > ... FAILED` and the `Lint found errors in the project; aborting build.` wrapper, "
        "titled `A linter fails the job (`:app:lintDebug`)`")
def test_android_lint_is_p2_naming_the_file_or_check(outputs: Outputs) -> None:
    run = run_of(outputs, ANDROID)
    f = lint(run)
    assert f["priority"] == "P2", f["priority_reason"]
    assert re.search(r"ReceiptFormatter|NewApi|LocalDate", f["title"]), f["title"]
    lines = evidence(run, f)
    assert lines and all("Call requires API level 26" in line for line in lines), lines


@defect("the console's `CartViewModelTest > totalIncludesRegionalTax FAILED` and `42 tests completed, 1 failed` are "
        "folded into the lint incident, so the test's finding holds only the report and its reason counts its 9 tests")
def test_android_unit_test_is_a_p2_assertion_counted_once(outputs: Outputs) -> None:
    run = run_of(outputs, ANDROID)
    (f,) = holders(run, "totalIncludesRegionalTax").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["count"] == 1, f
    assert "1 of 42" in f["priority_reason"], f["priority_reason"]


# --- Playwright on Azure: a flaky test (passed on retry) beside a broken one ----------------------------------------


def refund(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "shows the refund total").values()
    return f


# was a defect (the three below): no reader read Playwright's list reporter: the test failing all three attempts
# was `flaky-test` P2 (the summary's `1 flaky` was in its text) and the test that passed on retry #1 had no finding
def test_pw_exactly_two_findings(outputs: Outputs) -> None:
    run = run_of(outputs, PW)
    assert len(run.findings) == 2 and all(f["blocked_by"] == [] for f in run.findings), run.describe()


def test_pw_broken_test_is_the_first_p2_assertion_not_a_hang(outputs: Outputs) -> None:
    run = run_of(outputs, PW)
    f = refund(run)
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["count"] == 1, f
    assert run.findings[0] is f, run.describe()


def test_pw_flaky_test_is_p3(outputs: Outputs) -> None:
    run = run_of(outputs, PW)
    (f,) = holders(run, "shows suggestions while typing").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3", f


def test_pw_evidence_is_the_assertion(outputs: Outputs) -> None:
    run = run_of(outputs, PW)
    lines = evidence(run, refund(run))
    assert lines and all(re.search(r"toHaveText|18\.40|18\.04|orders\.spec\.ts:37", line) for line in lines), lines


# --- helm on GitLab: the deploy refused by Kubernetes RBAC ----------------------------------------------------------


def forbidden(run: Run) -> dict[str, Any]:
    (f,) = [f for f in run.findings if any("forbidden" in line for line in run.evidence_lines(f))]
    return f


HELM_RULE = ("Kubernetes RBAC refusals (`... is forbidden: User \"system:serviceaccount:...\" cannot patch resource`) "
             "match no rule: `Job fails without a recognisable cause` (unclassified P2)")


# was a defect (HELM_RULE, fixed by permission.kubernetes-rbac)
def test_helm_first_finding_is_the_p0_permission_denied(outputs: Outputs) -> None:
    run = run_of(outputs, HELM)
    f = forbidden(run)
    assert run.findings[0] is f and f["category"] == "permission-denied" and f["priority"] == "P0", run.describe()
    assert re.search(r"deployer|deployments|payments|forbidden", f["title"], re.I), f["title"]
    assert not run.of("auth-error"), run.describe()


def test_helm_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, HELM)
    assert roots(run) == [forbidden(run)], run.describe()


def test_helm_evidence_is_the_refusal(outputs: Outputs) -> None:
    run = run_of(outputs, HELM)
    lines = evidence(run, forbidden(run))
    assert lines and all("is forbidden" in line for line in lines), lines


# was a defect: the GitLab locator took the after_script's `Error from server (Forbidden): events is forbidden` (the
# last error) over the step_script's `Error: UPGRADE FAILED: ... is forbidden` that failed the job
def test_helm_evidence_is_the_step_scripts_helm_error(outputs: Outputs) -> None:
    run = run_of(outputs, HELM)
    lines = evidence(run, forbidden(run))
    assert lines and all("UPGRADE FAILED" in line for line in lines), lines


# was a defect (HELM_RULE, fixed by permission.kubernetes-rbac)
def test_helm_pasted_refusal_is_permission_denied(outputs: Outputs) -> None:
    found = outputs.classified["rbac-excerpt.txt"]
    assert found and found[0]["category"] == "permission-denied", found
