"""End to end, round 3: five CI outages in ecosystems and CI systems the first two rounds did not cover.

Each folder under data3/ holds the input files of one outage as its CI system hands them out (a Travis CI Ruby/Rails
matrix, a GitHub Actions .NET matrix failing only on windows, Bitbucket Pipelines PHP steps hit by a packagist 502,
a CircleCI Elixir job whose postgres container never started, Buildkite Rust steps with a rustc error and clippy
`-D warnings`), an EXPECTED.md written before gardener read them (with the public reports each is modelled on), and
`*-excerpt.txt` files: parts of those logs pasted on their own, as a user hands them to `gardener classify`.
The tests assert those conclusions through the CLI as a user runs it (what every scenario keeps is in
test_scenario_invariants.py). Where gardener is wrong today, that single assertion carries `xfail(strict=True)`
naming the defect, so the suite stays green and the mark must go (XPASS fails) once the defect is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round, text
from tests.scenarios.queries import from_file

DATA = Path(__file__).resolve().parent / "data3"
ROUND = load_round(DATA)  # its wrapper lines, which say a step failed but never why: data3/invariants.toml

RB = "travis-bundler-rspec"
NET = "actions-dotnet-windows"
PHP = "bitbucket-composer-packagist-502"
EX = "circleci-exunit-postgres"
BK = "buildkite-rustc-clippy"


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


@pytest.fixture(scope="module")
def rb(outputs: Outputs) -> Run:
    return outputs.runs[RB]


@pytest.fixture(scope="module")
def net(outputs: Outputs) -> Run:
    return outputs.runs[NET]


@pytest.fixture(scope="module")
def php(outputs: Outputs) -> Run:
    return outputs.runs[PHP]


@pytest.fixture(scope="module")
def ex(outputs: Outputs) -> Run:
    return outputs.runs[EX]


@pytest.fixture(scope="module")
def bk(outputs: Outputs) -> Run:
    return outputs.runs[BK]


def roots(run: Run, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of these findings, the ones nothing else blocks."""
    return [f for f in findings if not run.blockers(f)]


# --- Travis CI, Ruby/Rails: bundler cannot resolve, `bundle exec` then cannot load; an RSpec failure elsewhere ----


def test_rb_first_finding_is_the_p0_resolution_conflict(rb: Run) -> None:
    first = rb.findings[0]
    assert first["category"] == "dependency-install-failure", rb.describe()
    assert first["priority"] == "P0"
    assert "devise-two-factor" in text(first) or "railties" in text(first), first["title"]


def test_rb_resolution_conflict_evidence_is_the_resolver_not_the_travis_exit_line(rb: Run) -> None:
    first = rb.findings[0]
    lines = rb.evidence_lines(first)
    assert lines and not ROUND.wrapper_lines(lines), lines
    assert any("compatible versions" in line or "devise-two-factor" in line for line in lines), lines


def test_rb_the_resolver_message_is_one_finding(rb: Run) -> None:
    installs = roots(rb, from_file(rb, "job-rails-7.2.log"))
    assert len(installs) == 1, rb.describe()


def test_rb_bundle_exec_after_the_failed_install_is_blocked_by_it(rb: Run) -> None:
    after = [f for f in rb.findings if "locally installed gems" in text(f) or "rails (~>" in text(f)]
    first = rb.findings[0]
    assert all(f is first or first["id"] in rb.blockers(f) for f in after), rb.describe()


def test_rb_install_titles_name_what_failed_to_install(rb: Run) -> None:
    for f in rb.of("dependency-install-failure"):
        assert not f["title"].endswith("for the build"), f["title"]


def test_rb_rspec_failure_is_one_p2_assertion_independent_of_the_install(rb: Run) -> None:
    tax = [f for f in rb.findings if "TaxCalculator" in text(f) or any("tax_calculator" in t for t in f["tests"])]
    assert len(tax) == 1, rb.describe()
    assert tax[0]["category"] == "assertion-failure" and tax[0]["priority"] == "P2"
    assert tax[0]["blocked_by"] == [] and not any(tax[0]["id"] in f["blocked_by"] for f in rb.findings)
    assert not ROUND.wrapper_lines(rb.evidence_lines(tax[0]))


def test_rb_rspec_failure_names_the_failing_example(rb: Run) -> None:
    # RSpec's console block is read as the example it reports (runner_log/rspec.py): its file from
    # `Failed examples:`, its description from the numbered header.
    (tax,) = [f for f in rb.findings if "TaxCalculator" in text(f)]
    assert any("tax_calculator_spec.rb" in t and "TaxCalculator" in t for t in tax["tests"]), tax["tests"]


def test_rb_pending_example_is_not_a_finding(rb: Run) -> None:
    assert not [f for f in rb.findings if "GiftCards" in text(f) or "Not yet implemented" in text(f)], rb.describe()


def test_rb_pasted_resolver_message_is_a_p0_install_failure_naming_the_gem(outputs: Outputs) -> None:
    first = outputs.classified["resolve-excerpt.txt"][0]
    assert first["category"] == "dependency-install-failure" and first["priority"] == "P0", first
    assert "devise-two-factor" in text(first)


def test_rb_pasted_resolver_message_is_one_finding(outputs: Outputs) -> None:
    assert len(outputs.classified["resolve-excerpt.txt"]) == 1, outputs.classified["resolve-excerpt.txt"]


def test_rb_travis_commands_are_recorded_as_attempts(rb: Run) -> None:
    status = {(a["command"], a["status"]) for a in rb.report["attempts"]}
    assert ("bundle install --jobs=3 --retry=3", "FAILED") in status, status
    assert ("bundle install --jobs=3 --retry=3", "SUCCESS") in status, status


def test_rb_worklog_does_not_say_no_test_ran_when_rspec_ran_318_examples(rb: Run) -> None:
    (worklog,) = [t for name, t in rb.files.items() if "WORKLOG" in name]
    (blast,) = [line for line in worklog.splitlines() if "**Blast radius:**" in line]
    assert "before tests ran" not in blast, blast


# --- GitHub Actions .NET matrix: two xUnit tests fail only on windows-latest ----------------------------------------

NET_TESTS = ("RelativeTo_UsesForwardSlashes", "Entries_AreKeyedByPortablePath")


def net_holders(run: Run, test: str) -> list[dict[str, Any]]:
    """Findings holding that test, or read from the windows console block that names it."""
    return [f for f in run.findings if any(test in t for t in f["tests"]) or test in f["signature"]["text"]]


def test_net_both_windows_failures_are_assertion_failures(net: Run) -> None:
    for test in NET_TESTS:
        assert net_holders(net, test), net.describe()
        assert all(f["category"] == "assertion-failure" for f in net_holders(net, test)), net.describe()


def test_net_passing_platform_logs_give_no_finding(net: Run) -> None:
    assert from_file(net, "test-ubuntu-latest.log") == [] and from_file(net, "test-macos-latest.log") == [], (
        net.describe()
    )


def test_net_each_failure_is_counted_once_across_console_and_junit(net: Run) -> None:
    windows = {f["id"]: f for name in ("junit.xml", "test-windows-latest.log") for f in from_file(net, name)}
    assert sum(f["count"] for f in windows.values()) == len(NET_TESTS), net.describe()


def test_net_windows_only_failures_are_lowered_to_p3_naming_windows(net: Run) -> None:
    for f in net.of("assertion-failure"):
        assert f["priority"] == "P3", net.describe()
        assert "windows" in f["priority_reason"], f["priority_reason"]


def test_net_console_findings_are_lowered_to_p3_for_windows(net: Run) -> None:
    console = from_file(net, "test-windows-latest.log")
    assert console, net.describe()
    for f in console:
        assert f["priority"] == "P3" and "windows" in f["priority_reason"], f["priority_reason"]


def test_net_console_findings_name_their_tests(net: Run) -> None:
    for f in from_file(net, "test-windows-latest.log"):
        assert f["tests"], f


def test_net_titles_name_the_test(net: Run) -> None:
    for f in net.of("assertion-failure"):
        assert "the test" not in f["title"], f["title"]


def test_net_evidence_is_never_the_exit_code_line(net: Run) -> None:
    for f in net.findings:
        if f["category"] != "unclassified":
            assert not ROUND.wrapper_lines(net.evidence_lines(f)), f["title"]


def test_net_dotnet_test_of_every_platform_is_an_attempt(net: Run) -> None:
    tests = [a["status"] for a in net.report["attempts"] if a["command"].startswith("dotnet test")]
    assert sorted(tests) == ["FAILED", "SUCCESS", "SUCCESS"], net.report["attempts"]


# --- Bitbucket Pipelines, PHP: repo.packagist.org answers 502 in both parallel steps --------------------------------


def test_php_outage_is_p1(php: Run) -> None:
    assert php.findings, php.describe()
    assert all(f["priority"] == "P1" for f in php.findings), php.describe()


def test_php_priority_reason_names_packagist_and_the_502(php: Run) -> None:
    for f in php.findings:
        assert "packagist" in f["priority_reason"] and "502" in f["priority_reason"], f["priority_reason"]


def test_php_outage_is_a_dependency_install_failure(php: Run) -> None:
    assert php.findings and all(f["category"] == "dependency-install-failure" for f in php.findings), php.describe()


def test_php_evidence_is_the_502_line(php: Run) -> None:
    for f in php.findings:
        lines = php.evidence_lines(f)
        assert lines and all("502" in line for line in lines), (f["title"], lines)


def test_php_one_outage_in_two_steps_is_one_finding(php: Run) -> None:
    assert len(php.findings) == 1, php.describe()


def test_php_title_names_packagist_or_the_502(php: Run) -> None:
    for f in php.findings:
        assert "packagist" in f["title"].lower() or "502" in f["title"], f["title"]


def test_php_missing_vendor_binary_is_not_an_independent_root_cause(php: Run) -> None:
    after = [f for f in php.findings if "php-coveralls" in text(f) or "Could not open input file" in text(f)]
    assert all(php.blockers(f) for f in after), php.describe()


def test_php_no_test_finding_when_no_test_ran(php: Run) -> None:
    assert all(f["tests"] == [] for f in php.findings) and php.of("assertion-failure") == [], php.describe()


def test_php_pasted_composer_output_is_p1_for_the_packagist_outage(outputs: Outputs) -> None:
    (f,) = outputs.classified["composer-excerpt.txt"]
    assert f["priority"] == "P1", f


def test_php_pasted_composer_output_is_a_dependency_install_failure(outputs: Outputs) -> None:
    (f,) = outputs.classified["composer-excerpt.txt"]
    assert f["category"] == "dependency-install-failure", f


# --- CircleCI, Elixir/ExUnit: postgres container never started; 12 DB tests fail; one real assertion ---------------

DB_MODULES = ("Acme.AccountsTest", "Acme.OrdersTest", "AcmeWeb.OrderControllerTest")
MONEY = "Acme.MoneyTest::test format/1 pads single-digit cents"


def db_holders(run: Run) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for m in DB_MODULES for f in run.with_test(m)}


def test_ex_db_tests_are_held_by_one_finding_counted_once(ex: Run) -> None:
    holders = db_holders(ex)
    assert len(holders) == 1, ex.describe()
    (db,) = holders.values()
    assert db["count"] == 12 and len(db["tests"]) == 12  # the varying "after 29xxms" does not split them


def test_ex_db_tests_are_one_p0_connection_refused_finding(ex: Run) -> None:
    (db,) = db_holders(ex).values()
    chain = [db, *(ex.by_id(b) for b in ex.blockers(db))]
    assert any(f["category"] == "connection-refused" for f in chain), ex.describe()
    assert db["priority"] == "P0", db["priority_reason"]


def test_ex_connection_refused_names_the_address(ex: Run) -> None:
    for f in ex.of("connection-refused"):
        assert "5432" in text(f) or "postgres" in text(f).lower(), f["title"]


def test_ex_container_start_error_is_linked_to_the_refusals(ex: Run) -> None:
    container = from_file(ex, "container-cimg-postgres.log")
    refused = ex.of("connection-refused") + list(db_holders(ex).values())
    assert container and refused, ex.describe()
    ids = {f["id"] for f in container}
    assert all(f["id"] in ids or ids & ex.blockers(f) for f in refused), ex.describe()


def test_ex_pool_timeout_wording_is_not_a_hang(ex: Run) -> None:
    assert ex.of("timeout-hang") == [], ex.describe()


def test_ex_money_assertion_is_one_p2_assertion_failure_holding_its_test(ex: Run) -> None:
    money = [f for f in ex.findings if any(MONEY in t for t in f["tests"]) or "format/1 pads" in text(f)]
    assert len(money) == 1, ex.describe()
    assert money[0]["category"] == "assertion-failure" and money[0]["priority"] == "P2"
    assert any(MONEY in t for t in money[0]["tests"])


def test_ex_money_assertion_is_independent_of_the_database(ex: Run) -> None:
    for f in ex.findings:
        if any(MONEY in t for t in f["tests"]) or "format/1 pads" in text(f):
            assert f["blocked_by"] == [], f


def test_ex_coverage_threshold_is_not_an_independent_finding(ex: Run) -> None:
    assert not [f for f in ex.findings if "threshold" in text(f).lower() and not ex.blockers(f)], ex.describe()


def test_ex_pasted_pool_failure_is_not_a_code_exception(outputs: Outputs) -> None:
    (f,) = outputs.classified["exunit-excerpt.txt"]
    assert f["category"] != "runtime-exception", f


# --- Buildkite, Rust: rustc E0308 in an integration test; clippy -D warnings in the lint step -----------------------


def compile_errors(run: Run) -> list[dict[str, Any]]:
    return run.of("compile-error")


def test_bk_rustc_error_is_one_compile_error_and_clippy_is_a_lint_failure(bk: Run) -> None:
    assert len(compile_errors(bk)) == 1, bk.describe()
    lints = bk.of("lint-failure")
    assert lints and all(f["priority"] == "P2" for f in lints), bk.describe()
    assert all(f["category"] == "lint-failure" for f in from_file(bk, "clippy.log")), bk.describe()


def test_bk_first_finding_is_the_compile_error(bk: Run) -> None:
    assert bk.findings[0]["category"] == "compile-error", bk.describe()


def test_bk_nothing_links_the_two_steps(bk: Run) -> None:
    assert all(f["blocked_by"] == [] for f in bk.findings), bk.describe()


def test_bk_buildkite_timestamps_are_stripped(bk: Run) -> None:
    for f in bk.findings:
        assert "bk;t=" not in f["signature"]["text"], f["signature"]["text"]
        assert all(e["line"] is not None for e in f["evidence"]), f["evidence"]


def test_bk_compile_error_names_the_rustc_diagnostic(bk: Run) -> None:
    (f,) = compile_errors(bk)
    assert "mismatched types" in text(f) or "E0308" in text(f), text(f)
    assert "could not compile" not in f["signature"]["text"]


def test_bk_compile_error_that_stops_every_test_is_p0(bk: Run) -> None:
    (f,) = compile_errors(bk)
    assert f["priority"] == "P0", f["priority_reason"]


def test_bk_clippy_signature_is_the_lint_message(outputs: Outputs) -> None:
    for f in outputs.classified["clippy-excerpt.txt"]:
        sig = f["signature"]["text"]
        assert "help: for further information" not in sig and "= note:" not in sig, sig


def test_bk_pasted_rustc_error_is_a_compile_error_naming_it(outputs: Outputs) -> None:
    (f,) = outputs.classified["test-excerpt.txt"]
    assert f["category"] == "compile-error", f
    assert "mismatched types" in text(f) and "batch_roundtrip" in text(f)


def test_bk_pasted_clippy_output_is_lint_failure_naming_the_lints(outputs: Outputs) -> None:
    lints = outputs.classified["clippy-excerpt.txt"]
    assert lints and all(f["category"] == "lint-failure" and f["priority"] == "P2" for f in lints), lints
    named = " ".join(text(f) for f in lints)
    assert "useless_conversion" in named or "useless conversion" in named
