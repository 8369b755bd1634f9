"""Findings end to end: the seed's three findings, priority reasoning, explain."""

from __future__ import annotations

from pathlib import Path

import gardener
from gardener.classify import find
from gardener.config import Config
from gardener.explain import explain
from gardener.linked import linked_findings
from gardener.rules.loader import builtin_rules
from gardener.whole_excerpt import excerpt_incident, ingest_for_classify
from tests.rules.helpers import failing_test, log_incident

SEED = Path(gardener.__file__).parent / "examples" / "seed-websocket"
SEED_FILES = [str(SEED / n) for n in ("unified-test-runner.log", "mission-critical.txt", "direct-import.txt")]


def test_seed_gives_the_three_findings_of_the_worklog() -> None:
    ing = ingest_for_classify(SEED_FILES, builtin_rules())
    findings = find(ing.results, Config())
    assert [f.label for f in findings] == [
        "failing-test-infrastructure-P0-docker-build-failure",
        "failing-test-registry-P1-registry-access-failure",
        "failing-test-imports-P2-syntax-error",
    ]
    build, pull, chain = findings
    assert build.title == "Missing docker directory causing Docker build infrastructure failures"
    assert "`C:\\GitHub\\netra-apex\\docker` does not exist" in build.root_cause
    assert {"registry-access-failure", "test"} <= set(build.blocks)
    assert "consequence of " + build.id in pull.priority_reason
    assert sorted(v for k, v in pull.captures if k == "image") == [
        "netra-alpine-test-auth", "netra-alpine-test-backend", "netra-alpine-test-frontend",
        "netra-alpine-test-migration"]
    assert "tool_dispatcher_core.py" in chain.title and "lowered to P2" in chain.priority_reason


def test_a_standalone_pull_denial_blocking_tests_is_p0() -> None:
    (f,) = find([log_incident("Error response from daemon: pull access denied for ghcr.io/acme/db, repository "
                              "does not exist or may require 'docker login'")], Config())
    assert (f.category, f.priority) == ("registry-access-failure", "P0")
    assert f.priority_reason == "registry-access-failure defaults to P0"


def test_a_pull_of_a_registry_image_is_not_excused_by_an_unrelated_build_failure() -> None:
    build = log_incident("unable to prepare context: path \"./web\" not found", line=1)
    pull = log_incident("pull access denied for ghcr.io/acme/db, repository does not exist", line=30)
    by_category = {f.category: f for f in find([build, pull], Config())}
    assert by_category["registry-access-failure"].priority == "P0"


def test_nothing_ran_raises_environment_failures_to_p0() -> None:
    refused = log_incident("redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. "
                           "Connection refused.\nFAST FAIL: 0 tests executed", path="run.log")
    (f,) = find([refused], Config())
    assert f.priority == "P0" and "no test ran" in f.priority_reason


def test_every_module_failing_to_collect_is_p0() -> None:
    results = [failing_test(f"tests/test_{m}.py", "collection failure", outcome="error",
                            details="E   ModuleNotFoundError: No module named 'app'") for m in "abcd"]
    (f,) = find(results, Config())
    assert f.priority == "P0" and "every module (4)" in f.priority_reason


def test_one_module_failing_to_collect_among_passes_stays_p1() -> None:
    results = [failing_test("tests/test_a.py", "collection failure", outcome="error",
                            details="E   ModuleNotFoundError: No module named 'app'"),
               failing_test("tests/test_b.py::test_ok", "", outcome="passed")]
    (f,) = find(results, Config())
    assert f.priority == "P1"


def test_modules_failing_to_collect_for_different_causes_are_judged_together() -> None:
    results = [failing_test(f"src/{m}.test.js", f"Cannot find module './{m}.css' from '{m}.js'", outcome="error",
                            details=f"Cannot find module './{m}.css' from '{m}.js'") for m in ("App", "Nav", "Card")]
    findings = find(results, Config())
    assert len(findings) == 3  # three causes...
    assert all(f.priority == "P0" and "every module of the run (3, across 3 findings)" in f.priority_reason
               for f in findings)  # ...and together no module of the run loads
    passing = failing_test("src/Footer.test.js::renders", "", outcome="passed")
    assert {f.priority for f in find([*results, passing], Config())} == {"P1"}


def test_jest_summary_saying_no_test_ran_makes_collection_failures_p0(tmp_path: Path) -> None:
    log = tmp_path / "jest.log"
    log.write_text(
        " FAIL  src/App.test.js\n  ● Test suite failed to run\n\n    Cannot find module './App.css' from 'App.js'\n\n"
        "      at Resolver.resolveModule (node_modules/jest-resolve/build/index.js:179:17)\n"
        "      at Object.<anonymous> (src/App.js:5:76)\n\n"
        "Test Suites: 1 failed, 1 total\nTests:       0 total\nTime:        1.1 s\n"
    )
    (f,) = find(ingest_for_classify([str(log)], builtin_rules()).results, Config())
    assert (f.category, f.priority) == ("import-collection-error", "P0")
    assert "no test ran" in f.priority_reason


def test_a_runner_that_cannot_load_its_own_module_is_p0() -> None:
    text = ("> mocha\n\nError: Cannot find module './lib/cli'\n"
            "    at Module._resolveFilename (node:internal/modules/cjs/loader:1075:15)\n"
            "    at Object.<anonymous> (/ci/app/node_modules/.bin/mocha:3:1)\n"
            "    at Module._compile (node:internal/modules/cjs/loader:1254:14)")
    (f,) = find([log_incident(text)], Config())
    assert (f.category, f.priority) == ("import-collection-error", "P0")
    assert "test runner itself cannot be loaded" in f.priority_reason


def test_an_exception_whose_stack_is_all_the_runners_own_code_is_a_runner_crash() -> None:
    crash = ("TypeError: Cannot read properties of undefined (reading 'map')\n"
             "    at SummaryReporter.printTotals (/ci/app/node_modules/@jest/reporters/build/Summary.js:211:30)\n"
             "    at runJest (/ci/app/node_modules/@jest/core/build/runJest.js:404:3)")
    (f,) = find([log_incident(crash)], Config())
    assert (f.category, f.priority) == ("runtime-exception", "P1")
    assert "test runner's own code" in f.priority_reason
    in_project = crash.replace("/ci/app/node_modules/@jest/reporters/build/", "/ci/app/src/")
    (g,) = find([log_incident(in_project)], Config())
    assert (g.category, g.priority) == ("runtime-exception", "P2")


def test_a_surefire_fork_crashing_is_one_p1_finding(tmp_path: Path) -> None:
    log = tmp_path / "mvn.log"
    log.write_text(
        "[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: java.lang.NullPointerException\n"
        "[ERROR] at org.apache.maven.surefire.junit4.JUnit4Provider.invoke(JUnit4Provider.java:129)\n"
        "[ERROR] at org.apache.maven.surefire.booter.ForkedBooter.main(ForkedBooter.java:103)\n"
        "[ERROR] Caused by: java.lang.NullPointerException\n"
        "[ERROR] at org.apache.maven.surefire.report.SmartStackTraceParser.getClass(SmartStackTraceParser.java:67)\n"
    )
    (f,) = find(ingest_for_classify([str(log)], builtin_rules()).results, Config())
    assert (f.category, f.priority, len(f.results)) == ("runtime-exception", "P1", 1)


def test_a_shared_cause_breaking_most_tests_is_raised() -> None:
    results = [failing_test(f"tests/test_{i}.py::test_it", "KeyError: 'tenant_id'", error_type="KeyError",
                            details='Traceback:\n  File "app/ctx.py", line 9, in tenant\nKeyError: \'tenant_id\'')
               for i in range(6)]
    (f,) = find(results, Config())
    assert (f.category, f.priority) == ("runtime-exception", "P1")
    assert "6 of 6" in f.priority_reason


def test_flaky_lowered_unless_it_now_fails_the_run() -> None:
    green = failing_test("tests/test_ws.py::test_reconnect", "passed on rerun", outcome="flaky")
    (f,) = find([green], Config())
    assert (f.category, f.priority) == ("flaky-test", "P3")
    red = log_incident("tests/test_ws.py::test_reconnect RERUN\ntests/test_ws.py::test_reconnect PASSED\n"
                       "ERROR: flaky tests are not allowed: 1 flaky\n===== 1 failed, 3 passed, 1 rerun =====")
    (g,) = find([red], Config())
    assert (g.category, g.priority) == ("flaky-test", "P2")


def test_excerpt_fallback_only_for_recognised_failures() -> None:
    assert excerpt_incident("x.txt", "all good\n3 passed in 0.1s", builtin_rules()) is None
    incident = excerpt_incident("x.txt", "npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry/x",
                                builtin_rules())
    assert incident is not None and incident.is_failing


def test_explain_shows_rule_evidence_losers_and_priority() -> None:
    text = ("#5 12.0 ERROR: No matching distribution found for numpy==0.0.1\n"
            "ERROR: failed to solve: process \"/bin/sh -c pip install numpy==0.0.1\" did not complete successfully: "
            "exit code: 1")
    out = explain(linked_findings([log_incident(text)], Config()))
    assert "winner deps.pip-resolution" in out
    assert "package = numpy==0.0.1" in out
    assert "lost docker.buildkit-step-failed" in out and "lower precedence" in out
    assert "priority: P0 because dependency-install-failure defaults to P0" in out


def test_explain_can_focus_on_one_test() -> None:
    a = linked_findings([failing_test("t.py::alpha", "assert 1 == 2", error_type="AssertionError"),
                         failing_test("t.py::beta", "KeyError: 'x'", error_type="KeyError")], Config())
    out = explain(a, test="beta")
    assert "t.py::beta" in out and "t.py::alpha" not in out


def test_a_pasted_excerpt_is_classified_whole_rather_than_by_the_readers_stand_in(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(
        "Caused by: java.lang.NoClassDefFoundError: Could not initialize class com.acme.Registry\n"
        "\tat com.acme.Registry.get(Registry.java:12)\n\n"
        "FAILURE: Build failed with an exception.\n\n* What went wrong:\nExecution failed for task ':app:test'.\n"
        "> Process 'Gradle Test Executor 3' finished with non-zero exit value 1\n"
    )
    ing = ingest_for_classify([str(paste)], builtin_rules())
    (only,) = [r for r in ing.results if r.is_failing]
    assert only.id.endswith(":excerpt") and "Gradle Test Executor 3" in only.details
    (f,) = find(ing.results, Config())
    assert (f.category, f.priority) == ("runtime-exception", "P1")  # the executor died: the run aborted
