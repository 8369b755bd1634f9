"""Priority: the category's default, adjusted by measurable blast radius, with the reason in words.

P0 when nothing could be tested (an environment or collection failure and no test ran, conftest
or every module failing to collect, the test runner itself unable to load, every service-backed
test refused); P1 for an exception that is the test runner crashing (its own stack, or a runner
process that died); raised one step when a shared cause covers most of a run's failures;
flakiness lowered unless it now fails the run; and, across findings, every module of a run
failing to collect is judged together (P0), and a registry pull of an image that a failed build
should have produced is a consequence (P1), not a second root cause.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from gardener import regex as re
from gardener.cluster import Cluster
from gardener.evidence_refs import job_of
from gardener.generic_rule import nothing_tested, shows_a_test_running
from gardener.model import PRIORITIES, Finding, Priority, Result
from gardener.priority_evidence import run_jobs, tested_jobs
from gardener.priority_load import every_test_failed, only_load_failures, suite_load_aborted
from gardener.priority_runner import outside_any_test, runner_died_before_tests
from gardener.priority_service import (
    console_test_headers,
    console_tests_refused,
    every_error_refused,
    every_test_refused,
    per_test_ports,
    refused_tests,
    shown_lines,
)
from gardener.priority_setup import outside_test_body
from gardener.push_evidence import push_words
from gardener.rules.frames import runner_cannot_start, runner_own_stack
from gardener.rules.model import Category, Rule
from gardener.tool_crash import own_bug

_ZERO_TESTS = re.lazy(
    r"(?i)\b0 (?:tests?|items?|specs?) (?:executed|ran|run|collected)\b|\bcollected 0 items\b"
    r"|\bno tests ran\b|\bRan 0 tests\b|\bTests?: +0 total\b|\bNo tests found for\b"
)
_PIPELINE_FAILED = re.lazy(
    r"(?i)\b[1-9]\d* failed\b|Process completed with exit code [1-9]|##\[error\]"
    r"|exit(?:ed)? with (?:code|status) [1-9]"
    r"|\bTests?:\s+[1-9]\d* failed|BUILD FAILURE|Failed to execute goal|Build failed"
    r"|flaky tests? (?:found|encountered|detected)|fail-on-flaky"
    # make stopping on the test target: the run the flake is in failed.
    r"|make(?:\[\d+\])?: \*\*\* [^\n]*Error [1-9]"
)
# A runner's tally of tests that failed for good (not the flake that passed on retry).
_OTHERS_FAILED = re.lazy(r"(?i)\b[1-9]\d* failed\b|\bFailures: [1-9]|\bErrors: [1-9]")
_DIRECT_SCRIPT = re.lazy(
    r'\A(?:[^\n]*\n)?Traceback \(most recent call last\):\n\s*File "(?P<entry>[^"]+)", line \d+, in <module>'
)
_RUN_ABORTED = re.lazy(
    r"(?i)Gradle Test Executor \d+' finished with non-zero exit value|forked VM terminated|error in the forked process"
    r"|Test run (?:was )?aborted|Test worker (?:process )?(?:crashed|exited unexpectedly)|Crashed tests:"
    r"|Call retries were exceeded|Test ?host process (?:exited|crashed)|active test run was aborted"
    r"|\[gw\d+\] node down|worker '?gw\d+'? crashed|replacing crashed worker"
    r"|Uncaught [^\n]*outside (?:of )?(?:a )?test"
    r"|sbt\.ForkMain \d+ failed with exit code|Uncaught error in rebar_core"
)
# A service that answers "not ready" (HTTP 502-504, still starting) is up: a readiness race to wait
# for (P1), not a service down for every test that needs it (P0).
_ANSWERED_NOT_READY = re.lazy(
    r"(?i)\b50[234] (?:Service|Bad Gateway|Gateway)|\b(?:was|got|received|actual|status(?: code)?):? ?<?50[234]\b"
    r"|\bassert 50[234] ==|\b50[234] != 2\d\d|\bnot (?:yet )?ready\b|starting up|readiness\b[^\n]{0,40}\bDOWN\b"
)
# A failure loading the session's own setup: pytest's `ERROR collecting test session` or an import that fails
# inside a conftest.py (`conftest.py:19: in <module>`), before any test module is collected.
_SESSION_SETUP = re.lazy(
    r"ERROR collecting test session|ImportError while loading conftest|conftest\.py:\d+: in <module>")
# A suite-level set-up that runs once for all its tests: unittest's setUpClass/setUpModule, mocha's "before all"
# hook, jest's beforeAll. A service refusing there stops every test of the suite, not one test (a per-test setUp
# failing is shown once per test and counted as such).
_SHARED_SETUP = re.lazy(r"\bin setUp(?:Class|Module)\b|\"before all\" hook|\bbeforeAll\b")
_COLLECTING = re.lazy(r"(?i)ERROR collecting|ImportError while|during collection|conftest")
SHARED_RAISE_MIN_TESTS = 5
COLLECTION_P0_MIN_MODULES = 3
# Set by a console reader on the failures of a run whose own summary says no test ran.
TESTS_RAN = "tests_ran"
SERVICE_P0_MIN_TESTS = 3


@dataclass(frozen=True, slots=True)
class RunStats:
    """What the whole run shows: how many results, how many passed, whether any test ran."""

    total: int
    passed: int
    failing_results: int
    failing_tests: int  # distinct failing tests; log incidents are evidence, not tests
    zero_test_sources: frozenset[str]  # input files that show that no test ran
    jobs: frozenset[str] = frozenset()  # every job a result came from (priority_evidence.run_jobs)
    tested_jobs: frozenset[str] | None = None  # the jobs in which some test reported a result (None: not known)

    @property
    def zero_tests_ran(self) -> bool:
        return bool(self.zero_test_sources)

    @classmethod
    def of(cls, results: Sequence[Result]) -> RunStats:
        # One pass over the results (100,000 of them in a large run), not one per count.
        failing: list[Result] = []
        failing_ids: set[str] = set()  # failing_test_ids(failing)
        placed: list[Result] = []  # the results a job can be read from (job_of): properties, or read from a log
        passed = 0
        for r in results:
            outcome = r.outcome
            if outcome == "failed" or outcome == "error":
                failing.append(r)
                if r.is_test:
                    failing_ids.add(r.id)
            elif outcome == "passed" or outcome == "flaky":
                passed += 1
            if r.properties or r.source.kind == "log":
                placed.append(r)
        zero = _zero_test_sources(failing) if passed == 0 else frozenset()
        return cls(
            total=len(results),
            passed=passed,
            failing_results=len(failing),
            failing_tests=len(failing_ids),
            zero_test_sources=zero,
            jobs=run_jobs(placed),
            tested_jobs=tested_jobs(placed),
        )


def _zero_test_sources(failing: Sequence[Result]) -> frozenset[str]:
    """The inputs one of whose failures says no test ran; each distinct text is read once."""
    zero: set[str] = set()
    said: dict[tuple[str, str], bool] = {}
    for r in failing:
        if r.source.path in zero:
            continue
        if (TESTS_RAN, "0") not in r.properties:
            pair = (r.message, r.details)
            found = said.get(pair)
            if found is None:
                found = said[pair] = _may_say_zero_tests(r.message, r.details) and _ZERO_TESTS.search(
                    f"{r.message}\n{r.details}") is not None
            if not found:
                continue
        zero.add(r.source.path)
    return frozenset(zero)


def _may_say_zero_tests(message: str, details: str) -> bool:
    """False when _ZERO_TESTS cannot match `message` + line break + `details`: each of its branches holds `0 ` or
    (any case) `no tests`, none across a line break. casefold() folds what RE2's (?i) folds to ASCII (`ſ`, `K`)."""
    return ("0 " in message or "0 " in details or "no tests" in message.casefold()
            or "no tests" in details.casefold())


def failing_test_ids(results: Sequence[Result]) -> set[str]:
    """The tests that failed (or flaked), counted as `Finding.count` counts them: a log incident is
    evidence of a failure, not another failing test."""
    return {r.id for r in results if r.is_test and (r.is_failing or r.outcome == "flaky")}


def _raise(p: Priority, steps: int = 1) -> Priority:
    return PRIORITIES[max(0, PRIORITIES.index(p) - steps)]


# The categories decide_priority reads the members' text for.
_READS_TEXT = frozenset({"flaky-test", "import-collection-error", "connection-refused", "runtime-exception"})


def _joined_priority(c: Cluster, rule: Rule | None, priority: Priority, reason: str) -> tuple[Priority, str]:
    """A wrapper that joined the finding's cause may say more about what it stopped than the cause's own rule (the
    server a failed build left unstarted): the most urgent priority such a joined rule sets, when it is more urgent."""
    # A joined wrapper's own rule is its verdict's winner (absorbing gave it the cause's rule).
    joined = [w.rule for m in c.members if m.absorbed_by and (w := m.verdict.winner) is not None
              and w.rule is not rule and w.rule.priority is not None]
    if not joined:
        return priority, reason
    urgent = min(joined, key=lambda r: PRIORITIES.index(r.priority or "P3"))
    if urgent.priority is None or PRIORITIES.index(urgent.priority) >= PRIORITIES.index(priority):
        return priority, reason
    what = urgent.title[:1].lower() + urgent.title[1:]
    return urgent.priority, f"{reason}; raised to {urgent.priority}: it explains {what}"


def decide_priority(c: Cluster, category: Category, rule: Rule | None, stats: RunStats,
                    failing: Collection[str] | None = None) -> tuple[Priority, str]:
    """The priority of one finding and the reason, in words. `failing`: failing_test_ids of its results, when the
    caller has them (a finding of 90,000 tests is not gathered again)."""
    name = category.name
    if rule is not None and rule.priority is not None:
        priority: Priority = rule.priority
        reason = f"rule {rule.id} sets {priority} for {name}"
    else:
        priority = category.priority
        reason = f"{name} defaults to {priority}"
    priority, reason = _joined_priority(c, rule, priority, reason)
    tests = failing_test_ids(c.results()) if failing is None else failing
    covers_all = len(tests) >= stats.failing_tests
    # The first 50 members' text, joined only for the categories below that read it.
    text = "\n".join(f"{m.result.message}\n{m.result.details}" for m in c.members[:50]) if name in _READS_TEXT else ""

    if name == "flaky-test":
        still_fails = any(m.result.outcome in ("failed", "error") for m in c.members) and bool(
            _PIPELINE_FAILED.search(text)
        )
        if still_fails and covers_all and not _OTHERS_FAILED.search(text):
            # No other test fails, by the findings or the runner's tally: the run fails only because of the flake
            # (fail-on-flaky settings: surefire's failOnFlakeCount, Playwright's --fail-on-flaky-tests).
            return "P2", ("flaky-test: passed on retry, yet the run fails and no other test does: the flake alone "
                          "breaks the pipeline (P2)")
        if still_fails:
            return "P2", "flaky-test: passed on retry but the run still fails, so it now breaks the pipeline (P2)"
        return "P3", "flaky-test: the output shows it passing on retry; the run is not broken by it (P3)"

    zero = stats.zero_test_sources  # most runs show tests running: then no member need be read
    nothing_ran = all(m.result.source.path in zero for m in c.members) if zero else not c.members
    if category.layer != "test" and nothing_ran and priority != "P0":
        return "P0", f"{reason}; raised to P0: no test ran in this run, nothing could be tested"

    if name == "import-collection-error" and priority != "P0":
        modules = _modules(c.results())
        if len(modules) >= COLLECTION_P0_MIN_MODULES and stats.passed == 0 and covers_all:
            return "P0", (f"{reason}; raised to P0: every module ({len(modules)}) fails to collect and no test "
                          "passed, so nothing was tested")
        if runner_cannot_start(text):
            return "P0", f"{reason}; raised to P0: the test runner itself cannot be loaded, so no test can run"
        if _SESSION_SETUP.search(text):
            return "P0", f"{reason}; raised to P0: the session's conftest cannot be loaded, so no test can run"
        if len(tests) >= COLLECTION_P0_MIN_MODULES and stats.passed == 0 and covers_all:
            return "P0", (f"{reason}; raised to P0: every test of the run ({len(tests)}) fails to load and none "
                          "passed, so nothing was tested")
        if why := every_test_failed(text):
            return "P0", f"{reason}; raised to P0: {why} on this load failure, so no test could run at all"
        if why := only_load_failures(text):
            return "P0", f"{reason}; raised to P0: {why}"
        # (Not when the text shows tests that ran before it: `rake test` runs a loader per task and goes on.)
        if not shows_a_test_running(text) and (why := suite_load_aborted(text)):
            return "P0", f"{reason}; raised to P0: {why}, so the whole run stopped before any test"
        if any(m.result.source.kind == "log" and nothing_tested(m.result) for m in c.members[:50]):
            return "P0", f"{reason}; raised to P0: the whole log shows no test running, so nothing was tested"

    if (
        name == "connection-refused"
        and priority != "P0"
        and not _ANSWERED_NOT_READY.search(text)
        and len(tests) >= SERVICE_P0_MIN_TESTS
        and 3 * len(tests) >= 2 * stats.failing_tests
    ):
        if per_test_ports([f"{m.result.message}\n{m.result.details}" for m in c.members[:50]],
                          [job_of(m.result) for m in c.members[:50]]):
            return priority, (f"{reason}; not raised: each failure is refused on its own random local port, a stub "
                              "its test started, not one service down for every test")
        # The count leads: it is what the finding counts (its tests), then what it was raised from.
        return "P0", (f"{len(tests)} of {stats.failing_tests} failing tests are refused by a service that is down "
                      f"for every test that needs it: raised to P0 ({reason})")
    if name == "connection-refused" and priority != "P0" and not _ANSWERED_NOT_READY.search(text) \
            and _SHARED_SETUP.search(text):
        return "P0", (f"{reason}; raised to P0: the refusal is in the suite's shared set-up, so every test of the "
                      "suite fails before it runs")

    if name == "connection-refused" and priority != "P0" and (
            (why := every_error_refused(text))
            or (not _ANSWERED_NOT_READY.search(text) and (why := every_test_refused(text)))):
        return "P0", f"{reason}; raised to P0: {why}, so the service is down for every test that needs it"
    if (name == "connection-refused" and priority != "P0" and not _ANSWERED_NOT_READY.search(text)
            and len(c.results()) >= stats.failing_results
            and len(shown := _console_tests_refused(c)) >= SERVICE_P0_MIN_TESTS):
        return "P0", (f"{reason}; raised to P0: every failure of the run is this refusal, under each of the "
                      f"{len(shown)} failing tests the console names ({', '.join(sorted(shown)[:3])}), so the service "
                      "is down for every test that needs it")
    if (name == "connection-refused" and priority != "P0" and not _ANSWERED_NOT_READY.search(text)
            and len(c.results()) >= stats.failing_results and len(named := refused_tests(text)) >= 2):
        return "P0", (f"{reason}; raised to P0: every failure of the run is this refusal, and each test it shows "
                      f"({len(named)}: {', '.join(sorted(named)[:3])}) errors on it, so the service is down for every "
                      "test that needs it")

    if name == "registry-access-failure" and priority == "P0" and (words := push_words(_lead_text(c))):
        # The labelling rule: a refused pull or login stops the job (P0); a refused push or publish only stops the
        # delivery of what was built and tested (P1).
        return "P1", f"{reason}; lowered to P1: the refused operation is a push or publish (`{words}`)"

    if name == "runtime-exception" and priority == "P2":
        if _RUN_ABORTED.search(text):
            return "P1", (f"{reason}; raised to P1: the test runner process aborted, so every remaining test in it "
                          "was lost")
        if runner_own_stack(text):
            return "P1", (
                f"{reason}; raised to P1: every frame of the stack is the test runner's own code, so the runner "
                "itself crashed and the run aborted"
            )
        if why := outside_any_test(text):
            return "P1", (f"{reason}; raised to P1: the exception was raised outside any test ({why}), so the run "
                          "itself crashed and aborted")
        if why := outside_test_body(text):
            return "P1", f"{reason}; raised to P1: {why}"
        if words := own_bug(text):
            return "P1", (f"{reason}; raised to P1: the tool itself crashed and says it is its own bug (`{words}`), so "
                          "nothing past it ran")
        # No failing test anywhere in the run (a log's own verdict counts as a passed result, so not `passed`).
        if not stats.failing_tests and (why := runner_died_before_tests(text)):
            return "P1", f"{reason}; raised to P1: {why}"

    if name == "syntax-error" and priority == "P1" and _directly_run_script(c):
        return "P2", (
            f"{reason}; lowered to P2: only running the script directly fails (an import chain ends in the "
            "syntax error), test collection is not shown failing"
        )

    if (
        (rule is None or rule.scope != "test")
        and priority in ("P2", "P3")
        and len(tests) >= SHARED_RAISE_MIN_TESTS
        and 2 * len(tests) >= stats.failing_tests
    ):
        raised = _raise(priority)
        return raised, (f"{len(tests)} of {stats.failing_tests} failing tests break on this one cause: raised to "
                        f"{raised} ({reason})")
    return priority, reason


def _console_tests_refused(c: Cluster) -> frozenset[str]:
    """The tests a console's per-test headers in `c` name, when each header's block shows a member the refusal's rule
    decided (not one that only joined it)."""
    headers = console_test_headers([m.result for m in c.members])
    if len(headers) < SERVICE_P0_MIN_TESTS:
        return frozenset()
    refused = {n for m in c.members if not m.decision.absorbed_by and m.category == "connection-refused"
               and m.result.error_type not in ("go-test", "jest-test") for n in shown_lines(m.result)}
    return console_tests_refused(headers, refused)


def _lead_text(c: Cluster) -> str:
    """What the member whose rule decides the finding printed up to its refusal: the operation refused is announced
    above it (a later step's lines after it, or folded into the finding, say nothing about which one was refused)."""
    result = c.lead.result
    first = result.message.strip().split("\n", 1)[0]
    at = result.details.find(first) if first else -1
    return result.details[: at + len(first)] if at >= 0 else f"{result.message}\n{result.details}"


def _modules(results: Sequence[Result]) -> set[str]:
    """The test modules these results fail in: a test's own id (a collection error's id is its module; its
    `file` is where the import chain broke, the same for every module an import cycle stops)."""
    return {r.id.split("::", 1)[0] if r.is_test else (r.file or r.id) for r in results}


def _directly_run_script(c: Cluster) -> bool:
    """A SyntaxError reached by running one test script directly, through an import chain."""
    for m in c.members:
        if m.result.source.kind != "log":
            return False
        text = m.result.details or m.result.message
        found = _DIRECT_SCRIPT.search(text)
        if found is None or _COLLECTING.search(text) or "test" not in found.group("entry").lower():
            return False
        if text.count("in <module>") < 3:
            return False
    return True


def _unqualified(image: str) -> bool:
    """`app-backend` or `app-backend:tag`: a locally built name, not `ghcr.io/org/app`."""
    return "/" not in image


def _every_module_fails_to_collect(findings: Sequence[Finding], stats: RunStats) -> list[Finding]:
    """Separate collection findings that, together, are every failure of a run in which nothing passed:
    no module could be loaded, so nothing was tested (P0), however the causes split them."""
    collecting = [f for f in findings if f.category == "import-collection-error"]
    if len(collecting) < 2 or stats.passed:  # one finding alone is judged by decide_priority
        return list(findings)
    tests = failing_test_ids([r for f in collecting for r in f.results])
    modules = _modules([r for f in collecting for r in f.results])
    if len(modules) < COLLECTION_P0_MIN_MODULES or len(tests) < stats.failing_tests:
        return list(findings)
    reason = (f"raised to P0: every module of the run ({len(modules)}, across {len(collecting)} findings) fails to "
              "collect and no test passed")
    raise_ids = {f.id for f in collecting if f.priority != "P0"}
    return [replace(f, priority="P0", priority_reason=f"{f.priority_reason}; {reason}") if f.id in raise_ids else f
            for f in findings]


def cross_finding_priority(findings: Sequence[Finding], stats: RunStats | None = None) -> list[Finding]:
    """Adjustments that depend on other findings of the same run."""
    if stats is not None:
        findings = _every_module_fails_to_collect(findings, stats)
    # A failed image build, or a cause that failed inside one (it takes the build's blocks, classify.py).
    failed_builds = [f for f in findings
                     if f.category == "docker-build-failure" or "registry-access-failure" in f.blocks]
    out: list[Finding] = []
    for f in findings:
        if f.category == "registry-access-failure" and f.priority == "P0" and failed_builds:
            images = [v for k, v in f.captures if k == "image"]
            built = {v for b in failed_builds for k, v in b.captures if k == "service"}
            if images and all(_unqualified(i) or any(s in i for s in built) for i in images):
                reason = (
                    f"registry-access-failure is P0 when a pull blocks tests; lowered to P1: the denied images "
                    f"({', '.join(dict.fromkeys(images))}) are ones the failed image build in this run should have "
                    f"produced, so the pull failure is a consequence of {failed_builds[0].id}"
                )
                f = replace(f, priority="P1", priority_reason=reason)
        out.append(f)
    return out
