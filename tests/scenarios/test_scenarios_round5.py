"""End to end, round 5: fourteen more CI outages, each unlike the earlier rounds' (see data5/*/EXPECTED.md).

A tox env allowed to fail (`ignore_outcome`) beside a real regression; a formatter failing in one job while every
database test of another is refused (which leads?); a Gradle test executor killed by the OOM killer with the kernel's
record in another file; a Netlify deploy log (`9:58:27 PM:` stamps) of a Next.js type error; a matrix where only
Windows fails; PyPI's CDN answering 503 mid-install; a mail provider's 429 throttling RSpec integration examples; a
runner filling its disk in a docker build; surefire reruns (a flake and a real failure); secrets printed by failing
.NET tests; pytest `tmp_path` folders that differ per failure; `npm ci` refusing an out-of-sync lock file; a Rust
compile error that stops the tests and the smoke run; Playwright browsers missing after an upgrade; the Go module
proxy answering 502.

Each folder under data5/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it (what every scenario
keeps is in test_scenario_invariants.py, declared in data5/invariants.toml). Where gardener is wrong, that
assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round, text
from tests.scenarios.queries import from_file, holders, roots

DATA = Path(__file__).resolve().parent / "data5"

TOX = "tox-ignore-outcome"
LEADS = "lint-minor-test-p0"
OOM = "gradle-executor-oom-dmesg"
NETLIFY = "netlify-next-typecheck"
WIN = "matrix-windows-only"
PYPI = "pypi-503-outage"
RATE = "rspec-postmark-429"
DISK = "runner-disk-docker"
RERUN = "surefire-rerun-flake"
DOTNET = "dotnet-webhook-secrets"
TMP = "pytest-tmp-path-enoent"
NPM = "npm-ci-lockfile-cascade"
CARGO = "cargo-compile-missing-binary"
PW = "playwright-browsers-missing"
GOPROXY = "go-proxy-502"

ROUND = load_round(DATA)  # its CI stamps and wrapper lines: data5/invariants.toml
bare = ROUND.bare  # an evidence line without its CI stamp


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


def run_of(outputs: Outputs, scenario: str) -> Run:
    return outputs.runs[scenario]


# --- tox: py314 is allowed to fail (ignore_outcome); the regression fails in every env --------------------------


def test_tox_two_independent_findings(outputs: Outputs) -> None:
    run = run_of(outputs, TOX)
    assert len(run.findings) == 2 and all(f["blocked_by"] == [] for f in run.findings), run.describe()


# was a defect: the py314-only failure was not lowered, so the env allowed to fail led
def test_tox_regression_is_the_first_p2_assertion(outputs: Outputs) -> None:
    run = run_of(outputs, TOX)
    (f,) = holders(run, "test_parse_folded_header").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2", f
    assert run.findings[0] is f, run.describe()


# was a defect: tox 3's `command failed but result from testenv is ignored` was not read as the env being
# allowed to fail
def test_tox_failure_only_in_the_ignored_env_is_p3_saying_allowed_to_fail(outputs: Outputs) -> None:
    run = run_of(outputs, TOX)
    (f,) = holders(run, "test_evaluate_relative_offset_expression").values()
    assert f["category"] == "runtime-exception" and f["priority"] == "P3", f["priority_reason"]
    assert "allowed to fail" in f["priority_reason"] or "ignore" in f["priority_reason"], f["priority_reason"]


# was a defect: the title was `AttributeError raised in code under test`, the attribute unnamed
def test_tox_attribute_error_title_names_the_attribute(outputs: Outputs) -> None:
    run = run_of(outputs, TOX)
    (f,) = holders(run, "test_evaluate_relative_offset_expression").values()
    assert "Num" in f["title"] or "simpleeval" in f["title"], f["title"]


# --- A formatter fails in one job; every database test of another is refused ------------------------------------


def test_leads_first_finding_is_the_p0_refused_postgres(outputs: Outputs) -> None:
    run = run_of(outputs, LEADS)
    first = run.findings[0]
    assert first["category"] == "connection-refused" and first["priority"] == "P0", run.describe()
    assert first["count"] == 9 and "9" in first["priority_reason"], first
    assert "5432" in first["title"], first["title"]


def test_leads_lint_is_an_independent_p2_after_it(outputs: Outputs) -> None:
    run = run_of(outputs, LEADS)
    assert len(run.findings) == 2, run.describe()
    lint = run.findings[1]
    assert lint["category"] == "lint-failure" and lint["priority"] == "P2" and lint["blocked_by"] == [], lint
    assert "posting.py" in lint["title"], lint["title"]
    assert run.findings[0]["blocked_by"] == []


# --- A Gradle test executor killed by the OOM killer; the kernel's record in another file ------------------------


def test_oom_one_out_of_memory_finding_first(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    (f,) = run.of("out-of-memory")
    assert f["priority"] == "P1" and run.findings[0] is f, run.describe()
    assert not run.of("segfault-crash") and not run.of("ci-runner-failure"), run.describe()
    lines = run.evidence_lines(f)
    assert any("exit value 137" in line or "Out of memory: Killed process" in line for line in lines), lines


# was a defect: Gradle's `Process 'Gradle Test Executor 4' finished with non-zero exit value 137` (task :service:test)
# was no anchor, then joined as a wrapper into the :api:test assertion incident printed 34 lines above it, so the OOM
# finding pointed only at dmesg.log; a kill's wrapper now joins only an incident of that death (grouping.belongs)
def test_oom_finding_points_at_the_killed_executor_in_the_job_log(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    (f,) = run.of("out-of-memory")
    assert any("exit value 137" in line for line in run.evidence_lines(f)), run.evidence_lines(f)


def test_oom_postcode_assertion_is_independent_p2_counted_once(outputs: Outputs) -> None:
    run = run_of(outputs, OOM)
    (f,) = holders(run, "acceptsNorthernIrelandPostcodes").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["count"] == 1, f
    assert f["blocked_by"] == [] and "64" in f["priority_reason"], f


# --- Netlify: a Next.js type error behind `9:58:27 PM:` stamps ---------------------------------------------------


# was a defect: Netlify's `9:58:27 PM: ` stamps hid `Type error:` from the compile rules (one unclassified finding)
def test_netlify_one_compile_error_naming_the_file_or_property(outputs: Outputs) -> None:
    run = run_of(outputs, NETLIFY)
    (f,) = run.findings
    assert f["category"] == "compile-error" and f["priority"] in ("P0", "P1"), run.describe()
    assert "page.tsx" in f["title"] or "publishedAt" in f["title"] or "PostSummary" in f["title"], f["title"]


# was a defect: the evidence was Netlify's `Error message` heading
def test_netlify_evidence_is_the_type_error(outputs: Outputs) -> None:
    run = run_of(outputs, NETLIFY)
    lines = [bare(line) for f in run.findings for line in run.evidence_lines(f)]
    assert lines and all("Type error:" in line or "page.tsx:31:23" in line for line in lines), lines


# was a defect: a pasted Next.js `Type error:` under Netlify stamps was unclassified
def test_netlify_pasted_type_error_is_a_compile_error(outputs: Outputs) -> None:
    found = outputs.classified["typeerror-excerpt.txt"]
    assert found and found[0]["category"] == "compile-error", found


# --- A matrix where only Windows fails ---------------------------------------------------------------------------


def test_win_one_assertion_lowered_to_p3_naming_windows(outputs: Outputs) -> None:
    run = run_of(outputs, WIN)
    (f,) = run.findings
    assert f["category"] == "assertion-failure" and f["priority"] == "P3", f
    assert "windows-latest" in f["priority_reason"], f["priority_reason"]
    assert from_file(run, "test (windows-latest).log") == [f]


# was a defect: the reason said `1 of 3 tests fail` (the three matrix logs' results), not pytest's own counts
def test_win_reason_counts_the_run_from_its_summary(outputs: Outputs) -> None:
    run = run_of(outputs, WIN)
    (f,) = run.findings
    assert "1 of 212" in f["priority_reason"], f["priority_reason"]


# --- PyPI's CDN answers 503 mid-install ----------------------------------------------------------------------------


def test_pypi_first_finding_is_the_p1_outage_naming_host_and_status(outputs: Outputs) -> None:
    run = run_of(outputs, PYPI)
    first = run.findings[0]
    assert first["category"] == "dependency-install-failure" and first["priority"] == "P1", run.describe()
    assert "files.pythonhosted.org" in first["priority_reason"] and "503" in first["priority_reason"]
    assert "scipy" in text(first) or "files.pythonhosted.org" in first["title"], first


def test_pypi_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, PYPI)
    assert len(roots(run)) == 1 and roots(run)[0] is run.findings[0], run.describe()


def test_pypi_evidence_is_the_503_line(outputs: Outputs) -> None:
    run = run_of(outputs, PYPI)
    lines = run.evidence_lines(run.findings[0])
    assert lines and all("503" in line for line in lines), lines


# --- A mail provider's 429 throttles five RSpec integration examples -----------------------------------------------


# was a defect (fixed by key-v5: runtime.ruby-exception is keyed by what the exception says where the project's
# code raised it, read from Ruby's backtrace): an RSpec example that raised keyed a finding of its own, five for one
# throttle
def test_rate_one_finding_holds_the_five_examples(outputs: Outputs) -> None:
    run = run_of(outputs, RATE)
    assert len(run.findings) == 1 and run.findings[0]["count"] == 5, run.describe()


# was a defect: the report's copy (`Failure/Error:` with the exception flush left) was an assertion failure, and
# the report's `./spec/a_spec.rb::spec.a_spec::Example` was not merged with the console's `spec/a_spec.rb::Example`
def test_rate_examples_are_counted_once(outputs: Outputs) -> None:
    run = run_of(outputs, RATE)
    tests = [t for f in run.findings for t in f["tests"]]
    assert len(tests) == len(set(tests)) == 5, run.describe()
    assert sum(f["count"] for f in run.findings) == 5, run.describe()


# was a defect: the RSpec console's evidence for an example that raised was its `Failure/Error: response = ...` line
# (the code that raised), not the `TooManyRequestsError` line under it that says why
def test_rate_evidence_is_the_429_line(outputs: Outputs) -> None:
    run = run_of(outputs, RATE)
    for f in run.findings:
        lines = [line for line in run.evidence_lines(f) if "<testcase" not in line]
        assert lines and all("429" in line or "TooManyRequests" in line for line in lines), lines


def test_rate_is_not_an_assertion_failure(outputs: Outputs) -> None:
    run = run_of(outputs, RATE)
    assert run.findings and not run.of("assertion-failure"), run.describe()


# was a defect: `the server responded with status 429 for POST https://...` (status before the URL) was not read as
# a third party throttling the job
def test_rate_third_party_429_is_p1_naming_the_host(outputs: Outputs) -> None:
    run = run_of(outputs, RATE)
    for f in run.findings:
        assert f["priority"] == "P1", f["priority_reason"]
        assert "api.postmarkapp.com" in f["priority_reason"] and "429" in f["priority_reason"], f["priority_reason"]


# was a defect: a pasted Faraday 429 was a P2 runtime exception
def test_rate_pasted_429_is_p1_naming_the_host(outputs: Outputs) -> None:
    (f, *_) = outputs.classified["postmark-429-excerpt.txt"]
    assert f["priority"] == "P1" and "api.postmarkapp.com" in f["priority_reason"], f


# --- The runner fills its disk in a docker build --------------------------------------------------------------------


def test_disk_first_finding_is_the_p0_no_space(outputs: Outputs) -> None:
    run = run_of(outputs, DISK)
    first = run.findings[0]
    assert first["category"] == "disk-full" and first["priority"] == "P0", run.describe()
    assert any("no space left on device" in line for line in run.evidence_lines(first))


# was a defect: the runner's `You are running out of disk space` warning was a second disk-full root cause
def test_disk_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, DISK)
    assert len(roots(run)) == 1, run.describe()


def test_disk_missing_image_and_report_are_blocked_by_it(outputs: Outputs) -> None:
    run = run_of(outputs, DISK)
    disk = run.findings[0]
    later = [f for f in run.findings if "geocoder" in text(f) or "junit.xml" in text(f)
             or f["category"] == "registry-access-failure"]
    assert later, run.describe()
    assert all(disk["id"] in run.blockers(f) for f in later), run.describe()


def test_disk_pasted_enospc_is_disk_full(outputs: Outputs) -> None:
    (f, *_) = outputs.classified["enospc-excerpt.txt"]
    assert f["category"] == "disk-full", f


# --- surefire reruns: a flake and a real failure --------------------------------------------------------------------


# was a defect: surefire's `[ERROR] See .../surefire-reports ...` and `See dump files` trailers were unclassified
# findings
def test_rerun_exactly_two_findings(outputs: Outputs) -> None:
    run = run_of(outputs, RERUN)
    assert len(run.findings) == 2, run.describe()


def test_rerun_regression_is_p2_counted_once_and_first(outputs: Outputs) -> None:
    run = run_of(outputs, RERUN)
    (f,) = holders(run, "continuesSequenceAfterYearRollover").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["count"] == 1, f
    assert run.findings[0] is f and f["blocked_by"] == []


def test_rerun_flake_is_p3_flaky(outputs: Outputs) -> None:
    run = run_of(outputs, RERUN)
    (f,) = holders(run, "publishesInvoiceIssuedEvent").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3" and f["blocked_by"] == [], f


# was a defect: the reason counted the reports' 13 test cases, not surefire's `Tests run: 58` of the run
def test_rerun_reason_counts_the_run_from_surefires_summary(outputs: Outputs) -> None:
    run = run_of(outputs, RERUN)
    (f,) = holders(run, "continuesSequenceAfterYearRollover").values()
    assert "1 of 58" in f["priority_reason"], f["priority_reason"]


# --- .NET: a webhook status assertion; secrets in the tests' output -------------------------------------------------


# was a defect: `Expected: Unauthorized / Actual: OK` was an auth-error (P1, `Credentials rejected by the API the job
# calls`): the status the test expected is not a credential the job was refused
def test_dotnet_status_assertion_is_a_p2_assertion(outputs: Outputs) -> None:
    run = run_of(outputs, DOTNET)
    assert run.findings and all(f["category"] == "assertion-failure" and f["priority"] == "P2"
                                for f in run.findings), run.describe()
    assert not run.of("auth-error"), run.describe()


# was a defect: two tests failing the same xUnit assertion in the same helper (`WebhookTestBase.cs:line 44`) were two
# findings (an assertion's key was its test); key-v6 keys it by the shared helper (rules/keys.shared_helper)
def test_dotnet_one_finding_holds_both_tests(outputs: Outputs) -> None:
    run = run_of(outputs, DOTNET)
    (f,) = run.findings
    assert f["count"] == 2, run.describe()


# --- pytest tmp_path folders differ per failure ---------------------------------------------------------------------


def export_holders(run: Run) -> dict[str, dict[str, Any]]:
    return holders(run, "test_export.py")


# was a defect (fixed by key-v3: rules/keys.failing_location reads pytest's own frames): six FileNotFoundErrors
# raised at the same `src/shopkeep/export.py:27: in export_csv` were six findings
def test_tmp_one_finding_holds_the_six_export_tests(outputs: Outputs) -> None:
    run = run_of(outputs, TMP)
    found = export_holders(run)
    assert len(found) == 1 and next(iter(found.values()))["count"] == 6, run.describe()


# was a defect: the title was `FileNotFoundError raised in code under test`, the file unnamed
def test_tmp_title_names_the_missing_file(outputs: Outputs) -> None:
    run = run_of(outputs, TMP)
    for f in export_holders(run).values():
        assert "report.csv" in f["title"] or "export_csv" in f["title"] or "exports" in f["title"], f["title"]
        if f["count"] > 1:  # one finding of many tests names none of their own tmp folders
            assert not re.search(r"test_export_\w+0/", f["title"]), f["title"]


# was a defect (fixed with the one above): the run had seven findings where two causes are
def test_tmp_exactly_two_findings(outputs: Outputs) -> None:
    run = run_of(outputs, TMP)
    assert len(run.findings) == 2, run.describe()


def test_tmp_discount_assertion_is_independent_p2(outputs: Outputs) -> None:
    run = run_of(outputs, TMP)
    (f,) = holders(run, "test_bulk_discount_cap").values()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2" and f["blocked_by"] == [], f


# --- npm ci refuses an out-of-sync lock file; tsc and jest are then not found ---------------------------------------


def npm_lock(run: Run) -> list[dict[str, Any]]:
    return [f for f in run.findings if "lock" in f["title"].lower() or "zod" in text(f)]


def test_npm_lock_file_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, NPM)
    (lock,) = npm_lock(run)
    assert roots(run) == [lock] and lock["priority"] == "P0", run.describe()
    assert lock["category"] == "dependency-install-failure"


def test_npm_evidence_is_the_lock_file_message(outputs: Outputs) -> None:
    run = run_of(outputs, NPM)
    (lock,) = npm_lock(run)
    lines = [bare(line) for line in run.evidence_lines(lock)]
    assert lines and all("in sync" in line or "from lock file" in line for line in lines), lines


# was a defect: `gardener explain` listed the missing tools first and never said what blocks them
def test_npm_explain_says_the_lock_file_blocks_the_missing_tools(outputs: Outputs) -> None:
    run = run_of(outputs, NPM)
    (lock,) = npm_lock(run)
    shown = outputs.explains[NPM]
    assert shown.startswith(lock["id"]), shown[:200]
    assert shown.count(f"blocked by {lock['id']}:") == 2, shown


# --- Rust: a compile error stops the build, the tests and the smoke run ---------------------------------------------


# was a defect: the same E0599 printed by `cargo build` and `cargo test` was not judged as stopping the test step
def test_cargo_compile_error_that_stops_cargo_test_is_p0(outputs: Outputs) -> None:
    run = run_of(outputs, CARGO)
    (f,) = run.of("compile-error")
    assert f["priority"] == "P0", f["priority_reason"]


def test_cargo_one_compile_error_root_naming_the_method(outputs: Outputs) -> None:
    run = run_of(outputs, CARGO)
    (f,) = run.of("compile-error")
    assert roots(run) == [f] and run.findings[0] is f, run.describe()
    assert "as_millis_f64" in f["title"] or "metrics.rs" in f["title"], f["title"]
    assert all("E0599" in line or "metrics.rs:48:38" in line for line in run.evidence_lines(f))


# --- Playwright browsers missing after an upgrade --------------------------------------------------------------------


# was a defect: Playwright's `Executable doesn't exist at .../ms-playwright/...` was unclassified, one finding per test
def test_pw_one_finding_holds_the_twelve_tests(outputs: Outputs) -> None:
    run = run_of(outputs, PW)
    assert len(run.findings) == 1 and run.findings[0]["count"] == 12, run.describe()


# was a defect: the missing Playwright browser was unclassified P2
def test_pw_missing_browser_is_a_p0_install_problem_naming_it(outputs: Outputs) -> None:
    run = run_of(outputs, PW)
    f = run.findings[0]
    assert f["category"] not in ("unclassified", "assertion-failure") and f["priority"] == "P0", f
    assert re.search(r"(?i)playwright|chromium|executable", f["title"]), f["title"]


# --- The Go module proxy answers 502 ---------------------------------------------------------------------------------


# was a defect: the Go proxy's 502 was a connection-refused titled `Service they need is unreachable`
def test_goproxy_first_finding_is_the_install_outage_naming_the_module(outputs: Outputs) -> None:
    run = run_of(outputs, GOPROXY)
    first = run.findings[0]
    assert first["category"] == "dependency-install-failure" and first["priority"] == "P1", run.describe()
    assert "proxy.golang.org" in first["priority_reason"] and "502" in first["priority_reason"]
    assert "pgx" in first["title"] or "proxy.golang.org" in first["title"], first["title"]


# was a defect: `go vet`'s copy of the 502 was a second root cause (a compile error)
def test_goproxy_is_the_only_root_cause(outputs: Outputs) -> None:
    run = run_of(outputs, GOPROXY)
    assert len(roots(run)) == 1, run.describe()
    assert not run.of("compile-error"), run.describe()
