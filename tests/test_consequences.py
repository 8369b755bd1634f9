"""Consequences within a job (gardener/consequences.py): a failed install's later fallout is blocked by it."""

from __future__ import annotations

from pathlib import Path

from gardener.config import Config
from gardener.consequences import fold_consequences
from gardener.model import Edge, Finding, Result, Signature, Source
from gardener.pipeline import RunOptions, build_report

INSTALL_THEN_TESTS = """\
2024-05-02T10:00:00.0000000Z ##[group]Run pip install -r requirements.txt
2024-05-02T10:00:00.0000000Z pip install -r requirements.txt
2024-05-02T10:00:00.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:00.0000000Z ##[endgroup]
2024-05-02T10:00:05.0000000Z ERROR: Could not find a version that satisfies the requirement shoplib==9.9
2024-05-02T10:00:05.0000000Z ERROR: No matching distribution found for shoplib==9.9
2024-05-02T10:00:05.5000000Z ##[error]Process completed with exit code 1.
2024-05-02T10:00:06.0000000Z ##[group]Run python -m pytest tests
2024-05-02T10:00:06.0000000Z python -m pytest tests
2024-05-02T10:00:06.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:06.0000000Z ##[endgroup]
2024-05-02T10:00:07.0000000Z Traceback (most recent call last):
2024-05-02T10:00:07.0000000Z   File "/home/runner/work/shop/shop/tests/conftest.py", line 3, in <module>
2024-05-02T10:00:07.0000000Z     import shoplib
2024-05-02T10:00:07.0000000Z ModuleNotFoundError: No module named 'shoplib'
2024-05-02T10:00:07.5000000Z ##[error]Process completed with exit code 4.
2024-05-02T10:00:08.0000000Z ##[group]Run black --check .
2024-05-02T10:00:08.0000000Z black --check .
2024-05-02T10:00:08.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:08.0000000Z ##[endgroup]
2024-05-02T10:00:08.1000000Z /home/runner/work/_temp/a1.sh: line 1: black: command not found
2024-05-02T10:00:08.5000000Z ##[error]Process completed with exit code 127.
"""

OTHER_JOB = """\
2024-05-02T10:00:07.0000000Z Traceback (most recent call last):
2024-05-02T10:00:07.0000000Z   File "/home/runner/work/shop/shop/tests/conftest.py", line 3, in <module>
2024-05-02T10:00:07.0000000Z     import shoplib
2024-05-02T10:00:07.0000000Z ModuleNotFoundError: No module named 'shoplib'
2024-05-02T10:00:07.5000000Z ##[error]Process completed with exit code 4.
"""


def test_later_failures_of_the_same_job_are_blocked_by_the_failed_install(tmp_path: Path) -> None:
    job = tmp_path / "test-job.log"
    job.write_text(INSTALL_THEN_TESTS, encoding="utf-8")
    report = build_report(RunOptions(paths=(str(job),)), Config())
    (install,) = [f for f in report.findings if f.rule_id == "deps.pip-resolution"]
    others = [f for f in report.findings if f.id != install.id]
    assert others, [(f.category, f.title) for f in report.findings]
    assert len(others) == 2, [(f.category, f.title) for f in report.findings]
    for f in others:  # the missing module and the missing command: both left missing by the install
        assert install.id in f.blocked_by, (f.category, f.title, f.blocked_by)
    reasons = [e.reason for e in report.edges if e.blocker == install.id]
    assert any("test-job" in r and "consequence" in r for r in reasons), reasons


def test_another_job_s_failure_is_not_folded(tmp_path: Path) -> None:
    job = tmp_path / "install-job.log"
    job.write_text(INSTALL_THEN_TESTS.split("##[group]Run python")[0].rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    other = tmp_path / "other-job.log"
    other.write_text(OTHER_JOB, encoding="utf-8")
    report = build_report(RunOptions(paths=(str(job), str(other))), Config())
    (install,) = [f for f in report.findings if f.rule_id == "deps.pip-resolution"]
    for e in report.edges:
        assert not (e.blocker == install.id and "consequence" in e.reason), e


def _finding(fid: str, category: str, path: str, line: int, message: str, rule: str = "r") -> Finding:
    r = Result(id=f"log:{fid}", outcome="error", source=Source(path, "log"), source_line=line, message=message)
    return Finding(id=fid, signature=Signature(message, "sig-v1", fid), results=(r,), category=category,
                   area="a", layer="test", priority="P2", priority_reason="", rule_id=rule, title=message,
                   root_cause="", impact="", captures=(), blocks=())


def test_disk_full_explains_later_writes_not_earlier_failures_nor_a_later_hang() -> None:
    disk = _finding("disk", "disk-full", "job.log", 50, "No space left on device")
    before = _finding("before", "assertion-failure", "job.log", 10, "assert 1 == 2")
    after = _finding("after", "runtime-exception", "job.log", 90, "OSError: [Errno 5] write failed")
    hang = _finding("hang", "timeout-hang", "job.log", 95, "Failed: Timeout (>90.0s) from pytest-timeout.")
    linked, edges = fold_consequences([disk, before, after, hang], [])
    by_id = {f.id: f for f in linked}
    assert by_id["after"].blocked_by == ("disk",) and by_id["before"].blocked_by == by_id["hang"].blocked_by == ()
    assert [(e.blocker, e.blocked) for e in edges] == [("disk", "after")]


def test_no_cycle_and_existing_edges_kept() -> None:
    build = _finding("build", "compile-error", "job.log", 5, "error[E0425]: cannot find value")
    later = _finding("later", "import-collection-error", "job.log", 9, "No such file or directory: target/app")
    kept = Edge("later", "build", "drawn by correlation")
    linked, edges = fold_consequences([build, later], [kept])
    assert edges == (kept,)  # build → later would close a cycle
    assert {f.id: f.blocked_by for f in linked} == {"build": (), "later": ()}


def test_a_failure_it_does_not_explain_stays_a_root_cause() -> None:
    build = _finding("build", "compile-error", "job.log", 5, "src/a.c:1:1: error: x")
    later = _finding("later", "assertion-failure", "job.log", 9, "assert 1 == 2")
    linked, edges = fold_consequences([build, later], [])
    assert edges == () and all(f.blocked_by == () for f in linked)


def test_each_consequence_is_folded_under_the_nearest_cause_before_it_once() -> None:
    first = _finding("first", "dependency-install-failure", "job.log", 5, "ERROR: No matching distribution found for a")
    second = _finding("second", "dependency-install-failure", "job.log", 20, "ERROR: No matching distribution for b")
    later = [_finding(f"m{i}", "import-collection-error", "job.log", 30 + i, f"No module named 'm{i}'")
             for i in range(50)]
    linked, edges = fold_consequences([first, second, *later], [])
    assert len(edges) == 50 and {e.blocker for e in edges} == {"second"}
    assert all(f.blocked_by == ("second",) for f in linked if f.id.startswith("m"))


def test_a_package_manager_reading_what_the_failed_install_left_is_its_consequence() -> None:
    """mix's `Unchecked dependencies` after a failed `mix deps.get`: it installs nothing, it reads the gap."""
    install = _finding("deps", "dependency-install-failure", "job.log", 6,
                       "Because your app depends on phoenix_live_view ~> 9.1 which doesn't match any versions, "
                       "version solving failed.")
    unchecked = _finding("unchecked", "dependency-install-failure", "job.log", 13,
                         "Unchecked dependencies for environment test:\n* phoenix_live_view (Hex package)\n"
                         '  the dependency is not available, run "mix deps.get"')
    retried = _finding("retried", "dependency-install-failure", "job.log", 30,
                       "Because your app depends on ecto ~> 9.0 which doesn't match any versions, "
                       "version solving failed.")
    linked, edges = fold_consequences([install, unchecked, retried], [])
    by_id = {f.id: f for f in linked}
    assert by_id["unchecked"].blocked_by == ("deps",), edges
    assert by_id["retried"].blocked_by == ()  # another install that fails is a root cause of its own


def test_a_missing_package_in_another_job_is_not_folded() -> None:
    install = _finding("deps", "dependency-install-failure", "a.log", 6, "version solving failed.")
    unchecked = _finding("unchecked", "dependency-install-failure", "b.log", 13,
                         "Could not find gem 'rails (~> 7.2.0)' in locally installed gems.")
    linked, _ = fold_consequences([install, unchecked], [])
    assert all(f.blocked_by == () for f in linked)


WAIT_THEN_REFUSED = """\
2024-05-02T10:00:00.0000000Z ##[group]Run npx wait-on -t 60000 http://localhost:8080/healthz
2024-05-02T10:00:00.0000000Z npx wait-on -t 60000 http://localhost:8080/healthz
2024-05-02T10:00:00.0000000Z ##[endgroup]
2024-05-02T10:01:00.0000000Z Error: Timed out waiting for: http://localhost:8080/healthz
2024-05-02T10:01:00.5000000Z ##[error]Process completed with exit code 1.
2024-05-02T10:01:01.0000000Z ##[group]Run pytest e2e
2024-05-02T10:01:01.0000000Z pytest e2e
2024-05-02T10:01:01.0000000Z ##[endgroup]
2024-05-02T10:01:02.0000000Z FAILED e2e/test_a.py::test_one - requests.exceptions.ConnectionError: \
HTTPConnectionPool(host='localhost', port=8080): Max retries exceeded with url: /healthz \
(Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a>: \
Failed to establish a new connection: [Errno 111] Connection refused'))
2024-05-02T10:01:02.0000000Z FAILED e2e/test_a.py::test_two - requests.exceptions.ConnectionError: \
HTTPConnectionPool(host='localhost', port=8080): Max retries exceeded with url: /healthz \
(Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3b>: \
Failed to establish a new connection: [Errno 111] Connection refused'))
2024-05-02T10:01:02.5000000Z ##[error]Process completed with exit code 1.
"""


def test_a_readiness_wait_that_timed_out_is_blocked_by_the_refusals_at_its_address(tmp_path: Path) -> None:
    """The wait comes first in the log, but it only shows from outside what the refusals show: nothing listens."""
    job = tmp_path / "e2e-job.log"
    job.write_text(WAIT_THEN_REFUSED, encoding="utf-8")
    report = build_report(RunOptions(paths=(str(job),)), Config())
    (wait,) = [f for f in report.findings if f.category == "timeout-hang"]
    (down,) = [f for f in report.findings if f.category == "connection-refused"]
    shown = [(f.category, f.blocked_by) for f in report.findings]
    assert wait.blocked_by == (down.id,) and down.blocked_by == (), shown
    (edge,) = [e for e in report.edges if e.blocked == wait.id]
    assert "localhost:8080" in edge.reason, edge.reason
    other = tmp_path / "other" / "e2e-job.log"  # a wait on another address is its own finding
    other.parent.mkdir()
    other.write_text(WAIT_THEN_REFUSED.replace("wait-on -t 60000 http://localhost:8080", "wait-on http://localhost:3000")
                     .replace("waiting for: http://localhost:8080", "waiting for: http://localhost:3000"),
                     encoding="utf-8")
    apart = build_report(RunOptions(paths=(str(other),)), Config())
    assert all(f.blocked_by == () for f in apart.findings), [(f.category, f.blocked_by) for f in apart.findings]


def test_findings_come_back_blockers_first_keeping_their_order_otherwise() -> None:
    tool = _finding("tool", "dependency-install-failure", "job.log", 40, "sh: 1: tsc: not found",
                    rule="deps.toolchain-missing")
    lock = _finding("lock", "dependency-install-failure", "job.log", 10, "npm ci: lock file out of sync")
    other = _finding("other", "assertion-failure", "other.log", 5, "assert 1 == 2")
    linked, _ = fold_consequences([tool, other, lock], [])
    assert [f.id for f in linked] == ["other", "lock", "tool"]
    assert linked[2].blocked_by == ("lock",)


def test_a_missing_tool_is_never_the_cause_of_a_later_missing_tool() -> None:
    lock = _finding("lock", "dependency-install-failure", "job.log", 10, "npm ci: lock file out of sync")
    tsc = _finding("tsc", "dependency-install-failure", "job.log", 40, "sh: 1: tsc: not found",
                   rule="deps.toolchain-missing")
    jest = _finding("jest", "dependency-install-failure", "job.log", 60, "sh: 1: jest: not found",
                    rule="deps.toolchain-missing")
    linked, _ = fold_consequences([lock, tsc, jest], [])
    assert {f.id: f.blocked_by for f in linked} == {"lock": (), "tsc": ("lock",), "jest": ("lock",)}


def test_the_same_disk_shortage_reported_again_later_is_blocked_by_the_first() -> None:
    disk = _finding("disk", "disk-full", "job.log", 50, "write /var/lib/x: no space left on device")
    warning = _finding("warn", "disk-full", "job.log", 90, "You are running out of disk space.")
    elsewhere = _finding("else", "disk-full", "other.log", 90, "You are running out of disk space.")
    linked, _ = fold_consequences([disk, warning, elsewhere], [])
    assert {f.id: f.blocked_by for f in linked} == {"disk": (), "warn": ("disk",), "else": ()}


def test_spring_refusing_a_failed_context_again_is_blocked_by_the_failure() -> None:
    failed = _finding("f-ctx", "timeout-hang", "it.log", 100,
                      "java.lang.IllegalStateException: Failed to load ApplicationContext for [WebMergedContextConfig]")
    again = _finding("f-again", "runtime-exception", "it.log", 140,
                     "java.lang.IllegalStateException: ApplicationContext failure threshold (1) exceeded: skipping "
                     "repeated attempt to load context for [MergedContextConfiguration@71e4b308 testClass = X]")
    other_job = _finding("f-other", "runtime-exception", "other.log", 150, again.results[0].message)
    findings, edges = fold_consequences((again, failed, other_job), ())
    by_id = {f.id: f for f in findings}
    assert by_id["f-again"].blocked_by == ("f-ctx",)
    assert by_id["f-other"].blocked_by == ()  # another job's refusal is not this failure's
    assert [f.id for f in findings].index("f-ctx") < [f.id for f in findings].index("f-again")
    assert len(edges) == 1 and "Spring skipped loading the test context again" in edges[0].reason


def test_a_command_to_a_crashed_browser_s_session_is_blocked_by_the_crash() -> None:
    crashed = _finding("f-crash", "segfault-crash", "system.log", 16,
                       "Selenium::WebDriver::Error::UnknownError: unknown error: session deleted because of page "
                       "crash\nfrom unknown error: cannot determine loading status\nfrom tab crashed")
    gone = _finding("f-gone", "runtime-exception", "system.log", 35,
                    "Selenium::WebDriver::Error::InvalidSessionIdError: invalid session id")
    other_job = _finding("f-other", "runtime-exception", "other.log", 40, "NoSuchSessionException: invalid session id")
    findings, edges = fold_consequences((gone, crashed, other_job), ())
    by_id = {f.id: f for f in findings}
    assert by_id["f-gone"].blocked_by == ("f-crash",)
    assert by_id["f-other"].blocked_by == ()  # no crash in that job: its lost session stays its own finding
    assert findings[0].id == "f-crash"
    assert len(edges) == 1 and "the browser crashed earlier in job" in edges[0].reason


def test_a_lost_session_without_a_crash_in_the_job_stays_a_root() -> None:
    # A driver quit by the test's own teardown is no crash: nothing to fold it under.
    failed = _finding("f-assert", "assertion-failure", "system.log", 10, "Expected to find text \"Total\"")
    gone = _finding("f-gone", "runtime-exception", "system.log", 35, "InvalidSessionIdException: invalid session id")
    findings, _ = fold_consequences((failed, gone), ())
    assert all(f.blocked_by == () for f in findings)


def test_a_kubernetes_wait_that_timed_out_is_blocked_by_the_pods_failure_printed_after_it() -> None:
    wait = _finding("f-wait", "timeout-hang", "e2e.log", 53, "Error: INSTALLATION FAILED: context deadline exceeded")
    pull = _finding("f-pull", "registry-access-failure", "e2e.log", 97,
                    "Warning Failed 3m44s (x5 over 5m10s) kubelet Failed to pull image \"ghcr.io/acme/api:sha-1\": "
                    "rpc error: code = NotFound desc = failed to pull and unpack image")
    rollout = _finding("f-rollout", "timeout-hang", "deploy.log", 20,
                       "error: timed out waiting for the rollout to finish")
    findings, edges = fold_consequences((wait, pull, rollout), ())
    by_id = {f.id: f for f in findings}
    assert by_id["f-wait"].blocked_by == ("f-pull",)  # the dump after the wait says why it timed out
    assert by_id["f-rollout"].blocked_by == ()  # no pod failure in that job: the wait is its own finding
    assert findings[0].id == "f-pull" and len(edges) == 1 and "kubelet says why" in edges[0].reason


def test_a_kubernetes_wait_beside_pods_that_started_stays_a_root() -> None:
    wait = _finding("f-wait", "timeout-hang", "e2e.log", 53,
                    "Error: UPGRADE FAILED: timed out waiting for the condition")
    pulled = _finding("f-test", "assertion-failure", "e2e.log", 90, "expected 200, got 503 from /healthz")
    findings, _ = fold_consequences((wait, pulled), ())
    assert all(f.blocked_by == () for f in findings)


def test_a_missing_command_with_no_or_several_failed_installs_of_its_manager_stays_a_root() -> None:
    phpunit = _finding("f-phpunit", "dependency-install-failure", "phpunit.log", 19,
                       "vendor/bin/phpunit: No such file or directory", rule="deps.installed-tool-missing")
    assert all(f.blocked_by == () for f in fold_consequences((phpunit,), ())[0])
    one = _finding("f-a", "dependency-install-failure", "api.log", 5, "composer install: Your requirements could not "
                   "be resolved", rule="deps.composer")
    two = _finding("f-b", "dependency-install-failure", "web.log", 5, "composer install: Your requirements could not "
                   "be resolved to an installable set", rule="deps.composer")
    findings, _ = fold_consequences((phpunit, one, two), ())
    assert {f.id: f.blocked_by for f in findings}["f-phpunit"] == ()  # which install's vendor/ it lacked: unknown


# Testcontainers' verdict with no Docker socket at all (eugenp/tutorials#18561's Jenkins agent, as quoted) beside a
# permission denial about something else in the same job: actions/cache's post-job save that may not read a cached
# file (actions/cache#238, nipreps/nireports#161: `/usr/bin/tar: ...: Cannot open: Permission denied`). The denial is
# no reason the daemon is missing: the verdict stays a root. A denial that names the socket (or is logged by
# Testcontainers' Docker strategies) is: a Quarkus dev-services log's `DockerClientProviderStrategy ... Root cause
# LastErrorException ([13] Permission denied)`.
NO_SOCKET = ("java.lang.IllegalStateException: Could not find a valid Docker environment\n"
             "UnixSocketClientProviderStrategy: failed with exception InvalidConfigurationException (Could not find "
             "unix domain socket). Root cause NoSuchFileException (/var/run/docker.sock)")
CACHE_SAVE_DENIED = ("/usr/bin/tar: ../../../../../var/lib/apt/lists/partial: Cannot open: Permission denied\n"
                     "/usr/bin/tar: Exiting with failure status due to previous errors")
STRATEGY_DENIED = ("ERROR [org.tes.doc.DockerClientProviderStrategy] (build-4) UnixSocketClientProviderStrategy: "
                   "failed with exception TimeoutException (Timeout waiting for result with exception). Root cause "
                   "LastErrorException ([13] Permission denied)")


def test_testcontainers_verdict_is_not_blocked_by_a_denial_about_another_file() -> None:
    verdict = _finding("f-tc", "docker-build-failure", "job.log", 120, NO_SOCKET)
    cache = _finding("f-cache", "permission-denied", "job.log", 300, CACHE_SAVE_DENIED)
    findings, edges = fold_consequences((verdict, cache), ())
    assert all(f.blocked_by == () for f in findings), edges


def test_testcontainers_verdict_is_blocked_by_its_strategy_s_denial() -> None:
    verdict = _finding("f-tc", "docker-build-failure", "job.log", 120, NO_SOCKET.split("\n", 1)[0])
    denied = _finding("f-denied", "permission-denied", "job.log", 118, STRATEGY_DENIED)
    findings, edges = fold_consequences((verdict, denied), ())
    assert {f.id: f.blocked_by for f in findings}["f-tc"] == ("f-denied",), edges
