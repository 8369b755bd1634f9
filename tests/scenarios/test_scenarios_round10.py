"""End to end, round 10: six more CI outages, each unlike the earlier rounds' (see data10/*/EXPECTED.md).

A Go service's job whose `apt-get update` fails on a third-party apt repository's Hash Sum mismatch, so protoc is
never installed and the generated package is missing; a Prow e2e job (Ginkgo v2 on kind) whose operator webhook
refuses connections in two specs while a third passes on its second attempt; a GitLab pipeline of an sbt
multi-project whose `core` does not compile (Scala 3's Type Mismatch) in two jobs; a Nix flake whose `vendorHash`
no longer matches its Go modules (a fixed-output derivation's hash mismatch); a Cypress run with one test failing
all three attempts and another passing on its second; a Haskell matrix whose new GHC leg finds no cabal build plan.

Each folder under data10/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it. Where gardener is wrong,
that assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed). The checks every round
shares live in test_scenario_invariants.py (data10/invariants.toml); this module holds round 10's own conclusions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round
from tests.scenarios.queries import defect, from_file, holders, only_root, roots

DATA = Path(__file__).resolve().parent / "data10"

APT = "actions-apt-mirror-hash-sum"
PROW = "prow-ginkgo-webhook-refused"
SBT = "gitlab-sbt-core-type-mismatch"
NIX = "actions-nix-vendorhash-mismatch"
CYPRESS = "actions-cypress-retry-flaky-broken"
CABAL = "actions-cabal-new-ghc-solver"

ROUND = load_round(DATA)  # its CI stamps and wrapper lines: data10/invariants.toml
evidence = ROUND.evidence  # a finding's evidence lines without CI stamps or colours

# Known defects (each a strict xfail below; a fix lifts its marks and says so).
# was a defect (fixed by priority_evidence MIRROR_SYNC and deps.apt naming the mirror):
APT_MIRROR = ("apt's `E: Failed to fetch https://packages.microsoft.com/... Hash Sum mismatch` (a third-party apt "
              "repository mid-sync) is a P0 `System package install fails`: neither the mismatch nor the host is "
              "named, and no third-party reason says a re-run passes once the mirror is consistent")
APT_FOLD = ("go test's `main module (...) does not contain package .../gen/ledger/v1` after the failed apt install "
            "(protoc never installed, so nothing was generated) is a P1 compile-error root of its own, not blocked by "
            "the install")
# was a defect (fixed by runner_log/ginkgo.py):
GINKGO = ("Ginkgo v2's spec blocks (`• [FAILED] [10.4 seconds]` / `<container> [It] <spec>` / `[FAILED] ...` / "
          "`In [It] at:`) are not read as specs: the two webhook specs' refusal holds no test, the second spec's "
          "refusal is a P2 `flaky-test` (the summary's `1 Flaked`), `[FAILED] Expected` an assertion-failure, `--- "
          "FAIL: TestE2E` (the suite's Go wrapper) an unclassified finding, and the flaked spec is never named")
# was a defect (fixed by compile.scala3-diagnostic and the families.py anchor for its header):
SCALA3 = ("Scala 3's diagnostic header `[error] -- [E007] Type Mismatch Error: <file>:41:10` is not read: the finding "
          "is `Code does not compile` keyed on sbt's wrapper `(core / Compile / compileIncremental) Compilation "
          "failed`, its evidence the box's `Required: Long` line")
# was a defect (fixed with SCALA3: the incident is the diagnostic inside the job's `$ sbt -batch test` step):
SBT_STOPPED = ("a compile error that stopped `sbt -batch test` in both GitLab jobs before any test ran stays P1: the "
               "GitLab trace's `$ sbt -batch test` is not read as the job's test step")
# was a defect (fixed by deps.more-package-managers' key-v9 veto: deps.nix-hash-mismatch names it):
NIX_TITLE = ("Nix's `error: hash mismatch in fixed-output derivation '...-ledger-0.9.2-go-modules.drv'` is titled `A "
             "dependency cannot be installed`, keyed with the derivation's store hash (deps.more-package-managers "
             "outranked deps.nix-hash-mismatch)")
NIX_EVIDENCE = ("`nix flake check`'s consequence line `error: 1 dependencies of derivation '...-ledger-tests.drv' "
                "failed to build` is among the finding's evidence: the step's own hash mismatch repeats the first "
                "step's, so the incident is anchored on the consequence line")
# was a defect (fixed by runner_log/mocha.py reading Cypress's attempts):
CYPRESS_RETRY = ("Cypress's `(Attempt 1 of 3) signs in with a magic link` followed by `✓ signs in with a magic link` "
                 "(a pass on its retry) is not read: no flaky-test finding")
# was a defect (fixed by deps.cabal-solver(-coded) capturing the package whose bounds exclude a boot package):
CABAL_TITLE = ("cabal's solver failure is titled `cabal cannot resolve the build plan` without the package whose bound "
               "excludes the compiler's base (`aeson`)")
CABAL_LEG = ("cabal's solver failure on the new GHC leg of a matrix whose other leg passed is P0: a compiler version "
             "is no platform to priority_evidence, and a job stopped before its tests is kept as urgent as a build "
             "broken everywhere")
# was a defect (fixed by the cabal family anchoring the coded form's `Could not resolve dependencies:`):
CABAL_EVIDENCE = "the cabal finding's evidence is the bare `Error: [Cabal-7107]` code line, not `Could not resolve ...`"


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


def all_follow(run: Run, root: dict[str, Any]) -> None:
    """Every finding is the root itself or blocked by it."""
    for f in run.findings:
        assert f is root or root["id"] in run.blockers(f), run.describe()


def no_third_party(f: dict[str, Any]) -> None:
    assert "third part" not in f["priority_reason"] and "does not own" not in f["priority_reason"], f["priority_reason"]


# --- Actions / apt: a third-party apt repository's Hash Sum mismatch; protoc never installed -------------------------


def apt_install(run: Run) -> dict[str, Any]:
    (f,) = run.of("dependency-install-failure")
    return f


# was a defect (APT_MIRROR)
def test_apt_install_is_a_p1_third_party_first(outputs: Outputs) -> None:
    run = outputs.runs[APT]
    f = apt_install(run)
    assert run.findings[0] is f and f["blocked_by"] == [], run.describe()
    assert f["priority"] == "P1", f
    assert re.search(r"(?i)apt|hash sum mismatch|package index", f["title"]), f["title"]
    assert "packages.microsoft.com" in f["title"] + f["priority_reason"], (f["title"], f["priority_reason"])


@defect(APT_FOLD)
def test_apt_one_root(outputs: Outputs) -> None:
    run = outputs.runs[APT]
    assert only_root(run) is apt_install(run), run.describe()
    all_follow(run, apt_install(run))


def test_apt_evidence_is_the_refused_index(outputs: Outputs) -> None:
    run = outputs.runs[APT]
    lines = evidence(run, apt_install(run))
    assert lines and all("Hash Sum mismatch" in line or line.startswith("Err:8 ") for line in lines), lines


@defect(APT_FOLD)
def test_apt_missing_tool_and_package_are_not_roots(outputs: Outputs) -> None:
    run = outputs.runs[APT]
    for f in run.findings:
        if re.search(r"protoc|does not contain package|setup failed", f["title"] + f["signature"]["text"]):
            assert f["blocked_by"], run.describe()


# --- Prow / Ginkgo: the operator's webhook refuses connections; one spec flakes -------------------------------------


WEBHOOK_SPECS = ("rejects a Queue with a negative retention", "defaults the Queue's replicas to 1")


def webhook(run: Run) -> dict[str, Any]:
    (f,) = {fid: f for spec in WEBHOOK_SPECS for fid, f in holders(run, spec).items()}.values()
    return f


# was a defect (GINKGO)
def test_prow_webhook_specs_are_one_connection_refused_first(outputs: Outputs) -> None:
    run = outputs.runs[PROW]
    f = webhook(run)
    assert run.findings[0] is f and f["blocked_by"] == [], run.describe()
    assert f["category"] == "connection-refused" and f["priority"] == "P1", f
    no_third_party(f)


# was a defect (GINKGO)
def test_prow_evidence_is_the_refusal(outputs: Outputs) -> None:
    run = outputs.runs[PROW]
    lines = evidence(run, webhook(run))
    assert lines and all("connect: connection refused" in line for line in lines), lines


# was a defect (GINKGO)
def test_prow_flaked_spec_is_a_p3_flaky_test(outputs: Outputs) -> None:
    run = outputs.runs[PROW]
    (f,) = holders(run, "scales the consumer deployment with the queue depth").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3", f
    assert f["blocked_by"] == [], run.describe()


# was a defect (GINKGO)
def test_prow_two_findings_no_suite_wrapper(outputs: Outputs) -> None:
    run = outputs.runs[PROW]
    assert len(run.findings) == 2, run.describe()


# --- GitLab / sbt: core does not compile; both test jobs stop on it --------------------------------------------------


def test_sbt_one_compile_error_in_both_jobs(outputs: Outputs) -> None:
    run = outputs.runs[SBT]
    (f,) = run.findings
    assert f["category"] == "compile-error", f
    assert from_file(run, "unit.log") == from_file(run, "integration.log") == [f], run.describe()


# was a defect (SCALA3)
def test_sbt_title_names_the_file_or_the_mismatch(outputs: Outputs) -> None:
    (f,) = outputs.runs[SBT].findings
    assert re.search(r"Money\.scala|Type Mismatch", f["title"]), f["title"]


# was a defect (SBT_STOPPED)
def test_sbt_is_p0_nothing_was_tested(outputs: Outputs) -> None:
    (f,) = outputs.runs[SBT].findings
    assert f["priority"] == "P0", f


# was a defect (SCALA3)
def test_sbt_evidence_is_the_scala_diagnostic(outputs: Outputs) -> None:
    run = outputs.runs[SBT]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.match(r"\[error\] -- \[E007\] Type Mismatch Error: \S+Money\.scala:41:10", line)
                         for line in lines), lines


# --- Actions / Nix: the flake's vendorHash no longer matches its Go modules ------------------------------------------


# was a defect (NIX_TITLE)
def test_nix_one_root_naming_the_hash_mismatch(outputs: Outputs) -> None:
    run = outputs.runs[NIX]
    (f,) = run.findings
    assert f["category"] in ("dependency-install-failure", "compile-error") and f["priority"] in ("P0", "P1"), f
    assert re.search(r"(?i)hash mismatch|ledger-0\.9\.2-go-modules", f["title"]), f["title"]
    no_third_party(f)


@defect(NIX_EVIDENCE)
def test_nix_evidence_is_the_mismatch(outputs: Outputs) -> None:
    run = outputs.runs[NIX]
    lines = evidence(run, run.findings[0])
    assert lines and any("hash mismatch in fixed-output derivation" in line for line in lines), lines
    assert not [line for line in lines if re.search(r"dependencies of derivation .* failed to build$", line)], lines


# --- Actions / Cypress: one test fails every attempt; another passes on its second -----------------------------------


def test_cypress_failure_is_a_p2_test_first(outputs: Outputs) -> None:
    run = outputs.runs[CYPRESS]
    (f,) = holders(run, "applies a discount code").values()
    assert run.findings[0] is f and f["blocked_by"] == [], run.describe()
    assert f["category"] in ("assertion-failure", "timeout-hang") and f["priority"] == "P2", f
    assert len(f["tests"]) == 1, f["tests"]


def test_cypress_evidence_says_what_was_never_found(outputs: Outputs) -> None:
    run = outputs.runs[CYPRESS]
    (f,) = holders(run, "applies a discount code").values()
    lines = evidence(run, f)
    assert lines and any("discount-applied" in line or "1) applies a discount code" in line for line in lines), lines


# was a defect (CYPRESS_RETRY)
def test_cypress_retried_pass_is_a_p3_flaky_test(outputs: Outputs) -> None:
    run = outputs.runs[CYPRESS]
    (f,) = holders(run, "signs in with a magic link").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3", f
    assert len(run.findings) == 2, run.describe()


def test_cypress_nothing_urgent(outputs: Outputs) -> None:
    assert [f for f in outputs.runs[CYPRESS].findings if f["priority"] in ("P0", "P1")] == []


# --- Actions / cabal: the new GHC leg finds no build plan ------------------------------------------------------------


# was a defect (CABAL_TITLE)
def test_cabal_one_resolution_failure_naming_the_bound(outputs: Outputs) -> None:
    run = outputs.runs[CABAL]
    (f,) = run.findings
    assert f["category"] == "dependency-install-failure", f
    assert re.search(r"aeson|base", f["title"]), f["title"]
    no_third_party(f)


@defect(CABAL_LEG)
def test_cabal_new_leg_is_p1(outputs: Outputs) -> None:
    (f,) = outputs.runs[CABAL].findings
    assert f["priority"] == "P1", f


# was a defect (CABAL_EVIDENCE)
def test_cabal_evidence_is_the_solver(outputs: Outputs) -> None:
    run = outputs.runs[CABAL]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.search(r"Could not resolve dependencies|rejecting: aeson-2\.2\.3\.0", line)
                         for line in lines), lines


def test_cabal_no_finding_from_the_green_leg(outputs: Outputs) -> None:
    assert from_file(outputs.runs[CABAL], "build (ghc-9.8.4).log") == []
    assert roots(outputs.runs[CABAL])
