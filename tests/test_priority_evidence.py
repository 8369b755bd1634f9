"""Priority moved by the run's evidence of reach (gardener/priority_evidence.py): table tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.model import Finding, Priority, Result, Source
from gardener.priority_evidence import (
    CERT_EXPIRED,
    ReachFacts,
    adjust,
    facts_of,
    outage_of,
    platform_of,
    single_platform,
    summary_counts,
)


@pytest.mark.parametrize(
    ("priority", "category", "facts", "want", "words"),
    [
        ("P2", "assertion-failure", ReachFacts(), "P2", None),
        ("P2", "assertion-failure", ReachFacts(failed=12, ran=15), "P1", "12 of 15 tests fail"),
        ("P2", "unclassified", ReachFacts(failed=890, ran=924), "P1", "890 of 924"),
        # a handful, or a few among many: not raised, and the reason says how much fails
        ("P2", "assertion-failure", ReachFacts(failed=4, ran=4), "P2", "not raised: 4 of 4 tests fail"),
        ("P2", "assertion-failure", ReachFacts(failed=6, ran=100), "P2", "not raised: 6 of 100 tests fail"),
        ("P2", "assertion-failure", ReachFacts(one_case="t.py::test_x[a-1]"), "P2",
         "only one parametrised case (`t.py::test_x[a-1]`) fails"),
        ("P0", "registry-access-failure", ReachFacts(outage_host="registry-1.docker.io", outage_status="429"), "P1",
         "registry-1.docker.io answered 429 (a rate limit)"),
        ("P1", "out-of-memory", ReachFacts(failed=12, ran=15), "P1", None),  # not a test-level category
        ("P0", "dependency-install-failure", ReachFacts(allowed_to_fail=True), "P1", "allowed to fail"),
        ("P2", "lint-failure", ReachFacts(allowed_to_fail=True), "P3", "allowed to fail"),
        ("P3", "flaky-test", ReachFacts(allowed_to_fail=True), "P3", None),
        ("P0", "dependency-install-failure", ReachFacts(outage_host="registry.npmjs.org", outage_status="503"), "P1",
         "registry.npmjs.org answered 503"),
        ("P2", "runtime-exception", ReachFacts(outage_host="files.pythonhosted.org", outage_status="503"), "P1",
         "files.pythonhosted.org"),
        # Already P1 (a rule for the outage set it): the reason still names the host and its answer.
        ("P1", "connection-refused", ReachFacts(outage_host="pypi.org", outage_status="502"), "P1",
         "P1 stands: pypi.org answered 502"),
        ("P1", "assertion-failure", ReachFacts(platform="windows-latest", platforms_ran=3), "P2",
         "only the windows-latest job of the matrix fails, the other 2 platform(s)"),
        ("P3", "assertion-failure", ReachFacts(platform="macos-14", platforms_ran=2), "P3", None),
        # The code does not build on that one platform: nothing was tested there, not narrower (round 8, Swift).
        ("P1", "compile-error", ReachFacts(platform="ubuntu-24.04", platforms_ran=2), "P1",
         "not lowered: only the ubuntu-24.04 job of the matrix fails, but the code does not build there"),
        ("P1", "ci-runner-failure", ReachFacts(cancelled_after="build"), "P3", "cancelled while build failed"),
        ("P3", "ci-runner-failure", ReachFacts(cancelled_after="build"), "P3", None),
        ("P0", "dependency-install-failure", ReachFacts(outage_host="pypi.org", outage_status="503", platform="ubuntu",
                                                        platforms_ran=2), "P2", "pypi.org"),
        # The platform's job reported no test at all: it stopped before its tests, nothing was tested there (round 9).
        ("P1", "ci-runner-failure", ReachFacts(platform="windows-2022", platforms_ran=2, platform_untested=True), "P1",
         "not lowered: only the windows-2022 job of the matrix fails, but it failed before any test reported"),
        ("P2", "runtime-exception", ReachFacts(platform="windows-2022", platforms_ran=2, platform_untested=False), "P3",
         "lowered to P3: only the windows-2022 job of the matrix fails"),
        # A third party's outage on that leg: transient, still narrower (round 4, a registry's 429 on the arm leg).
        ("P0", "registry-access-failure", ReachFacts(outage_host="registry-1.docker.io", outage_status="429",
                                                     platform="ubuntu-24.04-arm", platforms_ran=2,
                                                     platform_untested=True), "P2", "lowered to P2"),
    ],
)
def test_adjust(priority: Priority, category: str, facts: ReachFacts, want: Priority, words: str | None) -> None:
    got, reason = adjust(priority, "start", "test", facts, category)
    assert got == want
    if words is None:
        assert reason == "start"
    else:
        assert reason.startswith("start; ") and words in reason, reason


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("924 examples, 890 failures, 1 pending", (890, 924)),
        ("16 tests, 1 failure", (1, 16)),
        ("6 runs, 8 assertions, 1 failures, 0 errors, 0 skips", (1, 6)),
        ("Tests run: 40, Failures: 3, Errors: 0, Skipped: 0", (3, 40)),
        ("Tests:       12 failed, 3 passed, 15 total", (12, 15)),
        ("73% tests passed, 13 tests failed out of 49", (13, 49)),
        ("Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12", (1, 12)),
        ("== 3 passed, 2 failed in 0.12s ==", (2, 5)),
        ("19 succeeded\n30 failed", (30, 49)),
        ("12 tests completed, 7 failed", (7, 12)),
        ("[info] Tests: succeeded 1, failed 6, canceled 0, ignored 0, pending 0", (6, 7)),
        ("[error] Failed: Total 9, Failed 6, Errors 0, Passed 3", (6, 9)),
        # PHPUnit and surefire count the tests that threw apart from those whose assertion failed: both failed
        # (session 11; the errors were not counted before).
        ("Tests: 23, Assertions: 41, Errors: 1, Failures: 12.", (13, 23)),
        # A project's Maven run (Komadu, corpus4's surefire summary naming 4 failures and 1 error of 7), and a run
        # whose every test errored before its own code (Mockito's inline mock maker on a newer JDK).
        ("Tests run: 7, Failures: 4, Errors: 1, Skipped: 0, Time elapsed: 9.448 sec <<< FAILURE!", (5, 7)),
        ("[ERROR] Tests run: 6, Failures: 0, Errors: 6, Skipped: 0 <<< FAILURE! -- in "
         "com.flowops.common.util.IdGenTest", (6, 6)),
        # Near miss: one errored test among 59 (apache/maven-surefire's own integration test, corpus18).
        ("Error:  Tests run: 59, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 344.612 s <<< FAILURE!", (1, 59)),
        ("Executed 14 tests, with 9 failures (0 unexpected) in 0.051 (0.060) seconds", (9, 14)),
        ("Failed 3/4 subtests", (3, 4)),
        ("test result: FAILED. 1 passed; 5 failed; 0 ignored; 0 measured", (5, 6)),
        ("  3 passing (41ms)\n  6 failing", (6, 9)),
        ("Tests Passed: 1, Failed: 8, Skipped: 0", (8, 9)),
        ("nothing to see", (0, 0)),
    ],
)
def test_summary_counts(text: str, want: tuple[int, int]) -> None:
    assert summary_counts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("npm ERR! 503 Service Unavailable - GET https://registry.npmjs.org/left-pad", ("registry.npmjs.org", "503")),
        ("curl: (22) The requested URL returned error: 502 from https://downloads.example.org/x.tgz",
         ("downloads.example.org", "502")),
        ("ERROR: HTTP error 500 while getting https://files.pythonhosted.org/packages/a.whl",
         ("files.pythonhosted.org", "500")),
        ("GET https://api.github.com/repos/a/b returned status code 503", ("api.github.com", "503")),
        ("requests.exceptions.HTTPError: 503 Server Error for url: http://localhost:8000/health", ("", "")),
        ("502 Bad Gateway from http://api:8080/login", ("", "")),  # a CI service of the project
        ("503 from http://10.1.2.3/health", ("", "")),
        ("expected 200, got 404 from https://example.org", ("", "")),
        ("error: WebSocketError message=unexpected server response (522), code=undefined",
         ("the CDN (Cloudflare)", "522")),
        # a registry's rate limit, as BuildKit prints it after the URL
        ("failed open: unexpected status code https://registry-1.docker.io/v2/library/rust/manifests/sha256:7b2e: "
         "429 Too Many Requests - Server message: toomanyrequests", ("registry-1.docker.io", "429")),
        ("GET http://localhost:9000/v1/items: 429 Too Many Requests", ("", "")),  # the project's own service
        # a client that says the status before the URL (Faraday); a bare 429 before a URL is no status
        ("Faraday::TooManyRequestsError: the server responded with status 429 for POST "
         "https://api.postmarkapp.com/email/withTemplate", ("api.postmarkapp.com", "429")),
        ("see spec line 429 of https://example.org/docs", ("", "")),
        ("the server responded with status 429 for GET http://localhost:3000/x", ("", "")),
        # a third party's expired certificate, as Go prints it; a private host's is the project's own
        ('Get "https://api.fxpartner.io/v2/latest?base=EUR": tls: failed to verify certificate: x509: certificate '
         "has expired or is not yet valid: current time 2026-12-01T03:12:44Z", ("api.fxpartner.io", CERT_EXPIRED)),
        ('Get "https://10.0.0.7/v2": tls: failed to verify certificate: x509: certificate has expired', ("", "")),
    ],
)
def test_outage_of(text: str, want: tuple[str, str]) -> None:
    assert outage_of(text) == want


@pytest.mark.parametrize(
    ("job", "want"),
    [
        ("test (windows-latest, 3.12)", ("test|3.12", "windows-latest")),
        ("test (3.12, ubuntu-latest)", ("test|3.12", "ubuntu-latest")),
        ("tests-macos-14", ("tests", "macos-14")),
        ("image (ubuntu-24.04-arm)", ("image", "ubuntu-24.04-arm")),  # a platform with two suffixes
        ("image (ubuntu-24.04)", ("image", "ubuntu-24.04")),
        ("lint", None),
        ("build (3.12)", None),
        ("winter-sale-tests", None),
    ],
)
def test_platform_of(job: str, want: tuple[str, str] | None) -> None:
    assert platform_of(job) == want


def test_single_platform_needs_the_others_to_have_run() -> None:
    run = ["test (ubuntu-latest, 3.12)", "test (windows-latest, 3.12)", "test (macos-latest, 3.12)", "lint"]
    assert single_platform(["test (windows-latest, 3.12)"], run) == ("windows-latest", 3)
    assert single_platform(["test (windows-latest, 3.12)", "test (ubuntu-latest, 3.12)"], run) == ("", 0)
    assert single_platform(["test (windows-latest, 3.12)"], ["test (windows-latest, 3.12)"]) == ("", 0)
    assert single_platform(["lint"], run) == ("", 0)


def _result(job: str, outcome: str = "failed", props: tuple[tuple[str, str], ...] = ()) -> Result:
    return Result(id=f"t::{job}", outcome=outcome, source=Source(f"{job}.xml", "junit"),  # type: ignore[arg-type]
                  properties=(("job", job), *props))


def test_facts_of_reads_jobs_and_properties() -> None:
    run = frozenset({"test (ubuntu-latest)", "test (windows-latest)"})
    facts = facts_of([_result("test (windows-latest)")], run)
    assert (facts.platform, facts.platforms_ran, facts.allowed_to_fail) == ("windows-latest", 2, False)
    allowed = facts_of([_result("nightly", props=(("allow_failure", "true"),))], frozenset({"nightly"}))
    assert allowed.allowed_to_fail
    mixed = facts_of([_result("a", props=(("allow_failure", "true"),)), _result("b")], frozenset({"a", "b"}))
    assert not mixed.allowed_to_fail  # one blocking job among them: the failure still blocks


def test_facts_of_knows_whether_the_failing_platform_tested_anything() -> None:
    run = frozenset({"test (ubuntu-24.04)", "test (windows-2022)"})
    build = Result(id="log:build", outcome="error", source=Source("test (windows-2022).log", "log"),
                   properties=(("job", "test (windows-2022)"),))
    tested = frozenset({"test (ubuntu-24.04)"})
    assert facts_of([build], run, tested_jobs=tested).platform_untested
    # A test of that job reported a result (the failing one itself, or another that passed there): it was tested.
    assert not facts_of([_result("test (windows-2022)")], run, tested_jobs=tested | {"test (windows-2022)"}) \
        .platform_untested
    assert not facts_of([build], run, tested_jobs=None).platform_untested  # not known: as before
    assert not facts_of([build], frozenset({"test (windows-2022)"}), tested_jobs=frozenset()).platform_untested


def test_facts_of_names_the_failed_jobs_only_when_every_result_is_from_a_cancelled_job() -> None:
    cancelled = _result("e2e", props=(("cancelled_after", "build"),))
    assert facts_of([cancelled], frozenset({"e2e", "build"})).cancelled_after == "build"
    assert facts_of([cancelled, _result("build")], frozenset({"e2e", "build"})).cancelled_after == ""


# speed-classify-2: facts_of reads a finding's tests in one pass that stops early (allowed, caught, the one case);
# the answers are those of the listed-then-judged definitions, for tests, log incidents and both mixed.
def test_facts_of_judges_the_tests_when_there_are_some_else_every_result() -> None:
    incident = Result(id="log:x", outcome="error", source=Source("ci.log", "log"),
                      properties=(("allow_failure", "true"),))
    allowed_test = _result("a", props=(("allow_failure", "true"),))
    run = frozenset({"a", "b", "ci"})
    assert facts_of([incident], run).allowed_to_fail  # no test: the incident decides
    assert not facts_of([incident, _result("b")], run).allowed_to_fail  # the test decides, the incident does not
    assert facts_of([_result("b", props=(("allow_failure", "true"),)), incident], run).allowed_to_fail
    assert facts_of([allowed_test, allowed_test], run).allowed_to_fail
    assert not facts_of([], run).allowed_to_fail and not facts_of([], run).job_succeeded
    succeeded = _result("a", props=(("job_succeeded", "true"),))
    assert facts_of([succeeded], run).job_succeeded and not facts_of([succeeded, _result("b")], run).job_succeeded
    case = Result(id="t::f", outcome="failed", source=Source("r.xml", "junit"), variant="p1")
    other = Result(id="t::f", outcome="failed", source=Source("r.xml", "junit"), variant="p2")
    assert facts_of([case, case], run).one_case == "t::f[p1]"
    assert facts_of([case, other], run).one_case == ""
    assert facts_of([case, Result(id="t::g", outcome="passed", source=Source("r.xml", "junit"))], run).one_case \
        == "t::f[p1]"  # a passing result is no failing case


def test_an_npm_registry_outage_names_the_host_and_status_though_its_rule_sets_p1() -> None:
    """The rule for the outage already says P1; the reason must still say whose outage and what it answered."""
    from gardener.classify import find
    from gardener.config import Config
    from tests.rules.helpers import log_incident

    text = ("npm ERR! code E503\n"
            "npm ERR! 503 Service Unavailable - GET https://registry.npmjs.org/left-pad - Service Unavailable\n")
    (f,) = find([log_incident(text, path="job-node.log", line=12)], Config())
    assert f.category == "dependency-install-failure" and f.priority == "P1", (f.category, f.priority_reason)
    assert "registry.npmjs.org answered 503" in f.priority_reason, f.priority_reason


DOTNET_TEST_STEP = """\
2024-05-02T10:00:06.0000000Z ##[group]Run dotnet test --no-restore
2024-05-02T10:00:06.0000000Z dotnet test --no-restore
2024-05-02T10:00:06.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:06.0000000Z ##[endgroup]
2024-05-02T10:00:07.0000000Z   Determining projects to restore...
2024-05-02T10:00:09.0000000Z /home/runner/work/shop/shop/tests/Shop.Tests/CartTests.cs(12,23): error CS0103: The name \
'TotalWithVat' does not exist in the current context [/home/runner/work/shop/shop/tests/Shop.Tests/Shop.Tests.csproj]
2024-05-02T10:00:09.0000000Z Build FAILED.
2024-05-02T10:00:09.5000000Z ##[error]Process completed with exit code 1.
"""


def _compile_error(tmp_path: Path, log: str, *more: Path) -> Finding:
    from gardener.config import Config
    from gardener.pipeline import RunOptions, build_report

    job = tmp_path / "test-job.log"
    job.write_text(log, encoding="utf-8")
    report = build_report(RunOptions(paths=(str(job), *map(str, more))), Config())
    (f,) = [f for f in report.findings if f.category == "compile-error"]
    return f


def test_a_compile_error_that_stops_the_test_step_before_any_test_is_p0(tmp_path: Path) -> None:
    f = _compile_error(tmp_path, DOTNET_TEST_STEP)
    assert f.priority == "P0", f.priority_reason
    assert "stopped the test step `Run dotnet test --no-restore` before any test ran" in f.priority_reason


def test_a_compile_error_of_a_build_step_or_beside_tests_that_ran_keeps_its_default(tmp_path: Path) -> None:
    build = _compile_error(tmp_path, DOTNET_TEST_STEP.replace("dotnet test", "dotnet build"))
    assert build.priority == "P1", build.priority_reason
    junit = tmp_path / "junit.xml"
    junit.write_text('<testsuite name="Other.Tests" tests="1"><testcase classname="Other.Tests.A" name="Works"/>'
                     "</testsuite>", encoding="utf-8")
    beside = _compile_error(tmp_path, DOTNET_TEST_STEP, junit)
    assert beside.priority == "P1", beside.priority_reason


GRADLE_CHECK_STEP = """\
2024-05-02T10:00:06.0000000Z ##[group]Run ./gradlew check --no-daemon
2024-05-02T10:00:06.0000000Z ./gradlew check --no-daemon
2024-05-02T10:00:06.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:06.0000000Z ##[endgroup]
2024-05-02T10:00:09.0000000Z > Task :core:compileKotlin FAILED
2024-05-02T10:00:09.0000000Z e: file:///home/runner/work/w/w/core/src/main/kotlin/a/Money.kt:42:17 Unresolved \
reference 'roundingMode'.
2024-05-02T10:00:09.0000000Z BUILD FAILED in 1m 52s
2024-05-02T10:00:09.5000000Z ##[error]Process completed with exit code 1.
"""


def test_a_compile_error_that_stops_gradle_check_is_p0_but_not_when_tests_are_skipped(tmp_path: Path) -> None:
    """`gradle check` (and `build`, Maven's `verify`/`package`) compiles and then runs the tests."""
    f = _compile_error(tmp_path, GRADLE_CHECK_STEP)
    assert f.priority == "P0", f.priority_reason
    assert "stopped the test step `Run ./gradlew check --no-daemon`" in f.priority_reason
    skipped = _compile_error(tmp_path, GRADLE_CHECK_STEP.replace("gradlew check", "gradlew build -x test"))
    assert skipped.priority == "P1", skipped.priority_reason


PYTEST_MANY_FAIL = "".join(
    f"_____ test_case_{i} _____\n\n    def test_case_{i}():\n>       assert total() == {i}\nE       assert 0 == {i}\n\n"
    f"tests/test_t.py:{i + 3}: AssertionError\n" for i in range(1, 7)
)


def test_a_pytest_console_s_counts_line_says_how_much_of_the_run_fails(tmp_path: Path) -> None:
    """pytest's console lists only the failures; its final counts line gives the run's size."""
    from gardener.config import Config
    from gardener.pipeline import RunOptions, build_report

    def run(counts: str) -> list[Finding]:
        path = tmp_path / "pytest.txt"
        path.write_text("=================================== FAILURES ===================================\n"
                        + PYTEST_MANY_FAIL + f"========================= {counts} in 0.31s =========================\n",
                        encoding="utf-8")
        return list(build_report(RunOptions(paths=(str(path),)), Config()).findings)

    most = run("6 failed, 2 passed")
    assert len(most) == 6 and all(f.priority == "P1" and "6 of 8 tests fail" in f.priority_reason for f in most), [
        f.priority_reason for f in most]
    few = run("6 failed, 400 passed")
    assert all(f.priority == "P2" and "not raised: 6 of 406 tests fail" in f.priority_reason for f in few), [
        f.priority_reason for f in few]


CARGO_BUILD_THEN_TEST = """\
2024-05-02T10:00:06.0000000Z ##[group]Run cargo build --release --locked
2024-05-02T10:00:06.0000000Z cargo build --release --locked
2024-05-02T10:00:06.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:06.0000000Z ##[endgroup]
2024-05-02T10:00:09.0000000Z error[E0599]: no method named `as_millis_f64` found for struct `Duration`
2024-05-02T10:00:09.0000000Z   --> src/metrics.rs:48:38
2024-05-02T10:00:09.0000000Z error: could not compile `relayd` (lib) due to 1 previous error
2024-05-02T10:00:09.5000000Z ##[error]Process completed with exit code 101.
2024-05-02T10:00:10.0000000Z ##[group]Run cargo test --release --locked
2024-05-02T10:00:10.0000000Z cargo test --release --locked
2024-05-02T10:00:10.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:10.0000000Z ##[endgroup]
2024-05-02T10:00:12.0000000Z error[E0599]: no method named `as_millis_f64` found for struct `Duration`
2024-05-02T10:00:12.0000000Z   --> src/metrics.rs:48:38
2024-05-02T10:00:12.0000000Z error: could not compile `relayd` (lib test) due to 1 previous error
2024-05-02T10:00:12.5000000Z ##[error]Process completed with exit code 101.
"""


def test_a_compile_error_printed_again_by_the_test_step_stopped_it(tmp_path: Path) -> None:
    """The same error from `cargo build` and again from `cargo test` is one incident that stopped the test step."""
    f = _compile_error(tmp_path, CARGO_BUILD_THEN_TEST)
    assert f.priority == "P0", f.priority_reason
    assert "stopped the test step `Run cargo test --release --locked`" in f.priority_reason
    alone = _compile_error(tmp_path, CARGO_BUILD_THEN_TEST.split("##[group]Run cargo test")[0])
    assert alone.priority == "P1", alone.priority_reason


def test_pytest_counts_inside_a_ci_log_give_the_run_s_size(tmp_path: Path) -> None:
    from gardener.config import Config
    from gardener.pipeline import RunOptions, build_report

    log = "".join(f"2024-05-02T10:00:0{i}.0000000Z {line}\n" for i, line in enumerate((
        "##[group]Run pytest -q", "##[endgroup]",
        "=================================== FAILURES ===================================",
        "_____ test_one _____", "    def test_one():", ">       assert 1 == 2", "E       assert 1 == 2", "",
        "tests/test_t.py:2: AssertionError",
        "FAILED tests/test_t.py::test_one - assert 1 == 2", "1 failed, 211 passed in 6.42s",
    )))
    path = tmp_path / "test (windows-latest).log"
    path.write_text(log, encoding="utf-8")
    (f,) = build_report(RunOptions(paths=(str(path),)), Config()).findings
    assert "1 of 212 tests fail" in f.priority_reason, f.priority_reason


def test_a_job_named_allowed_to_fail_is_allowed_to_fail() -> None:
    assert facts_of([_result("nightly (allowed to fail)")], frozenset({"nightly (allowed to fail)"})).allowed_to_fail
    assert facts_of([_result("docs-allow-failure")], frozenset({"docs-allow-failure"})).allowed_to_fail
    assert not facts_of([_result("failure-modes")], frozenset({"failure-modes"})).allowed_to_fail


TOX_ENVS = """\
py312 run-test: commands[0] | pytest -q tests
F.                                                                       [100%]
=================================== FAILURES ===================================
___________________________________ test_a ____________________________________

    def test_a():
>       assert 1 == 2
E       assert 1 == 2

tests/test_t.py:2: AssertionError
=========================== short test summary info ============================
FAILED tests/test_t.py::test_a - assert 1 == 2
1 failed, 1 passed in 0.10s
ERROR: InvocationError for command /w/.tox/py312/bin/pytest -q tests (exited with code 1)
py314 run-test: commands[0] | pytest -q tests
.F                                                                       [100%]
=================================== FAILURES ===================================
___________________________________ test_b ____________________________________

    def test_b():
>       import ast; ast.Num
E       AttributeError: module 'ast' has no attribute 'Num'

tests/test_t.py:5: AttributeError
=========================== short test summary info ============================
FAILED tests/test_t.py::test_b - AttributeError: module 'ast' has no attribute 'Num'
1 failed, 1 passed in 0.10s
WARNING: command failed but result from testenv is ignored
  cmd: InvocationError for command /w/.tox/py314/bin/pytest -q tests (exited with code 1)
___________________________________ summary ____________________________________
ERROR:   py312: commands failed
  py314: ignored failed command
"""


def test_a_failure_only_in_a_tox_env_whose_outcome_is_ignored_is_allowed_to_fail(tmp_path: Path) -> None:
    from gardener.config import Config
    from gardener.pipeline import RunOptions, build_report

    log = tmp_path / "tests.log"
    log.write_text(TOX_ENVS, encoding="utf-8")
    by_test = {t: f for f in build_report(RunOptions(paths=(str(log),)), Config()).findings for t in f.tests}
    assert by_test["tests/test_t.py::test_b"].priority == "P3", by_test["tests/test_t.py::test_b"].priority_reason
    assert "tox ignore_outcome" in by_test["tests/test_t.py::test_b"].priority_reason
    assert by_test["tests/test_t.py::test_a"].priority == "P2"


def test_a_clock_times_milliseconds_are_no_http_status() -> None:
    # ExUnit's captured log: `10:03:11.502 [error] ...` before a URL is a clock, not a 502 (round 8, hostile ExUnit).
    line = '10:03:11.502 [error] stripe request failed: url: URI.parse("https://api.stripe.com/v1/charges")'
    assert outage_of(line) == ("", "")
    assert outage_of("HTTP error 502 while getting https://files.pythonhosted.org/x.whl") == (
        "files.pythonhosted.org", "502")
