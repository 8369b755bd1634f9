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

import re
from dataclasses import dataclass, field
from datetime import datetime

from gardener.ingest.excerpt import Excerpt
from gardener.ingest.junit_values import split_variant
from gardener.model import Outcome, Result, Source

_LEVEL = r"^\[(?:ERROR|WARNING|WARN|INFO)\]"
_TEST = r"[\w.$]+?(?:\([^)]*\))?(?:\[[^\]]*\])?"
_PER_TEST = re.compile(
    r"^(?:\[\w+\]\s+)?(?P<test>\S.*?)\s+(?:--\s+)?Time elapsed: \S+ s(?:ec)?\s+<<< (?P<what>FAILURE|ERROR)!\s*$"
)
_OLD_STYLE = re.compile(r"^(?P<method>[^()\s]+)\((?P<cls>[\w.$]+)\)$")
_TOTALS = re.compile(r"^(?:\[\w+\]\s+)?Tests run: \d+, Failures: (?P<f>\d+), Errors: (?P<e>\d+), Skipped: \d+")
_RUNNING = re.compile(_LEVEL + r"\s+Running (?P<cls>[\w.$]+)\s*$")
_RESULTS = re.compile(_LEVEL + r"\s+Results\s*:\s*$")
_SECTION = re.compile(_LEVEL + r"\s+(?P<name>Failures|Errors|Flakes|Failed tests|Tests in error)\s*:\s*$")
_RUN = re.compile(_LEVEL + r"\s+Run (?P<n>\d+): (?P<rest>.*?)\s*$")
_ENTRY = re.compile(_LEVEL + r"\s{2,}(?P<test>" + _TEST + r")(?::\d+)?\s+(?P<rest>\S.*?)\s*$")
_FQN_ENTRY = re.compile(_LEVEL + r"\s(?P<test>[a-z_][\w$]*(?:\.[\w$]+)+\.[\w$]+(?:\(.*\))?(?:\[.*\])?)\s*$")
_EXCEPTION = re.compile(
    r"^(?P<type>(?:[\w$]+\.)*[\w$]*(?:Error|Exception|Failure|Throwable|Failed)\w*)(?::\s*(?P<msg>.*))?$"
)
_GOAL_FAILED_BY_TESTS = re.compile(
    r"^\[ERROR\] Failed to execute goal \S*(?:surefire|failsafe)\S* .*There are test failures"
)
_SECTION_OUTCOME: dict[str, Outcome] = {
    "Failures": "failed",
    "Failed tests": "failed",
    "Errors": "error",
    "Tests in error": "error",
    "Flakes": "flaky",
}
MAX_RESULTS = 5000


def split_test(text: str) -> tuple[str, str]:
    """(class, method) from `com.acme.FooTest.bar`, `bar(com.acme.FooTest)` or `FooTest.bar(int)[2]`."""
    if m := _OLD_STYLE.match(text):
        return m.group("cls"), m.group("method")
    cut = min((i for i in (text.find("("), text.find("[")) if i >= 0), default=len(text))
    dot = text.rfind(".", 0, cut)
    return (text[:dot], text[dot + 1 :]) if dot > 0 else ("", text)


def _base(method: str) -> str:
    """`bar` from `bar(int)[2]`."""
    cut = min((i for i in (method.find("("), method.find("[")) if i >= 0), default=len(method))
    return method[:cut]


@dataclass(slots=True)
class _Test:
    """Everything the console said about one test."""

    cls: str
    method: str
    line: int
    timestamp: datetime | None
    outcome: Outcome = "failed"
    message: str = ""
    error_type: str = ""
    reported: int = 0  # `<<< FAILURE!` reports seen
    failed_runs: int = 0  # `Run n:` lines of the Results section
    passed_runs: int = 0
    last_line: int = 0
    has_stack: bool = False
    excerpt: Excerpt = field(default_factory=Excerpt)

    def note(self, message: str) -> None:
        """The first explanation seen is kept: `java.lang.AssertionError: x` gives type and message."""
        text = message.strip().removeprefix("» ").strip()
        if self.message or not text:
            return
        if m := _EXCEPTION.match(text):
            self.error_type, self.message = m.group("type"), (m.group("msg") or m.group("type")).strip()
        else:
            self.message = text

    @property
    def attempts(self) -> int:
        listed = self.failed_runs + self.passed_runs
        return listed if listed else max(self.reported, 1)


class SurefireReader:
    """Feed (line number, clean text, timestamp); `finish()` returns the Results.

    `claimed` are the line spans used as evidence and `failing_lines` the lines of failing results,
    so the log's incident finder does not report the same failure again.
    """

    def __init__(self, path: str, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.claimed: list[tuple[int, int]] = []
        self.failing_lines: list[int] = []
        self._tests: dict[tuple[str, str], _Test] = {}
        self._fqn: dict[str, str] = {}  # FooTest -> com.acme.FooTest
        self._stack: _Test | None = None  # the test whose exception and stack follow
        self._stack_start = 0
        self._in_results = False
        self._section: Outcome | None = None
        self._entry: _Test | None = None  # a test listed by FQN, whose `Run n:` lines follow

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for the lines of a test's report, a totals line and the Results section."""
        if self._stack is not None:
            if text.strip() and not text.startswith("["):
                self._stack_line(number, text)
                return True
            self._end_stack(number - 1)
        if self._in_results:
            return self._results_line(number, text, timestamp)
        if "Time elapsed" in text or "Tests run:" in text:
            if m := _PER_TEST.match(text):
                self._per_test(number, m.group("test"), m.group("what"), timestamp)
                return True
            if _TOTALS.match(text):
                self.claimed.append((number, number))
                return True
        elif "There are test failures" in text and _GOAL_FAILED_BY_TESTS.match(text):
            self.claimed.append((number, number))  # Maven's wrapper of the failures reported above
            return True
        elif text.startswith("[") and (m := _RUNNING.match(text) or _RESULTS.match(text)):
            if m.re is _RESULTS:
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

    def _end_stack(self, end: int) -> None:
        if self._stack is not None:
            self._stack.has_stack = True
            self.claimed.append((self._stack_start, max(self._stack_start, end)))
        self._stack = None

    # --- the Results section ---------------------------------------------------------------------

    def _results_line(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if not text.startswith("["):
            if text.strip():
                self._leave_results()
            return False
        body = text.partition("]")[2]
        if not body.strip():
            self._entry = None  # a blank `[INFO]` separates listed tests
            return False
        if m := _SECTION.match(text):
            self._section, self._entry = _SECTION_OUTCOME[m.group("name")], None
        elif m := _TOTALS.match(text):  # the module's totals end the section
            if int(m.group("f")) or int(m.group("e")):
                self.failing_lines.append(number)
            self._leave_results()
        elif self._section is None:
            if body.lstrip().startswith("-"):  # `[INFO] -----`: the section never started
                self._leave_results()
            return False
        elif m := _RUN.match(text):
            self._run(m.group("rest"), number)
        elif m := _FQN_ENTRY.match(text):
            self._entry = self._listed(m.group("test"), number, timestamp)
        elif m := _ENTRY.match(text):
            test = self._listed(m.group("test"), number, timestamp)
            test.note(m.group("rest"))
            test.excerpt.add(body.strip(), number)
            self._entry = None
        else:
            self._leave_results()
            return False
        self.claimed.append((number, number))
        return True

    def _listed(self, name: str, number: int, timestamp: datetime | None) -> _Test:
        """The test a Results entry names; the summary drops a parameterized test's arguments, so
        `Foo.bar` there is every `Foo.bar(int)[n]` reported above."""
        cls, method = split_test(name)
        cls = self._fqn.get(cls, cls)
        tests = [self._tests[(cls, method)]] if (cls, method) in self._tests else []
        tests = tests or [t for (c, m), t in self._tests.items() if c == cls and _base(m) == method]
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

    def _test(self, cls: str, method: str, number: int, timestamp: datetime | None) -> _Test:
        key = (cls, method)
        test = self._tests.get(key)
        if test is None:
            test = _Test(cls, method, number, timestamp)
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
        self.failing_lines.extend(t.last_line for t in self._tests.values() if t.outcome != "flaky")
        return results

    def _result(self, test: _Test) -> Result:
        method, variant = split_variant(test.method)
        return Result(
            id=f"{test.cls}::{method}" if test.cls else method,
            outcome=test.outcome,
            source=Source(self.path, self.kind, test.line),
            variant=variant,
            message=test.message,
            error_type=test.error_type,
            details=test.excerpt.render(),
            attempts=test.attempts,
            timestamp=test.timestamp,
        )
