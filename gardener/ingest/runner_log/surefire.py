"""Maven surefire / failsafe console output, fed one clean line at a time, turned into test Results.

surefire prints each failing test as `[ERROR] com.acme.FooTest.bar -- Time elapsed: 0.4 s <<< FAILURE!`
(surefire 2: `bar(com.acme.FooTest)  Time elapsed: 0.4 s  <<< ERROR!`) followed by the exception
and its stack, and ends the module with a `Results:` section: `Failures:`, `Errors:` and (with
`rerunFailingTestsCount`) `Flakes:`, listing each test once, either on one line
(`FooTest.bar:71 expected:<1> but was:<2>`) or as its FQN followed by `Run 1: …`, `Run 2: PASS`.
That section decides the outcome: a test listed under `Flakes:` failed and then passed.

Ids are `com.acme.FooTest::bar`, as the surefire XML report of the same run gives them, so the
cross-input dedupe keeps one result per test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from gardener import regex as re
from gardener.ingest.junit.values import split_variant
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.surefire_lines import (
    ENTRY,
    FAILED_ON_PROJECT,
    FIRST_ENTRY,
    FQN_ENTRY,
    GOAL_FAILED_BY_TESTS,
    MODULE_HEADER,
    PER_TEST,
    REACTOR_FAILED,
    REACTOR_SKIPPED,
    RESULTS,
    RUN,
    RUNNING,
    SECTION,
    SECTION_OUTCOME,
    TOTALS,
    ConsoleTest,
    base_method,
    split_test,
    without_level,
)
from gardener.model import RUN_COUNTS, SKIPPED_MODULES, Outcome, Result, Source
from gardener.numbers import bounded_int

MAX_RESULTS = 5000
# Lines after a test's stack that are no part of it (surefire without Maven's level prefixes).
_ENDS_STACK = re.lazy(r"^(?:Running |Tests run: |Results\s*:)|Time elapsed: .*<<< (?:FAILURE|ERROR)!")


class SurefireReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the Results.

    `claimed` are the line spans used as evidence and `failing_lines` the lines of failing results,
    so the log's incident finder does not report the same failure again.
    """

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._tests: dict[tuple[str, str], ConsoleTest] = {}
        self._fqn: dict[str, str] = {}  # FooTest -> com.acme.FooTest
        self._stack: ConsoleTest | None = None  # the test whose exception and stack follow
        self._stack_start = 0
        self._in_results = False
        self._section: Outcome | None = None
        self._entry: ConsoleTest | None = None  # a test listed by FQN, whose `Run n:` lines follow
        self._explained_at: dict[tuple[str, str], int] = {}  # a test's exception line: its evidence
        self._totals = (0, 0)  # (failed, ran) summed over the Results sections' totals lines
        self._skipped: dict[str, None] = {}  # modules the reactor skipped after a failure, in order
        self._module = ""  # the module whose header came last: the tests reported now ran in it
        self._failed_modules: set[str] = set()  # the modules the reactor summary says failed
        self._failed_on_tests = ""  # the project whose test goal failed (`on project x: There are test failures`)

    HINTS = reader_hints.SUREFIRE

    def idle(self) -> bool:
        return self._stack is None and not self._in_results

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for the lines of a test's report, a totals line and the Results section."""
        if self._stack is not None:
            if not text.strip() and number == self._stack_start + 1:
                return True  # surefire 2 puts a blank line between the header and the exception
            if text.strip() and not text.startswith("[") and not _ENDS_STACK.search(text):
                self._stack_line(number, text)
                return True
            self._end_stack(number - 1)
        if "SKIPPED" in text and (skipped := REACTOR_SKIPPED.match(text)) is not None:
            self._leave_results()
            if len(self._skipped) < MAX_RESULTS:
                self._skipped[skipped.group("module")] = None
            return False  # Maven's summary, not a test's report
        if "FAILURE" in text and (failed := REACTOR_FAILED.match(text)) is not None:
            self._leave_results()
            if len(self._failed_modules) < MAX_RESULTS:
                self._failed_modules.add(failed.group("module"))
            return False
        if "Building " in text and (header := MODULE_HEADER.match(text)) is not None:
            self._leave_results()
            self._module = header.group("name")
            return False
        if self._in_results:
            taken = self._results_line(number, text, timestamp)
            if taken is not None:
                return taken
        if "Time elapsed" in text or "Tests run:" in text:
            if m := PER_TEST.match(text):
                self._per_test(number, m.group("test"), m.group("what"), timestamp)
                return True
            if TOTALS.match(text):
                self.claimed.append((number, number))
                return True
        elif "There are test failures" in text and GOAL_FAILED_BY_TESTS.match(text):
            self.claimed.append((number, number))  # Maven's wrapper of the failures reported above
            if project := FAILED_ON_PROJECT.search(text):
                self._failed_on_tests = self._failed_on_tests or project.group("project")
            return True
        elif ("Running " in text or "Results" in text) and (m := RUNNING.match(text) or RESULTS.match(text)):
            if m.re is RESULTS:
                self._in_results = True
                self.claimed.append((number, number))
                return True
            self._learn(m.group("cls"))
        return False

    # --- the per-test report: the header line, then the exception and its stack ---------------

    def _per_test(self, number: int, name: str, what: str, timestamp: datetime | None) -> None:
        cls, method = split_test(name)
        self._learn(cls)
        test = self._test(cls, method, number, timestamp)
        if what == "ERROR":
            test.outcome = "error"
        test.reported += 1
        test.last_line = number
        if not test.has_stack:
            test.excerpt.add(f"{name} <<< {what}!", number)
        self._stack, self._stack_start = test, number

    def _stack_line(self, number: int, text: str) -> None:
        test = self._stack
        if test is not None and not test.has_stack:
            test.note(text)
            test.excerpt.add(text.rstrip(), number)
            self._explained_at.setdefault((test.cls, test.method), number)  # the exception, not the header

    def _end_stack(self, end: int) -> None:
        if self._stack is not None:
            self._stack.has_stack = True
            self.claimed.append((self._stack_start, max(self._stack_start, end)))
        self._stack = None

    # --- the Results section ---------------------------------------------------------------------

    def _results_line(self, number: int, text: str, timestamp: datetime | None) -> bool | None:
        """True/False: a line of the section (taken or not); None: the section ended before it."""
        body = without_level(text)
        if not body.strip():
            self._entry = None  # a blank line separates listed tests
            return False
        if m := SECTION.match(text):
            self._section, self._entry = SECTION_OUTCOME[m.group("name")], None
            if m.group("first") and (first := FIRST_ENTRY.match(m.group("first"))):
                self._entry_line(first, first.group(0), number, timestamp)
        elif m := TOTALS.match(text):  # the module's totals end the section
            failed = bounded_int(m.group("f")) + bounded_int(m.group("e"))
            if failed:
                self.failing_lines.append(number)
            # The run's size as surefire counts it (a module's reports may be only some of its classes).
            ran = bounded_int(m.group("run")) - bounded_int(m.group("s"))
            self._totals = (self._totals[0] + failed, self._totals[1] + ran)
            self._leave_results()
        elif self._section is None:  # no Failures/Errors/Flakes: nothing failed
            self._leave_results()
            return None
        elif m := RUN.match(text):
            self._run(m.group("rest"), number)
        elif m := FQN_ENTRY.match(text):
            self._entry = self._listed(m.group("test"), number, timestamp)
        elif m := ENTRY.match(text):
            self._entry_line(m, body, number, timestamp)
        else:
            self._leave_results()
            return None
        self.claimed.append((number, number))
        return True

    def _entry_line(self, m: re.Match[str], body: str, number: int, timestamp: datetime | None) -> None:
        """A test listed with its message on one line."""
        test = self._listed(m.group("test"), number, timestamp)
        test.note(m.group("rest"))
        test.excerpt.add(body.strip(), number)
        self._entry = None

    def _listed(self, name: str, number: int, timestamp: datetime | None) -> ConsoleTest:
        """The test a Results entry names; the summary drops a parameterized test's arguments, so
        `Foo.bar` there is every `Foo.bar(int)[n]` reported above."""
        cls, method = split_test(name)
        cls = self._fqn.get(cls, cls)
        tests = [self._tests[(cls, method)]] if (cls, method) in self._tests else []
        tests = tests or [t for (c, m), t in self._tests.items() if c == cls and base_method(m) == method]
        tests = tests or [self._test(cls, method, number, timestamp)]
        for test in tests:
            if self._section is not None:
                test.outcome = self._section
            test.last_line = number
        return tests[0]

    def _run(self, rest: str, number: int) -> None:
        test = self._entry
        if test is None:
            return
        test.last_line = number
        if rest.startswith("PASS"):
            test.passed_runs += 1
            return
        test.failed_runs += 1
        test.note(rest.partition(" ")[2] or rest)  # `FooTest.bar:71 expected:<1> but was:<2>`
        if not test.has_stack:
            test.excerpt.add(f"Run {test.failed_runs + test.passed_runs}: {rest}", number)

    def _leave_results(self) -> None:
        self._in_results, self._section, self._entry = False, None, None

    # --- shared ------------------------------------------------------------------------------------

    def _learn(self, cls: str) -> None:
        short = cls.rsplit(".", 1)[-1]
        if short != cls:
            self._fqn.setdefault(short, cls)

    def _test(self, cls: str, method: str, number: int, timestamp: datetime | None) -> ConsoleTest:
        key = (cls, method)
        test = self._tests.get(key)
        if test is None:
            test = ConsoleTest(cls, method, number, timestamp, module=self._module)
            if len(self._tests) < MAX_RESULTS:
                self._tests[key] = test
        return test

    def interrupt(self) -> None:
        """The output around Maven moved on (a new CI step): close what is open."""
        self._end_stack(self._stack_start)
        self._leave_results()

    def finish(self) -> tuple[Result, ...]:
        self.interrupt()
        results = tuple(self._result(t) for t in self._tests.values())
        failed, ran = self._totals
        if ran >= failed > 0:
            size = (RUN_COUNTS, f"{failed}/{ran}")
            results = tuple(replace(r, properties=(*r.properties, size)) if r.is_failing else r for r in results)
        if self._skipped:  # the reactor stopped after these failures: the modules it skipped never ran
            stopped = (SKIPPED_MODULES, ", ".join(self._skipped))
            stoppers = {(t.cls, t.method) for t in self._tests.values() if self._stopped_the_build(t)}
            results = tuple(
                replace(r, properties=(*r.properties, stopped)) if r.is_failing and key in stoppers else r
                for key, r in zip(self._tests, results, strict=True)
            )
        self.failing_lines.extend(t.last_line for t in self._tests.values() if t.outcome != "flaky")
        return results

    def _stopped_the_build(self, test: ConsoleTest) -> bool:
        """Whether the log says the module `test` ran in is one the reactor summary says failed: its header came
        before the test, or (a log without headers) the goal that failed on test failures names that module.
        A test of a module that ended SUCCESS (`-Dmaven.test.failure.ignore`) stopped nothing."""
        if test.module:
            return test.module in self._failed_modules
        return self._failed_on_tests in self._failed_modules

    def _result(self, test: ConsoleTest) -> Result:
        method, variant = split_variant(test.method)
        return Result(
            id=f"{test.cls}::{method}" if test.cls else method,
            outcome=test.outcome,
            source=Source(self.path, self.kind), source_line=self._explained_at.get((test.cls, test.method), test.line),
            variant=variant,
            message=test.message,
            error_type=test.error_type,
            details=test.excerpt.render(),
            attempts=test.attempts,
            timestamp=test.timestamp,
        )
