"""End to end, round 2: four more CI outages the developers have not seen, in other ecosystems and log formats.

Each folder under data2/ holds the real input files of one outage (Go on GitHub Actions, Python/poetry on GitLab CI,
pnpm/Next.js/Playwright on GitHub Actions, Rust/cargo + docker push on Jenkins), an EXPECTED.md saying what a competent
human gardener concludes, and `*-excerpt.txt` files: parts of those logs pasted on their own, as a user hands them to
`gardener classify`. The tests assert those conclusions through the CLI (`python -m gardener run --json`, `explain`,
`classify`) as a user runs it; what every scenario keeps (explain agrees with run, no leak, ...) is in
test_scenario_invariants.py. Where gardener is wrong today, that single assertion carries `xfail(strict=True)`
naming the defect, so the suite stays green and the mark must go (XPASS fails) once the defect is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, text

DATA = Path(__file__).resolve().parent / "data2"

GO = "go-race-panic"
PG = "poetry-postgres-gitlab"
FE = "pnpm-next-playwright"
RS = "cargo-segv-ghcr-jenkins"


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


@pytest.fixture(scope="module")
def go(outputs: Outputs) -> Run:
    return outputs.runs[GO]


@pytest.fixture(scope="module")
def pg(outputs: Outputs) -> Run:
    return outputs.runs[PG]


@pytest.fixture(scope="module")
def fe(outputs: Outputs) -> Run:
    return outputs.runs[FE]


@pytest.fixture(scope="module")
def rs(outputs: Outputs) -> Run:
    return outputs.runs[RS]


# --- Go: a package that does not compile, a nil-pointer panic, a testify inequality, a data race -------------------


def one_holder(run: Run, test: str) -> dict[str, Any]:
    holders = run.with_test(test)
    assert len(holders) == 1, (test, run.describe())
    return holders[0]


def test_go_build_failure_is_one_p1_collection_finding_for_the_package(go: Run) -> None:
    build = one_holder(go, "internal/billing")
    assert build["category"] == "compile-error", go.describe()  # issue 12: the package does not compile
    assert build["priority"] == "P1"  # one package of five does not compile, not every module
    assert all("internal/billing" in t for t in build["tests"])


def test_go_build_failure_names_the_undefined_identifier(go: Run) -> None:
    build = one_holder(go, "internal/billing")
    assert "roundHalfEven" in build["title"] + build["signature"]["text"]


def test_go_nil_pointer_panic_is_a_runtime_exception_not_a_native_crash(go: Run) -> None:
    panic = one_holder(go, "TestPostEntryForeignCurrency")
    assert panic["category"] == "runtime-exception"
    assert panic["priority"] in {"P1", "P2"}
    assert go.of("segfault-crash") == []


def test_go_testify_inequality_is_a_p2_assertion_failure(go: Run) -> None:
    failed = one_holder(go, "TestListAccounts/paginates")
    assert failed["category"] == "assertion-failure"
    assert failed["priority"] == "P2"


def test_go_testify_signature_shows_the_inequality_and_keeps_line_numbers_apart_from_ports(go: Run) -> None:
    signature = one_holder(go, "TestListAccounts/paginates")["signature"]["text"]
    assert "Not equal" in signature and "<port>" not in signature, signature


def test_go_parent_of_a_failed_subtest_is_not_another_root_cause(go: Run) -> None:
    parents = [f for f in go.findings if "github.com/acme/ledgerd/internal/api::TestListAccounts" in f["tests"]]
    assert all(any(t.endswith("/paginates") for t in f["tests"]) for f in parents), go.describe()


def test_go_data_race_is_not_called_flaky(go: Run) -> None:
    assert go.of("flaky-test") == [], go.describe()


def test_go_data_race_is_a_runtime_finding_naming_the_race(go: Run) -> None:
    race = one_holder(go, "TestLRUConcurrentPut")
    assert race["category"] in {"runtime-exception", "segfault-crash"}, go.describe()
    assert "race" in race["title"].lower() + race["signature"]["text"].lower()


def test_go_pasted_race_report_is_classified_as_a_race(outputs: Outputs) -> None:
    (race,) = outputs.classified["race-excerpt.txt"]
    assert race["category"] in {"runtime-exception", "segfault-crash"}, race
    assert "race" in (race["title"] + race["signature"]["text"]).lower()


def test_go_each_failure_is_counted_once_across_log_and_junit(go: Run) -> None:
    for test in (
        "internal/billing",
        "TestPostEntryForeignCurrency",
        "TestListAccounts/paginates",
        "TestLRUConcurrentPut",
    ):
        assert one_holder(go, test)["count"] == 1, test


def test_go_independent_packages_have_no_edges(go: Run) -> None:
    assert all(f["blocked_by"] == [] for f in go.findings), go.describe()


def test_go_business_code_bugs_are_not_filed_as_developer_experience(go: Run) -> None:
    bugs = {one_holder(go, t)["id"] for t in ("TestPostEntryForeignCurrency", "TestListAccounts/paginates")}
    for phase in go.report["phases"]:
        if "developer" in phase["name"].lower():
            assert not bugs & set(phase["findings"]), phase


# --- Python/poetry on GitLab: postgres service not ready, 30 setup errors, a flaky rerun; a conftest in another job --

DB_TEST_FILES = ("tests/api/test_invoices.py", "tests/api/test_customers.py", "tests/repo/test_ledger_repo.py")
FLAKY = "tests/unit/test_retry_policy.py::test_backoff_jitter_stays_within_cap"


def refused(run: Run) -> dict[str, Any]:
    holders = {f["id"]: f for p in DB_TEST_FILES for f in run.with_test(p)}
    assert len(holders) == 1, run.describe()
    return next(iter(holders.values()))


def test_pg_thirty_setup_errors_are_one_p0_connection_refused_finding(pg: Run) -> None:
    db = refused(pg)
    assert db["category"] == "connection-refused"
    assert db["priority"] == "P0"  # every database-backed test is refused
    assert db["count"] == 30 and len(db["tests"]) == 30  # each in the console and the JUnit file, counted once


def test_pg_the_migration_is_refused_by_the_same_dead_service(pg: Run) -> None:
    """The refused `alembic upgrade head` belongs to the same root cause: no second refused finding."""
    db = refused(pg)
    others = [f for f in pg.findings if f is not db and ("5432" in text(f) or "alembic" in text(f).lower())]
    assert all(f["id"] in pg.blockers(db) for f in others), pg.describe()


def test_pg_reruns_that_never_pass_are_not_flakiness(pg: Run) -> None:
    for flaky in pg.of("flaky-test"):
        assert not any(t.startswith(DB_TEST_FILES) for t in flaky["tests"]), flaky


def test_pg_rerun_then_pass_is_one_p3_flaky_finding(pg: Run) -> None:
    (flaky,) = pg.of("flaky-test")
    assert flaky["tests"] == [FLAKY]
    assert flaky["priority"] == "P3"


def test_pg_service_health_check_timeout_is_not_a_hang(pg: Run) -> None:
    assert pg.of("timeout-hang") == [], pg.describe()


def test_pg_the_refused_chain_names_the_postgres_service(pg: Run) -> None:
    db = refused(pg)
    chain = [db, *(pg.by_id(b) for b in pg.blockers(db))]
    assert any("postgres" in (f["title"] + f["signature"]["text"]).lower() for f in chain), pg.describe()


def test_pg_priority_reason_counts_what_the_finding_counts(pg: Run) -> None:
    db = refused(pg)
    numbers = [int(n) for n in re.findall(r"\d+", db["priority_reason"])]
    assert numbers[:1] == [db["count"]], db["priority_reason"]


def test_pg_conftest_import_error_is_a_p0_collection_finding(pg: Run) -> None:
    collect = pg.of("import-collection-error")
    assert len(collect) == 1, pg.describe()
    assert collect[0]["priority"] == "P0"
    assert "schemathesis" in text(collect[0]) or "conftest" in text(collect[0])
    assert collect[0]["blocked_by"] == []


def test_pg_pasted_conftest_error_reads_as_a_sentence(outputs: Outputs) -> None:
    (collect,) = outputs.classified["conftest-excerpt.txt"]
    assert collect["category"] == "import-collection-error" and collect["priority"] == "P0"
    assert not re.search(r"imported\w", collect["title"]), collect["title"]
    assert not re.search(r"collected\w", collect["root_cause"]), collect["root_cause"]


def test_pg_commands_in_the_trace_are_recorded_as_attempts(pg: Run) -> None:
    status = {a["command"]: a["status"] for a in pg.report["attempts"]}
    assert status.get("poetry install --no-interaction --with test") == "SUCCESS", status
    assert status.get("poetry run make test-ci") == "FAILED", status



# --- pnpm / Next.js / Playwright: lockfile, type error → server down → e2e refused, heap OOM --------------------


def e2e(run: Run) -> dict[str, Any]:
    holders = {
        f["id"]: f for spec in ("checkout.spec.ts", "search.spec.ts", "cart-api.spec.ts") for f in run.with_test(spec)
    }
    assert len(holders) == 1, run.describe()
    return next(iter(holders.values()))


def test_fe_outdated_lockfile_is_a_p0_dependency_install_finding(fe: Run) -> None:
    deps = fe.of("dependency-install-failure")
    assert len(deps) == 1, fe.describe()
    assert deps[0]["priority"] == "P0"
    assert deps[0]["tests"] == []


def test_fe_lockfile_finding_names_what_is_out_of_date(fe: Run) -> None:
    (deps,) = fe.of("dependency-install-failure")
    shown = deps["title"] + deps["signature"]["text"]
    assert "lockfile" in shown.lower() or "docs/package.json" in shown, shown


def test_fe_pnpm_run_script_wrappers_are_not_install_failures(fe: Run) -> None:
    (deps,) = fe.of("dependency-install-failure")
    assert deps["count"] == 1, fe.describe()


def test_fe_type_error_is_its_own_p0_finding(fe: Run) -> None:
    build = [f for f in fe.findings if "discountCents" in text(f)]
    assert len(build) == 1, fe.describe()
    assert build[0]["category"] == "compile-error"  # the app does not type-check (issue 12)
    assert build[0]["priority"] == "P0"


def test_fe_pasted_type_error_is_recognised(outputs: Outputs) -> None:
    (build,) = outputs.classified["typecheck-excerpt.txt"]
    assert build["category"] == "compile-error", build
    assert "discountCents" in build["title"] + build["signature"]["text"]


def test_fe_nine_refused_e2e_tests_are_one_connection_refused_finding(fe: Run) -> None:
    down = e2e(fe)
    assert down["category"] == "connection-refused"
    assert down["count"] == 9 and len(down["tests"]) == 9
    assert "3000" in down["title"] + down["signature"]["text"]


def test_fe_refused_e2e_tests_are_p0(fe: Run) -> None:
    assert e2e(fe)["priority"] == "P0"


def test_fe_refused_e2e_tests_are_blocked_by_the_failed_build(fe: Run) -> None:
    blockers = [fe.by_id(b) for b in fe.blockers(e2e(fe))]
    assert any("discountCents" in text(b) or "next build" in text(b) for b in blockers), fe.describe()


def test_fe_failures_that_fail_their_retry_too_are_not_flaky(fe: Run) -> None:
    assert fe.of("flaky-test") == [], fe.describe()


def test_fe_wait_on_timeout_is_not_a_hang(fe: Run) -> None:
    assert fe.of("timeout-hang") == [], fe.describe()


def test_fe_heap_oom_is_one_p1_out_of_memory_finding(fe: Run) -> None:
    (oom,) = fe.of("out-of-memory")
    assert oom["priority"] == "P1"
    assert "heap" in (oom["title"] + oom["signature"]["text"]).lower()


def test_fe_abort_after_heap_oom_is_not_a_separate_native_crash(fe: Run) -> None:
    assert fe.of("segfault-crash") == [], fe.describe()


def test_fe_test_ids_name_the_spec_file_once(fe: Run) -> None:
    for test in e2e(fe)["tests"]:
        assert test.count(".spec.ts") == 1, test


# --- Rust/cargo + docker push on Jenkins: assert_eq! panic, SIGSEGV in a C dependency, GHCR push denied ------------


def test_rs_assert_eq_panic_is_a_p2_assertion_failure_of_the_rust_test(rs: Run) -> None:
    (failed,) = rs.with_test("parse_compound_ttl")
    assert failed["category"] == "assertion-failure", rs.describe()
    assert failed["priority"] == "P2"
    assert failed["tests"] in (["tests::parse_compound_ttl"], ["thumbd::tests::parse_compound_ttl"]), failed["tests"]
    assert "left == right" in failed["signature"]["text"]


def test_rs_pasted_assert_eq_panic_is_an_assertion_failure(outputs: Outputs) -> None:
    (failed,) = outputs.classified["panic-excerpt.txt"]
    assert failed["category"] == "assertion-failure", failed
    assert "<port>" not in failed["signature"]["text"]


def test_rs_sigsegv_is_one_p1_segfault_finding(rs: Run) -> None:
    (crash,) = rs.of("segfault-crash")
    assert crash["priority"] == "P1"


def test_rs_sigsegv_names_the_crashed_test_binary(rs: Run) -> None:
    (crash,) = rs.of("segfault-crash")
    assert "decode" in crash["title"] + crash["signature"]["text"] + " ".join(crash["tests"]), crash


def test_rs_sigsegv_is_counted_once(rs: Run) -> None:
    (crash,) = rs.of("segfault-crash")
    assert crash["count"] == 1, crash


def test_rs_ghcr_push_denied_is_a_p1_registry_finding_blocking_nothing(rs: Run) -> None:
    pushes = rs.of("registry-access-failure")
    assert len(pushes) == 1, rs.describe()
    push = pushes[0]
    assert push["priority"] == "P1"
    assert "ghcr.io/acme/thumbd" in text(push) or "push" in push["title"].lower()
    assert push["blocked_by"] == [] and not any(push["id"] in f["blocked_by"] for f in rs.findings)


def test_rs_pasted_push_denial_is_a_p1_registry_finding(outputs: Outputs) -> None:
    (push,) = outputs.classified["push-excerpt.txt"]
    assert push["category"] == "registry-access-failure" and push["priority"] == "P1"


def test_rs_push_denial_is_neither_permission_denied_nor_auth_error(rs: Run) -> None:
    assert rs.of("permission-denied") == [] and rs.of("auth-error") == [], rs.describe()


def test_rs_nothing_is_p0_and_nothing_blocks_anything(rs: Run) -> None:
    assert all(f["priority"] != "P0" for f in rs.findings), rs.describe()
    assert all(f["blocked_by"] == [] for f in rs.findings)
