"""End to end: `gardener run --json` on four CI outages the developers have not seen.

Each folder under data/ holds the real input files of one outage and an EXPECTED.md saying what a competent
human gardener concludes. These tests assert those conclusions through the CLI, as a user runs it; what every
scenario keeps (no leak, secret-bearing lines rendered, ...) is in test_scenario_invariants.py. Where
gardener is wrong today, that single assertion carries `xfail(strict=True)` naming the defect, so the suite
stays green and the mark must be removed (the test flips to XPASS → failure) once the defect is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, assert_nothing_leaks, load_round, run_once

DATA = Path(__file__).resolve().parent / "data"
ROUND = load_round(DATA)

S1 = "compose-build-websocket"
S2 = "jest-monorepo"
S3 = "maven-surefire-oom"
S4 = "runner-shutdown-disk"


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


@pytest.fixture(scope="module")
def s1(outputs: Outputs) -> Run:
    return outputs.runs[S1]


@pytest.fixture(scope="module")
def s1_focus(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_once(ROUND.inputs(S1), tmp_path_factory.mktemp("s1focus"), "--json", "--focus", "websocket")


@pytest.fixture(scope="module")
def s1_focus_text(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_once(ROUND.inputs(S1), tmp_path_factory.mktemp("s1text"), "--focus", "websocket")


@pytest.fixture(scope="module")
def s2(outputs: Outputs) -> Run:
    return outputs.runs[S2]


@pytest.fixture(scope="module")
def s3(outputs: Outputs) -> Run:
    return outputs.runs[S3]


@pytest.fixture(scope="module")
def s4(outputs: Outputs) -> Run:
    return outputs.runs[S4]


# --- Scenario 1: compose build fails → pulls denied → services refused; websocket collection error; auth ---------

REFUSED = (
    "test_messages_api.py::test_post_message_returns_201",
    "test_messages_api.py::test_list_messages_paginates",
    "test_migrations.py::test_schema_is_at_head",
    "test_websocket_broadcast.py::test_broadcast_reaches_every_subscriber",
)
API_REFUSED = (REFUSED[0], REFUSED[1], REFUSED[3])  # all three hit the api on 127.0.0.1:8000


def build_finding(run: Run) -> dict[str, Any]:
    builds = run.of("docker-build-failure")
    assert len(builds) == 1, run.describe()
    return builds[0]


def test_s1_build_failure_is_one_p0_docker_build_finding(s1: Run) -> None:
    assert build_finding(s1)["priority"] == "P0"


def test_s1_build_failure_names_the_missing_file(s1: Run) -> None:
    build = build_finding(s1)
    assert "prod.lock" in build["title"] + build.get("root_cause", "") + build["signature"]["text"]


def test_s1_build_failure_is_first_in_resolution_order(s1: Run) -> None:
    assert s1.report["resolution_order"][0] == build_finding(s1)["id"]


def test_s1_pulls_are_one_registry_finding_naming_both_images(s1: Run) -> None:
    pulls = s1.of("registry-access-failure")
    assert len(pulls) == 1, s1.describe()
    assert "chatops/api" in pulls[0]["title"] and "chatops/realtime" in pulls[0]["title"]


def test_s1_pulls_are_blocked_by_the_build(s1: Run) -> None:
    (pulls,) = s1.of("registry-access-failure")
    assert build_finding(s1)["id"] in pulls["blocked_by"]


def test_s1_pulls_are_lowered_to_p1_as_a_consequence_of_the_build(s1: Run) -> None:
    (pulls,) = s1.of("registry-access-failure")
    assert pulls["priority"] == "P1"


def test_s1_each_refused_test_is_in_one_connection_refused_finding_counted_once(s1: Run) -> None:
    for test in REFUSED:
        holders = s1.with_test(test)
        assert len(holders) == 1, (test, s1.describe())
        assert holders[0]["category"] == "connection-refused"
    refused = {f["id"]: f for t in REFUSED for f in s1.with_test(t)}
    assert sum(f["count"] for f in refused.values()) == len(REFUSED)  # log + JUnit seen once
    assert {f["priority"] for f in refused.values()} <= {"P0", "P1"}


def test_s1_tests_refused_by_the_same_service_share_one_finding(s1: Run) -> None:
    holders = {f["id"] for t in API_REFUSED for f in s1.with_test(t)}
    assert len(holders) == 1, s1.describe()
    for f in s1.of("connection-refused"):
        assert "5432" in f["title"] or "8000" in f["title"] or "api" in f["title"], f["title"]


def test_s1_refused_tests_are_blocked_by_the_build(s1: Run) -> None:
    build_id = build_finding(s1)["id"]
    for test in REFUSED:
        (holder,) = s1.with_test(test)
        assert build_id in s1.blockers(holder), test


def test_s1_collection_error_is_a_p1_collection_finding_of_its_own(s1: Run) -> None:
    (collect,) = s1.with_test("test_websocket_typing")
    assert collect["category"] == "import-collection-error"
    assert collect["priority"] == "P1"  # one module of six failed to import, not all of them
    assert collect["tests"] == [t for t in collect["tests"] if "test_websocket_typing" in t]


def test_s1_collection_error_is_one_result_named_by_module_path(s1: Run) -> None:
    (collect,) = s1.with_test("test_websocket_typing")
    assert collect["tests"] == ["tests/integration/test_websocket_typing.py"]
    assert collect["count"] == 1


def test_s1_collection_error_is_independent_of_docker(s1: Run) -> None:
    (collect,) = s1.with_test("test_websocket_typing")
    assert collect["blocked_by"] == []
    assert not any(collect["id"] in f["blocked_by"] for f in s1.findings)


def test_s1_auth_assertion_is_a_finding_of_its_own(s1: Run) -> None:
    (auth,) = s1.with_test("test_auth.py::test_login_returns_token")
    assert auth["tests"] == ["tests/unit/test_auth.py::test_login_returns_token"]
    assert auth["category"] in {"assertion-failure", "auth-error"}
    assert auth["blocked_by"] == []
    assert not any(auth["id"] in f["blocked_by"] for f in s1.findings)


def test_s1_phases_keep_unit_test_failures_out_of_the_infrastructure_phase(s1: Run) -> None:
    (auth,) = s1.with_test("test_auth.py::test_login_returns_token")
    (collect,) = s1.with_test("test_websocket_typing")
    first = s1.report["phases"][0]
    assert auth["id"] not in first["findings"]
    unblocked = [p for p in s1.report["phases"] if "unblock" in p["name"].lower()]
    assert all(collect["id"] not in p["findings"] for p in unblocked)


def test_s1_focus_keeps_the_build_failure(s1_focus: Run) -> None:
    build_finding(s1_focus)


def test_s1_focus_keeps_the_denied_pulls(s1_focus: Run) -> None:
    assert len(s1_focus.of("registry-access-failure")) == 1, s1_focus.describe()


def test_s1_focus_keeps_the_refused_websocket_test_and_the_collection_error(s1_focus: Run) -> None:
    assert [f["category"] for f in s1_focus.with_test("test_websocket_broadcast")] == ["connection-refused"]
    assert [f["category"] for f in s1_focus.with_test("test_websocket_typing")] == ["import-collection-error"]


def test_s1_focus_drops_the_unrelated_auth_assertion(s1_focus: Run) -> None:
    assert s1_focus.with_test("test_auth.py") == []
    kept = {f["id"] for f in s1_focus.findings}
    assert set(s1_focus.report["resolution_order"]) == kept


def test_s1_focus_names_the_documents_after_the_focus(s1_focus_text: Run) -> None:
    names = sorted(s1_focus_text.files)
    assert any(n.startswith("FAILING-TEST-GARDENER-WORKLOG-WEBSOCKET-") for n in names), names
    assert any(n.startswith("FAILING-TEST-GARDENER-SUMMARY-WEBSOCKET-") for n in names), names


# --- Scenario 2: npm ERESOLVE in one job; jest suites that fail to run, an assertion and a retried test in another --


def test_s2_eresolve_is_one_p0_dependency_install_finding(s2: Run) -> None:
    deps = s2.of("dependency-install-failure")
    assert len(deps) == 1, s2.describe()  # the `npm error Lifecycle script` wrapper is not a second one
    assert deps[0]["priority"] == "P0"


def test_s2_eresolve_finding_names_the_conflict(s2: Run) -> None:
    (deps,) = s2.of("dependency-install-failure")
    assert "eslint" in deps["title"] + deps["signature"]["text"]


def test_s2_missing_module_is_one_p1_collection_finding_listing_both_suites(s2: Run) -> None:
    (collect,) = s2.of("import-collection-error")
    assert collect["priority"] == "P1"
    assert any("src/routes/orders.test.ts" in t for t in collect["tests"])
    assert any("src/routes/invoices.test.ts" in t for t in collect["tests"])


def test_s2_missing_module_counts_each_suite_once(s2: Run) -> None:
    (collect,) = s2.of("import-collection-error")
    assert collect["count"] == 2


def test_s2_missing_module_is_not_blocked_by_the_other_jobs_install(s2: Run) -> None:
    (collect,) = s2.of("import-collection-error")
    assert collect["blocked_by"] == []


def test_s2_assertion_failure_is_one_finding(s2: Run) -> None:
    asserts = s2.of("assertion-failure")
    assert len(asserts) == 1, s2.describe()
    assert any("applies VAT after the discount" in t for t in asserts[0]["tests"])
    assert asserts[0]["priority"] == "P2"


def test_s2_test_passing_on_retry_is_flaky_not_a_hang(s2: Run) -> None:
    assert s2.of("timeout-hang") == [], s2.describe()
    (flaky,) = s2.of("flaky-test")
    assert flaky["priority"] == "P3"
    assert any("acks the message after the handler resolves" in t for t in flaky["tests"])


def test_s2_one_finding_per_root_cause(s2: Run) -> None:
    assert len(s2.findings) == 4, s2.describe()


# --- Scenario 3: surefire fork OOM-killed; a dependency service answering 503; a surefire flake -------------------

PAYMENT_TESTS = ("createPaymentInForeignCurrency", "quoteConvertsAtMidRate", "refundRestoresOriginalCurrency")


def test_s3_oom_kill_is_one_p1_finding(s3: Run) -> None:
    ooms = s3.of("out-of-memory")
    assert len(ooms) == 1, s3.describe()
    assert ooms[0]["priority"] == "P1"


def test_s3_oom_kill_is_not_a_runner_failure(s3: Run) -> None:
    assert s3.of("ci-runner-failure") == []
    assert s3.of("out-of-memory") != []


def test_s3_the_three_503_tests_are_one_finding(s3: Run) -> None:
    holders = {f["id"] for m in PAYMENT_TESTS for f in s3.with_test(m)}
    assert len(holders) == 1, s3.describe()
    (holder,) = (f for f in s3.findings if f["id"] in holders)
    assert holder["count"] == 3


def test_s3_503_from_the_service_is_connection_refused(s3: Run) -> None:
    for method in PAYMENT_TESTS:
        assert [f["category"] for f in s3.with_test(method)] == ["connection-refused"], method


def test_s3_surefire_flake_is_a_p3_flaky_finding(s3: Run) -> None:
    (flaky,) = s3.of("flaky-test")
    assert flaky["priority"] == "P3"
    assert flaky["tests"] == ["com.acme.ledger.core.SettlementClockTest::settlesWithinCutoff"]


def test_s3_flaky_finding_counts_its_result(s3: Run) -> None:
    (flaky,) = s3.of("flaky-test")
    assert flaky["count"] == 1


def test_s3_flake_is_not_also_an_assertion_failure(s3: Run) -> None:
    (flaky,) = s3.of("flaky-test")
    others = [f for f in s3.findings if f is not flaky and "expected:<true> but was:<false>" in f["signature"]["text"]]
    assert others == [], s3.describe()


def test_s3_service_log_warning_is_not_a_hang(s3: Run) -> None:
    assert s3.of("timeout-hang") == [], s3.describe()


def test_s3_one_finding_per_root_cause(s3: Run) -> None:
    assert len(s3.findings) == 3, s3.describe()


# --- Scenario 4: disk fills during a docker pull; runner shutdown mid-test; one pytest-timeout ----------------------


def test_s4_disk_full_is_one_p0_finding(s4: Run) -> None:
    disks = s4.of("disk-full")
    assert len(disks) == 1, s4.describe()
    assert disks[0]["priority"] == "P0"


def test_s4_disk_full_claims_no_test(s4: Run) -> None:
    (disk,) = s4.of("disk-full")
    assert disk["tests"] == []


def test_s4_disk_full_error_details_show_the_enospc_line(s4: Run) -> None:
    worklog = next(text for name, text in s4.files.items() if "WORKLOG" in name)
    assert "failed to register layer" in worklog


def test_s4_runner_shutdown_is_a_runner_failure_not_oom(s4: Run) -> None:
    runner = s4.of("ci-runner-failure")
    assert len(runner) == 1, s4.describe()
    assert runner[0]["priority"] in {"P0", "P1"}
    assert s4.of("out-of-memory") == []  # exit 137 comes from the shutdown


def test_s4_pytest_timeout_is_one_timeout_finding(s4: Run) -> None:
    hangs = s4.of("timeout-hang")
    assert len(hangs) == 1, s4.describe()
    hang = hangs[0]
    assert hang["tests"] == ["tests/unit/test_export.py::test_export_streams_all_row_groups"]
    assert hang["priority"] in {"P2", "P3"}
    assert hang["count"] == 1


def test_s4_independent_causes_have_no_edges(s4: Run) -> None:
    assert all(f["blocked_by"] == [] for f in s4.findings)


# --- The focused runs: nothing secret or pinging comes out (the plain runs: test_scenario_invariants.py) --------------


@pytest.mark.parametrize("run_name", ("s1_focus", "s1_focus_text"))
def test_no_planted_secret_or_live_mention_in_stdout_or_written_files(
    run_name: str, request: pytest.FixtureRequest
) -> None:
    run: Run = request.getfixturevalue(run_name)
    assert_nothing_leaks(ROUND, run.everything())
