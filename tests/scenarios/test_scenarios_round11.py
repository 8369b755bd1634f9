"""End to end, round 11: seven more CI outages, on stacks the earlier rounds did not reach (see data11/*/EXPECTED.md).

An Azure Pipelines .NET job whose `dotnet restore` meets nuget.org's 503 (NU1301), so the next task's `dotnet test
--no-restore` finds no assets file (NETSDK1004); a Flutter app whose two jobs stop at `flutter pub get` (a dependency
needs a newer Dart SDK than the pinned Flutter ships); a Julia package's matrix failing one `@test` on Windows only;
an R package's `R CMD check` whose testthat run fails one expectation (only the last 13 lines of output reach the
log); a Go module tested by `gotestsum --rerun-fails` with one test passing on its re-run and one failing every
attempt; an OCaml project whose `dune build @runtest` stops on an unbound module in two files; an Elixir service
whose `mix compile --warnings-as-errors` fails on a deprecation after a toolchain upgrade.

Each folder under data11/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it. Where gardener is wrong,
that assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed). The checks every round
shares live in test_scenario_invariants.py (data11/invariants.toml); this module holds round 11's own conclusions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round
from tests.scenarios.queries import defect, from_file, holders, only_root, roots

DATA = Path(__file__).resolve().parent / "data11"

NUGET = "azure-nuget-nu1301-restore-outage"
FLUTTER = "actions-flutter-pub-sdk-constraint"
JULIA = "actions-julia-windows-only"
RCHECK = "gitlab-r-cmd-check-testthat"
GOTESTSUM = "actions-gotestsum-rerun-flaky"
DUNE = "gitlab-ocaml-dune-unbound-module"
ELIXIR = "actions-elixir-warnings-as-errors"

ROUND = load_round(DATA)  # its CI stamps and wrapper lines: data11/invariants.toml
evidence = ROUND.evidence  # a finding's evidence lines without CI stamps or colours

# Known defects (each a strict xfail below; a fix lifts its marks and says so).
# was a defect (fixed by priority_evidence reading .NET's `Response status code does not indicate success: 503` and the
# NuGet source NU1301 names):
NUGET_OUTAGE = ("NuGet's `error NU1301: Unable to load the service index for source "
                "https://api.nuget.org/v3/index.json.` with `Response status code does not indicate success: 503 "
                "(Service Unavailable).` is a P0 with no third-party reason: neither .NET's status wording nor NuGet's "
                "source is read as a host's 5xx")
NUGET_FOLD = ("`dotnet test --no-restore`'s `error NETSDK1004: Assets file '.../project.assets.json' not found. Run a "
              "NuGet package restore` (the next task of the same Azure job, after the failed restore) is an "
              "unclassified P2 root of its own: no rule reads NETSDK1004, and two task logs of one Azure job are two "
              "jobs to consequences.py, so nothing folds it under the restore")
# was a defect (fixed by dropping families.py's catch-all `^Test Summary:\s+\|` anchor):
JULIA_GREEN = ("a passing Julia run's `Test Summary: | Pass  Total   Time` header is an unclassified P2 finding of the "
               "two green legs")
JULIA_READER = ("Julia's Test output is read only as log lines, never as tests: the failing testset (`export paths: "
                "Test Failed at ...`) is no test of the finding, the `Test Summary:` table after it is a second "
                "finding (`Assertion fails in the test`, its evidence the table's first row), and since no test "
                "reported a result on windows-latest the one-platform lowering says nothing was tested there (stays "
                "P2)")
RCHECK_TEST = ("testthat's failure block inside R CMD check's `Last 13 lines of output:` (`── Failure "
               "('test-parse.R:41:3'): parse_amount reads ... ──`) is read for the title but gives the finding no test")
GOTESTSUM_RERUN = ("gotestsum's `--format testname` lines (`FAIL internal/invoice.TestX (re-run 1)`, `PASS "
                   "internal/queue.TestY (re-run 1)`) are not read as one test's attempts: each failing test is two "
                   "findings (`pkg::TestX` from the testname line, bare `TestX` from go's `--- FAIL:`), the re-run "
                   "pass makes no flaky-test finding, and one finding's evidence is the other test's assertion")
# was a defect (fixed by priority_evidence's test step reading dune's runtest alias):
DUNE_STOPPED = ("a compile error that stopped `opam exec -- dune build @install @runtest` before any test ran stays "
                "P1: dune's `@runtest` alias is not read as the job's test step")
# was a defect (fixed by compile.elixir-warnings-as-errors and mix's verdict read as a summary line):
ELIXIR_WARNINGS = ("Elixir's boxed compiler warning (`warning: Logger.warn/1 is deprecated. Use Logger.warning/2 "
                   "instead` / `└─ lib/relay/worker.ex:42:12: ...`) under `mix compile --warnings-as-errors` is not "
                   "read: the finding is `Code does not compile` keyed and evidenced on mix's wrapper `Compilation "
                   "failed due to warnings while using the --warnings-as-errors option`")


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


def all_follow(run: Run, root: dict[str, Any]) -> None:
    """Every finding is the root itself or blocked by it."""
    for f in run.findings:
        assert f is root or root["id"] in run.blockers(f), run.describe()


def no_third_party(f: dict[str, Any]) -> None:
    assert "third part" not in f["priority_reason"] and "does not own" not in f["priority_reason"], f["priority_reason"]


# --- Azure Pipelines / NuGet: nuget.org answers 503; the test task finds no assets file ------------------------------


def restore(run: Run) -> dict[str, Any]:
    (f,) = from_file(run, "Restore.log")
    return f


# was a defect (NUGET_OUTAGE)
def test_nuget_restore_is_a_p1_third_party_first(outputs: Outputs) -> None:
    run = outputs.runs[NUGET]
    f = restore(run)
    assert run.findings[0] is f and f["blocked_by"] == [], run.describe()
    assert f["priority"] == "P1", f
    assert f["category"] in ("dependency-install-failure", "registry-access-failure"), f
    assert re.search(r"(?i)NU1301|nuget|service index", f["title"]), f["title"]
    assert "api.nuget.org" in f["priority_reason"] and "503" in f["priority_reason"], f["priority_reason"]


def test_nuget_evidence_is_nu1301(outputs: Outputs) -> None:
    run = outputs.runs[NUGET]
    lines = evidence(run, restore(run))
    assert lines and all("error NU1301" in line for line in lines), lines


def test_nuget_pasted_excerpt_is_the_same_outage(outputs: Outputs) -> None:
    (f,) = outputs.classified["nu1301-excerpt.txt"]
    assert (f["category"], f["priority"]) == ("dependency-install-failure", "P1"), f
    assert "api.nuget.org" in f["priority_reason"] and "503" in f["priority_reason"], f["priority_reason"]


@defect(NUGET_FOLD)
def test_nuget_missing_assets_file_follows_the_restore(outputs: Outputs) -> None:
    run = outputs.runs[NUGET]
    assert only_root(run) is restore(run), run.describe()
    all_follow(run, restore(run))
    for f in from_file(run, "Test.log"):
        assert f["priority"] not in ("P0", "P1") or f is restore(run), run.describe()


# --- Actions / Flutter: pub's solver fails in both jobs (the pinned Flutter's Dart is too old) ----------------------


def test_flutter_one_p0_resolution_failure_in_both_jobs(outputs: Outputs) -> None:
    run = outputs.runs[FLUTTER]
    (f,) = run.findings
    assert f["category"] == "dependency-install-failure" and f["priority"] == "P0", f
    assert from_file(run, "analyze.log") == from_file(run, "test.log") == [f], run.describe()
    no_third_party(f)


def test_flutter_title_names_the_constraint(outputs: Outputs) -> None:
    (f,) = outputs.runs[FLUTTER].findings
    assert re.search(r"(?i)go_router|SDK version|version solving", f["title"]), f["title"]


def test_flutter_evidence_is_the_solver(outputs: Outputs) -> None:
    run = outputs.runs[FLUTTER]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.search(r"version solving failed\.$|^The current Dart SDK version is", line)
                         for line in lines), lines


# --- Actions / Julia: one @test fails on windows-latest only ---------------------------------------------------------


@defect(JULIA_READER)
def test_julia_one_p3_assertion_on_windows(outputs: Outputs) -> None:
    run = outputs.runs[JULIA]
    (f,) = run.findings
    assert f["category"] == "assertion-failure" and f["priority"] == "P3", f
    assert "windows" in f["priority_reason"], f["priority_reason"]


@defect(JULIA_READER)
def test_julia_title_and_test_name_the_testset(outputs: Outputs) -> None:
    (f,) = outputs.runs[JULIA].findings
    assert re.search(r"export paths|relative_export_path|export\.jl", f["title"]), f["title"]
    assert any("export paths" in t for t in f["tests"]), f["tests"]


@defect(JULIA_READER)
def test_julia_evidence_is_the_failed_test(outputs: Outputs) -> None:
    run = outputs.runs[JULIA]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.search(r"Test Failed at |Evaluated: ", line) for line in lines), lines


# was a defect (JULIA_GREEN)
def test_julia_green_legs_give_nothing(outputs: Outputs) -> None:
    run = outputs.runs[JULIA]
    assert from_file(run, "Julia 1.11 - ubuntu-latest - x64.log") == []
    assert from_file(run, "Julia 1.11 - macos-latest - aarch64.log") == []


# --- GitLab / R CMD check: testthat fails one expectation ------------------------------------------------------------


@defect(RCHECK_TEST)
def test_rcheck_one_p2_assertion_naming_the_test(outputs: Outputs) -> None:
    run = outputs.runs[RCHECK]
    (f,) = run.findings
    assert f["category"] == "assertion-failure" and f["priority"] == "P2", f
    assert re.search(r"parse_amount|thousands mark", f["title"]), f["title"]
    assert any("parse_amount reads a narrow no-break space" in t for t in f["tests"]), f["tests"]


def test_rcheck_evidence_is_the_failure_block(outputs: Outputs) -> None:
    run = outputs.runs[RCHECK]
    lines = evidence(run, run.findings[0])
    # (the block's lines: its header, the expectation's message `(`actual`) not equal to 1234.5 (`expected`).`, the
    # values under it)
    assert lines and all(re.search(r"── Failure \('test-parse\.R:41:3'\)|`actual`|`expected`", line)
                         for line in lines), lines


# --- Actions / gotestsum: one test fails every attempt, another passes on its re-run ---------------------------------


@defect(GOTESTSUM_RERUN)
def test_gotestsum_real_failure_is_a_p2_first(outputs: Outputs) -> None:
    run = outputs.runs[GOTESTSUM]
    (f,) = holders(run, "TestInvoiceRoundsHalfEven").values()
    assert run.findings[0] is f and f["blocked_by"] == [], run.describe()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2", f
    assert len(f["tests"]) == 1, f["tests"]


@defect(GOTESTSUM_RERUN)
def test_gotestsum_evidence_is_the_assertion(outputs: Outputs) -> None:
    run = outputs.runs[GOTESTSUM]
    (f,) = holders(run, "TestInvoiceRoundsHalfEven").values()
    lines = evidence(run, f)
    assert lines and all(re.search(r"total = 10\.04, want 10\.05|--- FAIL: TestInvoiceRoundsHalfEven", line)
                         for line in lines), lines


@defect(GOTESTSUM_RERUN)
def test_gotestsum_rerun_pass_is_a_p3_flaky_test(outputs: Outputs) -> None:
    run = outputs.runs[GOTESTSUM]
    (f,) = holders(run, "TestConsumerAcksAfterRedelivery").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3", f
    assert f["blocked_by"] == [], run.describe()
    assert len(run.findings) == 2, run.describe()


# --- GitLab / dune: In_channel is unbound on OCaml 4.13 in two files -------------------------------------------------


# was a defect (DUNE_STOPPED)
def test_dune_one_p0_compile_error(outputs: Outputs) -> None:
    run = outputs.runs[DUNE]
    (f,) = run.findings
    assert f["category"] == "compile-error" and f["priority"] == "P0", f
    assert re.search(r"In_channel|source\.ml|tinyc\.ml", f["title"]), f["title"]
    no_third_party(f)


def test_dune_evidence_is_the_compiler(outputs: Outputs) -> None:
    run = outputs.runs[DUNE]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.search(r"Error: Unbound module In_channel|^File \"(?:lib|bin)/\w+\.ml\", line \d+", line)
                         for line in lines), lines


# --- Actions / Elixir: a deprecation fails `mix compile --warnings-as-errors` ----------------------------------------


# was a defect (ELIXIR_WARNINGS)
def test_elixir_one_urgent_compile_error(outputs: Outputs) -> None:
    run = outputs.runs[ELIXIR]
    (f,) = run.findings
    assert f["category"] == "compile-error" and f["priority"] in ("P0", "P1"), f
    assert re.search(r"Logger\.warn|deprecat|worker\.ex|verifier\.ex", f["title"]), f["title"]
    no_third_party(f)


# was a defect (ELIXIR_WARNINGS)
def test_elixir_evidence_is_the_warning(outputs: Outputs) -> None:
    run = outputs.runs[ELIXIR]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.search(r"warning: Logger\.warn/1 is deprecated|└─ lib/relay/\S+\.ex:\d+:\d+", line)
                         for line in lines), lines


def test_round_has_roots(outputs: Outputs) -> None:
    for name in ROUND.scenarios:
        assert roots(outputs.runs[name]), name
