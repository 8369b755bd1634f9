"""End to end, round 4: fourteen more CI outages, each unlike the earlier rounds' (see data4/*/EXPECTED.md).

A migration that errors every integration test in setup; Docker Hub's 429 on the arm leg of a build matrix; a runner
filling its disk mid-job with the job's later steps failing on what was never written; a third party's expired TLS
certificate; a websocket flake among real failures in a pytest report-log; one parametrised case of many; a pip
resolver conflict with the conftest import error after it; a circular import in Azure Pipelines; a Kotlin compile
error stopping `gradlew check`; an OOM-killed xdist worker; a compose service on the wrong network (DNS); a Flyway
checksum mismatch that stops a stack whose e2e tests are then refused (a chain) beside an independent lint job;
vitest failures whose ports and temp names vary per test; a Jenkins/Maven run with a helpful NPE and secrets in
surefire's reports.

Each folder under data4/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it (what every scenario
keeps is in test_scenario_invariants.py, declared in data4/invariants.toml). Where gardener is wrong, that
assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, text
from tests.scenarios.queries import defect, from_file, holders, roots

DATA = Path(__file__).resolve().parent / "data4"

MIG = "actions-alembic-migration"
ARM = "buildx-arm-ratelimit"
DISK = "actions-enospc-cascade"
TLS = "go-x509-expired-partner"
FLAKY = "reportlog-flaky-websocket"
PARAM = "pytest-one-param"
PIP = "pip-resolver-conftest"
CIRC = "azure-circular-import"
KT = "gradle-kotlin-compile"
OOM = "xdist-worker-oom"
DNS = "compose-dns-network"
FLY = "gitlab-flyway-chain"
PORTS = "vitest-ephemeral-ports"
NPE = "jenkins-maven-npe-secrets"


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


def run_of(outputs: Outputs, scenario: str) -> Run:
    return outputs.runs[scenario]


# --- A migration fails in a session fixture: every integration test errors in setup -----------------------------

MIG_MODULES = ("test_invoices_api", "test_tenants_api", "test_payments_webhook", "test_reports")


def mig_holders(run: Run) -> dict[str, dict[str, Any]]:
    return {fid: f for m in MIG_MODULES for fid, f in holders(run, m).items()}


# was a defect (fixed by key-v3, with the key-v2 signature kept as an alias: gardener/key_changes.py)
def test_mig_one_finding_holds_the_14_setup_errors(outputs: Outputs) -> None:
    run = run_of(outputs, MIG)
    found = mig_holders(run)
    assert len(found) == 1, run.describe()
    (f,) = found.values()
    assert f["count"] == 14 and len(f["tests"]) == 14


def test_mig_is_an_exception_not_an_assertion_or_a_refusal(outputs: Outputs) -> None:
    run = run_of(outputs, MIG)
    assert run.findings and all(f["category"] == "runtime-exception" for f in mig_holders(run).values()), (
        run.describe()
    )


@defect("14 tests erroring in the same setup fixture (every integration module) are one finding now (key-v3 reads "
        "pytest's --tb=short frames) but only P1 (14 of 44 tests): erroring in setup is not read as a tier that never "
        "ran")
def test_mig_every_integration_test_erroring_is_p0_saying_how_many(outputs: Outputs) -> None:
    run = run_of(outputs, MIG)
    for f in mig_holders(run).values():
        assert f["priority"] == "P0", f["priority_reason"]
        assert "14" in f["priority_reason"], f["priority_reason"]


# was a defect: the DB error's title did not say what failed
def test_mig_title_names_the_column_or_relation(outputs: Outputs) -> None:
    run = run_of(outputs, MIG)
    for f in mig_holders(run).values():
        assert "tenant_id" in f["title"] or "invoices" in f["title"] or "DuplicateColumn" in f["title"], f["title"]


def test_mig_evidence_is_the_duplicate_column_line(outputs: Outputs) -> None:
    run = run_of(outputs, MIG)
    for f in mig_holders(run).values():
        lines = run.evidence_lines(f)
        assert any("DuplicateColumn" in line for line in lines), lines


# --- Docker Hub 429 on the arm leg of a buildx matrix ----------------------------------------------------------


def test_arm_is_one_registry_access_failure_from_the_arm_job(outputs: Outputs) -> None:
    run = run_of(outputs, ARM)
    assert len(run.findings) == 1, run.describe()
    assert run.findings[0]["category"] == "registry-access-failure"
    assert from_file(run, "image (ubuntu-24.04).log") == []


def test_arm_evidence_is_the_429_line(outputs: Outputs) -> None:
    run = run_of(outputs, ARM)
    (f,) = run.findings
    lines = run.evidence_lines(f)
    assert lines and all("429" in line or "toomanyrequests" in line for line in lines), lines
    assert not any(line.split("Z ", 1)[-1].startswith("##[error]buildx failed") for line in lines), lines


# was a defect: a 429 was not read as a third party's throttling
def test_arm_rate_limit_is_a_third_party_throttle_saying_so(outputs: Outputs) -> None:
    run = run_of(outputs, ARM)
    (f,) = run.findings
    assert f["priority"] != "P0", f["priority_reason"]
    assert "429" in f["priority_reason"] and "registry-1.docker.io" in f["priority_reason"], f["priority_reason"]


# was a defect: `ubuntu-24.04-arm` was not read as a platform
def test_arm_one_failing_leg_is_p2_naming_arm(outputs: Outputs) -> None:
    run = run_of(outputs, ARM)
    (f,) = run.findings
    assert f["priority"] == "P2", f["priority_reason"]
    assert "ubuntu-24.04-arm" in f["priority_reason"], f["priority_reason"]


# was a defect: the rate-limit title named neither registry nor image
def test_arm_title_names_the_registry_or_image(outputs: Outputs) -> None:
    run = run_of(outputs, ARM)
    (f,) = run.findings
    assert "docker.io" in f["title"] or "rust" in f["title"] or "Docker Hub" in f["title"], f["title"]


def test_arm_pasted_429_is_a_registry_access_failure(outputs: Outputs) -> None:
    (f,) = outputs.classified["ratelimit-excerpt.txt"]
    assert f["category"] == "registry-access-failure", f


# --- The runner fills its disk in the build; later steps fail on what was never written -------------------------


def test_disk_first_finding_is_the_p0_disk(outputs: Outputs) -> None:
    run = run_of(outputs, DISK)
    first = run.findings[0]
    assert first["category"] == "disk-full" and first["priority"] == "P0", run.describe()
    assert any("ENOSPC" in line or "disk space" in line for line in run.evidence_lines(first))


def test_disk_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, DISK)
    assert [f["category"] for f in roots(run)] == ["disk-full"], run.describe()


def test_disk_missing_build_output_is_held_or_blocked_by_the_disk(outputs: Outputs) -> None:
    run = run_of(outputs, DISK)
    missing = [f for f in run.findings if "dist/server.js" in text(f) or any("e2e" in t for t in f["tests"])]
    disk = run.findings[0]
    assert missing, run.describe()
    assert all(f is disk or disk["id"] in run.blockers(f) for f in missing), run.describe()


# --- A third party's expired TLS certificate ------------------------------------------------------------------

TLS_TESTS = ("TestLatestRates", "TestHistoricalRates", "TestRatesRetryOn503")


def tls_holders(run: Run) -> dict[str, dict[str, Any]]:
    return {fid: f for t in TLS_TESTS for fid, f in holders(run, t).items()}


# was a defect: testify's wrapper of the x509 expiry was an assertion per test
def test_tls_three_tests_are_one_network_finding(outputs: Outputs) -> None:
    run = run_of(outputs, TLS)
    found = tls_holders(run)
    assert len(found) == 1, run.describe()
    (f,) = found.values()
    assert f["count"] == 3 and f["area"] == "network", run.describe()


# was a defect: a third party's expired certificate was not read as its outage
def test_tls_expired_third_party_certificate_is_p1_naming_the_host(outputs: Outputs) -> None:
    run = run_of(outputs, TLS)
    for f in tls_holders(run).values():
        assert f["priority"] == "P1", f["priority_reason"]
        assert "api.fxpartner.io" in f["priority_reason"] and "api.fxpartner.io" in text(f), f


def test_tls_ledger_assertion_is_independent_p2(outputs: Outputs) -> None:
    run = run_of(outputs, TLS)
    (f,) = holders(run, "TestSettleSplitsRemainder").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["blocked_by"] == []


# was a defect: the pasted expiry was an assertion failure
def test_tls_pasted_expiry_is_not_an_assertion(outputs: Outputs) -> None:
    (f,) = outputs.classified["x509-excerpt.txt"]
    assert f["category"] != "assertion-failure" and "api.fxpartner.io" in text(f), f


# --- A websocket flake among real failures (pytest report-log with reruns) --------------------------------------


def test_flaky_three_independent_findings(outputs: Outputs) -> None:
    run = run_of(outputs, FLAKY)
    assert len(run.findings) == 3 and all(f["blocked_by"] == [] for f in run.findings), run.describe()


def test_flaky_websocket_is_p3_flaky(outputs: Outputs) -> None:
    run = run_of(outputs, FLAKY)
    (f,) = holders(run, "test_subscribe_receives_ticks").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3", f


def test_flaky_real_failures_are_p2_assertions_counted_once(outputs: Outputs) -> None:
    run = run_of(outputs, FLAKY)
    for name in ("test_cancel_refunds_fee", "test_expired_token_rejected"):
        (f,) = holders(run, name).values()
        assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["count"] == 1, f


# was a defect: `test_expired_token_rejected: the ...` was read as a secret assignment
def test_flaky_titles_are_not_mangled_by_redaction(outputs: Outputs) -> None:
    run = run_of(outputs, FLAKY)
    for f in run.findings:
        assert "[REDACTED" not in f["title"], f["title"]


# was a defect: `assert 200 == 401` (status first) was titled `the request was refused`
def test_flaky_status_assertion_title_does_not_say_refused_when_200_was_answered(outputs: Outputs) -> None:
    run = run_of(outputs, FLAKY)
    (f,) = holders(run, "test_expired_token_rejected").values()
    assert "refused" not in f["title"], f["title"]


# --- One parametrised case of many -----------------------------------------------------------------------------


def test_param_is_one_p2_assertion_holding_the_case(outputs: Outputs) -> None:
    run = run_of(outputs, PARAM)
    (f,) = run.findings
    assert f["category"] == "assertion-failure" and f["priority"] == "P2", f
    assert f["tests"] == ["tests/test_duration.py::test_parse_duration[1h30m-5400]"]


# was a defect: the reason said only `defaults to P2`
def test_param_reason_says_how_much_fails(outputs: Outputs) -> None:
    run = run_of(outputs, PARAM)
    (f,) = run.findings
    assert "413" in f["priority_reason"] or "parametri" in f["priority_reason"], f["priority_reason"]


# was a defect (fixed by key-v3, with the key-v2 signature kept as an alias: gardener/key_changes.py)
def test_param_signature_does_not_repeat_the_exception_type(outputs: Outputs) -> None:
    run = run_of(outputs, PARAM)
    (f,) = run.findings
    assert "AssertionError: AssertionError" not in f["signature"]["text"], f["signature"]["text"]


# --- pip resolver conflict; the job's later steps fail on what was never installed --------------------------------


def test_pip_first_finding_is_the_p0_resolver_conflict(outputs: Outputs) -> None:
    run = run_of(outputs, PIP)
    first = run.findings[0]
    assert first["category"] == "dependency-install-failure" and first["priority"] == "P0", run.describe()
    assert first["blocked_by"] == []


def test_pip_conftest_import_error_is_not_a_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, PIP)
    assert len(roots(run)) == 1, run.describe()


# was a defect: the resolver conflict's packages were not in the title
def test_pip_title_names_the_conflicting_package(outputs: Outputs) -> None:
    run = run_of(outputs, PIP)
    first = run.findings[0]
    assert "pydantic" in first["title"], first["title"]


def test_pip_evidence_is_the_resolver_not_the_exit_code(outputs: Outputs) -> None:
    run = run_of(outputs, PIP)
    lines = run.evidence_lines(run.findings[0])
    assert any("conflict" in line or "ResolutionImpossible" in line or "Cannot install" in line for line in lines)


# --- A circular import stops collection (Azure Pipelines) -------------------------------------------------------


def test_circ_one_import_collection_finding_naming_module_and_name(outputs: Outputs) -> None:
    run = run_of(outputs, CIRC)
    (f,) = run.findings
    assert f["category"] == "import-collection-error" and f["count"] == 3, run.describe()
    (worklog,) = [t for name, t in run.files.items() if "WORKLOG" in name]
    causes = [line for line in worklog.splitlines() if line.startswith("**Root Cause:**")]
    assert causes, worklog
    for said in (f["title"], *causes):
        assert "shop.checkout.session" in said and "CartLine" in said, said
        assert "a module" not in said and "the module" not in said, said


# was a defect: three test modules stopped by one import cycle were counted as one module (the file where the
# chain broke), so the collection was not judged as stopping every test
def test_circ_interrupted_collection_is_p0(outputs: Outputs) -> None:
    run = run_of(outputs, CIRC)
    (f,) = run.findings
    assert f["priority"] == "P0", f["priority_reason"]


def test_circ_pasted_error_names_module_and_name(outputs: Outputs) -> None:
    (f,) = outputs.classified["circular-excerpt.txt"]
    assert f["category"] == "import-collection-error", f
    assert "shop.checkout.session" in text(f) and "CartLine" in text(f), f


# --- A Kotlin compile error stops `gradlew check` -------------------------------------------------------------


def test_kt_one_compile_error_naming_the_file_or_symbol(outputs: Outputs) -> None:
    run = run_of(outputs, KT)
    (f,) = run.findings
    assert f["category"] == "compile-error", run.describe()
    assert "Money.kt" in f["title"] or "roundingMode" in f["title"], f["title"]


def test_kt_evidence_is_the_kotlin_diagnostic(outputs: Outputs) -> None:
    run = run_of(outputs, KT)
    (f,) = run.findings
    lines = run.evidence_lines(f)
    assert lines and all("e: file:///" in line for line in lines), lines


# was a defect: `gradlew check` was not known as a step that runs the tests
def test_kt_compile_error_that_stops_every_test_is_p0(outputs: Outputs) -> None:
    run = run_of(outputs, KT)
    (f,) = run.findings
    assert f["priority"] == "P0", f["priority_reason"]


def test_kt_pasted_diagnostic_is_a_compile_error(outputs: Outputs) -> None:
    found = outputs.classified["kotlin-excerpt.txt"]
    assert found and found[0]["category"] == "compile-error", found
    assert "roundingMode" in text(found[0]) or "Money.kt" in text(found[0])


# --- An xdist worker killed by the OOM killer ------------------------------------------------------------------


# was a defect: xdist's crash header was read as a second test
def test_oom_no_test_is_made_of_the_crash_header(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    tests = [t for f in run.findings for t in f["tests"]]
    assert not [t for t in tests if "CRASHED" in t], tests


# was a defect: a worker killed by signal 9 was a segfault-crash
def test_oom_the_crashed_test_is_held_by_one_out_of_memory_finding(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    (f,) = holders(run, "test_encode_whole_corpus").values()
    assert f["category"] == "out-of-memory" and f["priority"] == "P1", run.describe()
    assert not run.of("segfault-crash"), run.describe()


# was a defect: the kernel's OOM record and the crashed test were two out-of-memory findings of one event
def test_oom_kill_and_crashed_test_are_one_finding(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    assert len(run.of("out-of-memory")) == 1, run.describe()


def test_oom_tokenizer_assertion_is_independent_p2(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    (f,) = holders(run, "test_tokenize_keeps_emoji").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["blocked_by"] == []


# --- A compose service on the wrong network: DNS fails for the cache ---------------------------------------------


def test_dns_one_p0_network_finding_holding_the_7_tests(outputs: Outputs) -> None:
    run = run_of(outputs, DNS)
    (f,) = run.findings
    assert f["category"] == "connection-refused" and f["priority"] == "P0", run.describe()
    assert f["count"] == 7 and "7" in f["priority_reason"]


# was a defect: the host `cache` was lost from the title
def test_dns_title_names_the_host_and_name_resolution(outputs: Outputs) -> None:
    run = run_of(outputs, DNS)
    (f,) = run.findings
    assert "cache" in f["title"] and "cache" in f["signature"]["text"], (f["title"], f["signature"]["text"])
    assert "resol" in f["title"].lower() or "dns" in f["title"].lower(), f["title"]


def test_dns_evidence_is_the_name_resolution_line(outputs: Outputs) -> None:
    run = run_of(outputs, DNS)
    (f,) = run.findings
    assert all("name resolution" in line for line in run.evidence_lines(f)), run.evidence_lines(f)


# --- Flyway refuses to migrate; the api never starts; the e2e tests are refused; ruff fails elsewhere --------------


def fly_migration(run: Run) -> list[dict[str, Any]]:
    return [f for f in run.findings if "checksum mismatch" in text(f).lower() or "flyway" in text(f).lower()
            or "Validate failed" in text(f)]


# was a defect: Flyway's checksum mismatch was no finding
def test_fly_first_finding_is_the_p0_flyway_checksum_mismatch(outputs: Outputs) -> None:
    run = run_of(outputs, FLY)
    (mig,) = fly_migration(run)
    assert run.findings[0] is mig and mig["priority"] == "P0", run.describe()


# was a defect: the refusals stood as the root cause
def test_fly_refusals_are_blocked_by_the_migration(outputs: Outputs) -> None:
    run = run_of(outputs, FLY)
    (mig,) = fly_migration(run)
    refused = holders(run, "e2e/test_shop.py")
    assert refused and all(mig["id"] in run.blockers(f) for f in refused.values()), run.describe()


def test_fly_refusals_are_one_finding_despite_varying_addresses(outputs: Outputs) -> None:
    run = run_of(outputs, FLY)
    found = holders(run, "e2e/test_shop.py")
    assert len(found) == 1 and next(iter(found.values()))["count"] == 6, run.describe()


# was a defect: the health wait's timeout was an independent timeout-hang root cause
def test_fly_health_wait_timeout_is_not_an_independent_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, FLY)
    e2e_roots = [f for f in roots(run) if from_file(run, "e2e-job.log") and f in from_file(run, "e2e-job.log")]
    assert len(e2e_roots) == 1, run.describe()


def test_fly_ruff_is_an_independent_p2_lint_failure(outputs: Outputs) -> None:
    run = run_of(outputs, FLY)
    lint = from_file(run, "lint-job.log")
    assert lint and all(f["category"] == "lint-failure" and f["priority"] == "P2" for f in lint), run.describe()
    assert all(f["blocked_by"] == [] for f in lint) and not any(
        lf["id"] in f["blocked_by"] for lf in lint for f in run.findings
    )


# was a defect: no Flyway finding to link in the summary
def test_fly_summary_links_the_chain(outputs: Outputs) -> None:
    run = run_of(outputs, FLY)
    (summary,) = [t for name, t in run.files.items() if "SUMMARY" in name]
    assert "lock" in summary.lower() and ("flyway" in summary.lower() or "checksum" in summary.lower()), summary


# --- vitest: ephemeral ports and temp names vary per test ----------------------------------------------------


def test_ports_mock_upstream_refusals_are_one_finding(outputs: Outputs) -> None:
    run = run_of(outputs, PORTS)
    found = {**holders(run, "HttpClient"), **holders(run, "Syncer")}
    assert len(found) == 1 and next(iter(found.values()))["count"] == 10, run.describe()


# was a defect: the title named the first failure's random port as if it were a service
def test_ports_title_does_not_name_a_random_port(outputs: Outputs) -> None:
    run = run_of(outputs, PORTS)
    (f,) = {**holders(run, "HttpClient"), **holders(run, "Syncer")}.values()
    assert not re.search(r":(?:3[2-9]|[4-5]\d|60)\d{3}\b", f["title"]), f["title"]


def test_ports_fixed_redis_port_is_its_own_finding_naming_6379(outputs: Outputs) -> None:
    run = run_of(outputs, PORTS)
    (f,) = holders(run, "Cache >").values()
    assert f["count"] == 3 and "6379" in f["title"], f


# was a defect (fixed by key-v3, with the key-v2 signature kept as an alias: gardener/key_changes.py)
def test_ports_temp_dir_enoent_is_one_finding(outputs: Outputs) -> None:
    run = run_of(outputs, PORTS)
    found = holders(run, "export >")
    assert len(found) == 1 and next(iter(found.values()))["count"] == 4, run.describe()


# was a defect (fixed by key-v3, with the key-v2 signature kept as an alias: gardener/key_changes.py)
def test_ports_exactly_three_findings(outputs: Outputs) -> None:
    run = run_of(outputs, PORTS)
    assert len(run.findings) == 3, run.describe()


# --- Jenkins/Maven: a helpful NPE in three tests; secrets in surefire's reports ------------------------------------


def test_npe_is_one_finding_holding_the_three_tests(outputs: Outputs) -> None:
    run = run_of(outputs, NPE)
    (f,) = holders(run, "OrderServiceTest").values()
    assert f["category"] == "runtime-exception" and f["priority"] == "P2" and f["count"] == 3, run.describe()


def test_npe_line_number_is_never_a_port(outputs: Outputs) -> None:
    run = run_of(outputs, NPE)
    for f in run.findings:
        assert not re.search(r"(?i)port 71|:71\b", f["title"] + f["signature"]["text"].replace("java:71", "")), f


# was a defect: a helpful NPE's title did not say what was null
def test_npe_title_names_where_or_what_is_null(outputs: Outputs) -> None:
    run = run_of(outputs, NPE)
    (f,) = holders(run, "OrderServiceTest").values()
    assert "OrderService" in f["title"] or "shippingFee" in f["title"], f["title"]


def test_npe_formatter_assertion_is_independent_p2(outputs: Outputs) -> None:
    run = run_of(outputs, NPE)
    (f,) = holders(run, "padsCents").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["blocked_by"] == []
