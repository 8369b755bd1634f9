"""End to end, round 9: eight more CI outages, each unlike the earlier rounds' (see data9/*/EXPECTED.md).

A GitLab pipeline whose Maven deploy Nexus refuses with 401 after a token rotation, so the later jobs find no
SNAPSHOT; a Kotlin Multiplatform build where only the iOS target fails (macOS leg); a pnpm workspace where one
package's vitest suite fails and another passes on one retry; a Bazel build on Buildkite whose remote cache does not
resolve (gRPC UNAVAILABLE); Rails system tests whose headless Chrome tab crashes, taking the session's later tests
with it; a Helm install on kind timing out on pods in ImagePullBackOff; a cargo workspace failing on Windows only on
the path-length limit (os error 206); a nightly soak job cancelled at Actions' 6-hour limit.

Each folder under data9/ holds the input files as the CI system hands them out and an EXPECTED.md written before
gardener read them. The tests assert those conclusions through the CLI as a user runs it. Where gardener is wrong,
that assertion carries `xfail(strict=True)` naming the defect (XPASS fails once it is fixed). The checks every round
shares live in test_scenario_invariants.py (data9/invariants.toml); this module holds round 9's own conclusions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Run, load_round
from tests.scenarios.queries import from_file, holders, only_root, roots

DATA = Path(__file__).resolve().parent / "data9"

NEXUS = "gitlab-maven-nexus-401"
KMP = "actions-kmp-ios-only"
VITEST = "actions-pnpm-vitest-one-package"
BAZEL = "buildkite-bazel-remote-cache-down"
CHROME = "circleci-rails-chrome-page-crash"
HELM = "actions-helm-kind-imagepullbackoff"
CARGO = "actions-cargo-windows-path-length"
SOAK = "actions-nightly-soak-6h-limit"

ROUND = load_round(DATA)  # its CI stamps and wrapper lines, its secrets: data9/invariants.toml
evidence = ROUND.evidence  # a finding's evidence lines without CI stamps or colours

# Known defects (each a strict xfail below; a fix lifts its marks and says so).
# was a defect (fixed by correlate.py's artifact evidence and auth.repository-refused-deploy's blocks):
NEXUS_FOLD = ("a later GitLab job's `Could not find artifact com.kestrel.ledger:ledger-core:jar:2.4.0-SNAPSHOT` (the "
              "job that deploys it was refused by Nexus) is its own P0 `dependency-install-failure` root listed first, "
              "not blocked by the deploy's 401")
# was a defect (fixed by auth.repository-refused-deploy):
NEXUS_TITLE = ("maven-deploy-plugin's `Failed to deploy artifacts: Could not transfer artifact ... from/to "
               "nexus-snapshots (https://nexus.kestrel.dev/...): status code: 401` is titled `Dependency repository "
               "refuses the build's credentials (HTTP 401)`: a deploy is called a dependency download, and neither "
               "the repository nor its host is named")
# was a defect (fixed by runner_log/vitest.py reading the retry suffix):
VITEST_RETRY = ("vitest's ` (retry x1)` suffix on a passed test (`✓ src/relay.test.ts > retries a 503 from the mail "
                "relay once 1212ms (retry x1)`) is not read: no flaky-test finding")
# was a defect (fixed by ci.remote-cache-unreachable):
BAZEL_REMOTE = ("Bazel's `failed: Failed to query remote execution capabilities: UNAVAILABLE: Unable to resolve host "
                "...` is unclassified P2 `Job fails without a recognisable cause`, one finding per failed action")
# was a defect (fixed by crash.browser-tab, runtime.webdriver-session-gone and consequences.REFERS_BACK):
CHROME_CRASH = ("Selenium's `unknown error: session deleted because of page crash` / `from tab crashed` is an "
                "`Unclassified failure`, and the session's later `InvalidSessionIdError: invalid session id` tests are "
                "a second root instead of following the crash")
# was a defect (fixed by the anchor image-pull-failed and consequences.REFERS_BACK):
HELM_PULL = ("kubelet's `Failed to pull image \"ghcr.io/...:sha-5e0c2a9\": ... not found` in a `kubectl describe pods` "
             "dump is not read: Helm's `INSTALLATION FAILED: context deadline exceeded` is the only finding, a P2 "
             "`Operation timed out`")
# was a defect (fixed by ci.path-too-long and priority_evidence ReachFacts.platform_untested):
BUILD_SCRIPT = ("a cargo build script's panic (`failed to run custom build command for ledger-proto` / `thread 'main' "
                "panicked at crates\\ledger-proto\\build.rs` / `Os { code: 206, ... too long. }`) is `Unexpected "
                "exception in code under test`, a runtime-exception lowered to P3 for one platform like a failing test")


@pytest.fixture(scope="module")
def outputs(round_outputs: Callable[[Path], Outputs]) -> Outputs:
    return round_outputs(DATA)


def all_follow(run: Run, root: dict[str, Any]) -> None:
    """Every finding is the root itself or blocked by it."""
    for f in run.findings:
        assert f is root or root["id"] in run.blockers(f), run.describe()


def no_third_party(f: dict[str, Any]) -> None:
    assert "third part" not in f["priority_reason"] and "does not own" not in f["priority_reason"], f["priority_reason"]


# --- GitLab / Maven: Nexus refuses the deploy with 401; the later jobs find no SNAPSHOT -----------------------------


def nexus_deploy(run: Run) -> dict[str, Any]:
    (f,) = from_file(run, "publish-snapshot.log")
    return f


# was a defect (NEXUS_FOLD)
def test_nexus_one_root_the_refused_deploy_first(outputs: Outputs) -> None:
    run = outputs.runs[NEXUS]
    f = only_root(run)
    assert run.findings[0] is f and f is nexus_deploy(run), run.describe()


def test_nexus_deploy_is_an_auth_error_of_our_own(outputs: Outputs) -> None:
    f = nexus_deploy(outputs.runs[NEXUS])
    assert f["category"] == "auth-error" and f["priority"] in ("P0", "P1"), f
    no_third_party(f)


# was a defect (NEXUS_TITLE)
def test_nexus_title_names_the_repository_and_the_refusal(outputs: Outputs) -> None:
    title = nexus_deploy(outputs.runs[NEXUS])["title"]
    assert re.search(r"401|Unauthorized", title) and re.search(r"(?i)nexus|deploy", title), title
    assert not re.search(r"(?i)dependency", title), title


def test_nexus_evidence_is_the_401(outputs: Outputs) -> None:
    run = outputs.runs[NEXUS]
    lines = evidence(run, nexus_deploy(run))
    assert lines and all("status code: 401" in line for line in lines), lines
    assert not [line for line in lines if "$ mvn" in line], lines


# was a defect (NEXUS_FOLD)
@pytest.mark.parametrize("job", ["integration-test.log", "contract-test.log"])
def test_nexus_missing_snapshot_follows_the_deploy(outputs: Outputs, job: str) -> None:
    run = outputs.runs[NEXUS]
    root = nexus_deploy(run)
    found = from_file(run, job)
    assert found, run.describe()
    for f in found:
        assert f is root or root["id"] in run.blockers(f), run.describe()


def test_nexus_pasted_excerpt_is_the_refused_deploy(outputs: Outputs) -> None:
    (first, *_) = outputs.classified["publish-excerpt.txt"]
    assert first["category"] == "auth-error" and "nexus" in first["title"], first


# --- Kotlin Multiplatform: the iOS target needs an opt-in; JVM and Android are green --------------------------------


def test_kmp_one_p1_compile_error_naming_the_file_and_platform(outputs: Outputs) -> None:
    run = outputs.runs[KMP]
    (f,) = run.findings
    assert f["category"] == "compile-error" and f["priority"] == "P1", f
    assert re.search(r"KeychainStore\.kt|ExperimentalForeignApi|compileKotlinIos", f["title"]), f["title"]
    assert re.search(r"(?i)macos|ios", f["priority_reason"]), f["priority_reason"]


def test_kmp_evidence_is_the_kotlin_diagnostic(outputs: Outputs) -> None:
    run = outputs.runs[KMP]
    lines = evidence(run, run.findings[0])
    assert lines and all(re.match(r"e: file:///\S+KeychainStore\.kt:\d+:\d+ This declaration needs opt-in", line)
                         for line in lines), lines


def test_kmp_no_finding_from_the_linux_leg(outputs: Outputs) -> None:
    assert from_file(outputs.runs[KMP], "build (ubuntu-24.04).log") == []


# --- pnpm / vitest: one package's assertion fails; another's test passes on its retry -------------------------------


def test_vitest_assertion_is_a_p2_counted_once_first(outputs: Outputs) -> None:
    run = outputs.runs[VITEST]
    (f,) = holders(run, "rounds a half cent up on upgrade").values()
    assert run.findings[0] is f and f["blocked_by"] == [], run.describe()
    assert f["category"] == "assertion-failure" and f["priority"] == "P2", f
    assert len(f["tests"]) == 1, f["tests"]


def test_vitest_assertion_evidence_says_what_differs(outputs: Outputs) -> None:
    run = outputs.runs[VITEST]
    (f,) = holders(run, "rounds a half cent up on upgrade").values()
    lines = evidence(run, f)
    assert lines and any("expected 1999 to be 2000" in line or "proration.test.ts:48" in line for line in lines), lines


# was a defect (VITEST_RETRY)
def test_vitest_retried_pass_is_a_p3_flaky_test(outputs: Outputs) -> None:
    run = outputs.runs[VITEST]
    (f,) = holders(run, "retries a 503 from the mail relay once").values()
    assert f["category"] == "flaky-test" and f["priority"] == "P3", f
    assert f["blocked_by"] == [], run.describe()
    assert len(run.findings) == 2, run.describe()


def test_vitest_no_p1_for_a_503_in_a_test_name(outputs: Outputs) -> None:
    assert [f["priority"] for f in outputs.runs[VITEST].findings if f["priority"] in ("P0", "P1")] == []


# --- Bazel / Buildkite: the remote cache's host does not resolve ----------------------------------------------------


# was a defect (BAZEL_REMOTE)
def test_bazel_one_infrastructure_root_naming_the_cache(outputs: Outputs) -> None:
    run = outputs.runs[BAZEL]
    f = only_root(run)
    assert run.findings[0] is f, run.describe()
    assert f["category"] in ("ci-runner-failure", "connection-refused") and f["priority"] in ("P0", "P1"), f
    assert re.search(r"(?i)remote (?:cache|execution)|bazel-cache\.kestrel\.internal", f["title"]), f["title"]
    no_third_party(f)
    all_follow(run, f)


def test_bazel_is_no_compile_error(outputs: Outputs) -> None:
    assert outputs.runs[BAZEL].of("compile-error") == [], outputs.runs[BAZEL].describe()


def test_bazel_evidence_is_the_capabilities_failure(outputs: Outputs) -> None:
    run = outputs.runs[BAZEL]
    for f in roots(run):
        lines = evidence(run, f)
        assert lines and all("Failed to query remote execution capabilities: UNAVAILABLE" in line
                             for line in lines), lines


# --- Rails / Chrome: the tab crashes; the session's later tests find it gone -----------------------------------------


def crash(run: Run) -> dict[str, Any]:
    (f,) = holders(run, "test_guest_checks_out_with_a_saved_address").values()
    return f


# was a defect (CHROME_CRASH)
def test_chrome_crash_is_the_one_root_first(outputs: Outputs) -> None:
    run = outputs.runs[CHROME]
    f = crash(run)
    assert only_root(run) is f and run.findings[0] is f, run.describe()
    assert f["category"] in ("segfault-crash", "out-of-memory", "ci-runner-failure") and f["priority"] == "P1", f
    assert re.search(r"(?i)page crash|tab crashed|chrome", f["title"]), f["title"]
    assert holders(run, "test_lists_orders_newest_first") == {f["id"]: f}, run.describe()


@pytest.mark.parametrize("test", ["test_applies_a_gift_card_to_the_order",
                                  "test_shows_the_shipping_estimate_before_payment", "test_reorders_a_past_order"])
# was a defect (CHROME_CRASH)
def test_chrome_invalid_session_follows_the_crash(outputs: Outputs, test: str) -> None:
    run = outputs.runs[CHROME]
    root = crash(run)
    for f in holders(run, test).values():
        assert f is root or root["id"] in run.blockers(f), run.describe()


def test_chrome_tests_counted_once_none_an_assertion(outputs: Outputs) -> None:
    run = outputs.runs[CHROME]
    tests = [t for f in run.findings for t in f["tests"]]
    assert len(tests) == len(set(tests)) == 5, tests
    assert run.of("assertion-failure") == [], run.describe()


def test_chrome_evidence_is_the_page_crash(outputs: Outputs) -> None:
    run = outputs.runs[CHROME]
    lines = evidence(run, crash(run))
    assert lines and all("session deleted because of page crash" in line or "tab crashed" in line
                         for line in lines), lines


# --- Helm / kind: the chart's image tag does not exist; the install times out ---------------------------------------


# was a defect (HELM_PULL)
def test_helm_one_root_naming_the_missing_image(outputs: Outputs) -> None:
    run = outputs.runs[HELM]
    f = only_root(run)
    assert run.findings[0] is f, run.describe()
    assert f["category"] == "registry-access-failure" and f["priority"] in ("P0", "P1"), f
    assert re.search(r"ledger-api|sha-5e0c2a9", f["title"]), f["title"]
    assert "denied" not in f["title"], f["title"]  # the tag does not exist; nothing was refused
    no_third_party(f)
    all_follow(run, f)


# was a defect (HELM_PULL)
def test_helm_evidence_is_the_failed_pull(outputs: Outputs) -> None:
    run = outputs.runs[HELM]
    lines = evidence(run, only_root(run))
    assert lines and re.search(r'Failed to pull image "ghcr\.io/kestrel-labs/ledger-api:sha-5e0c2a9".*not found',
                               lines[0]), lines


def test_helm_timeout_is_not_a_p0(outputs: Outputs) -> None:
    for f in outputs.runs[HELM].of("timeout-hang"):
        assert f["priority"] != "P0", f


# --- cargo on Windows: a build script's path is too long (os error 206) ---------------------------------------------


# was a defect (BUILD_SCRIPT)
def test_cargo_one_p1_build_failure_for_windows(outputs: Outputs) -> None:
    run = outputs.runs[CARGO]
    (f,) = run.findings
    assert f["category"] in ("compile-error", "ci-runner-failure") and f["priority"] == "P1", f
    assert re.search(r"(?i)windows", f["priority_reason"]), f["priority_reason"]
    assert re.search(r"(?i)ledger-proto|build script|too long|206", f["title"]), f["title"]


def test_cargo_evidence_names_the_path_limit(outputs: Outputs) -> None:
    run = outputs.runs[CARGO]
    lines = [line for f in run.findings for line in evidence(run, f)]
    assert lines and not [line for line in lines if "waiting for other jobs" in line], lines


def test_cargo_no_finding_from_the_linux_leg(outputs: Outputs) -> None:
    assert from_file(outputs.runs[CARGO], "test (ubuntu-24.04).log") == []


# --- Actions: the nightly soak job is cancelled at the 6-hour limit -------------------------------------------------


def test_soak_one_timeout_naming_the_limit_or_test(outputs: Outputs) -> None:
    run = outputs.runs[SOAK]
    (f,) = run.findings
    assert f["category"] == "timeout-hang" and f["priority"] in ("P1", "P2"), f
    assert re.search(r"360 minutes|6 hours|test_follower_catches_up_after_partition", f["title"]), f["title"]


def test_soak_evidence_is_the_limit_line(outputs: Outputs) -> None:
    run = outputs.runs[SOAK]
    lines = evidence(run, run.findings[0])
    assert lines and any("exceeded the maximum execution time of 360 minutes" in line for line in lines), lines
    assert not [line for line in lines if line.endswith("The operation was canceled.")], lines
