"""XCTest's console output (`xcodebuild test`, `swift test`), fed one clean line at a time.

Each test case is bracketed by its start and its verdict, the failure lines between them:

    Test Case '-[PantryKitTests.CartTotalsTests testRoundsHalfCentUp]' started.
    /Users/ci/Tests/CartTotalsTests.swift:48: error: -[PantryKitTests.CartTotalsTests testRoundsHalfCentUp] :
        XCTAssertEqual failed: ("1799") is not equal to ("1800")   (one line in the log)
    Test Case '-[PantryKitTests.CartTotalsTests testRoundsHalfCentUp]' failed (0.004 seconds).

(swift-corelibs-xctest on Linux names the case `'CartTotalsTests.testRoundsHalfCentUp'` and prints `started at
<time>`). `xcodebuild -retry-tests-on-failure -test-iterations N` runs a failed case again, its start saying
`started (Iteration 2 of 3).`: a test that failed and then passed is `flaky`, one that failed every time is
`failed`. Ids are `Module.Class::test`, as xcpretty's and xcresulttool's JUnit name them; the evidence line is the
first failure line (`file.swift:48: error: ...`), the place its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log.console import ReaderBase
from gardener.model import Outcome, Result, Source
from gardener.numbers import bounded_int
from gardener.redact.text import cut_raw

_NAME = r"'(?:-\[(?P<klass>[\w.]+) (?P<test>\w+)\]|(?P<klass2>[\w.]+)\.(?P<test2>\w+))'"
STARTED = re.lazy(rf"^\s*Test Case {_NAME} started\b")
VERDICT = re.lazy(rf"^\s*Test Case {_NAME} (?P<verdict>passed|failed|skipped) \(")
FAILURE = re.lazy(r"^\s*(?P<file>\S+\.swift):(?P<line>\d+): error: (?:-\[[\w.]+ \w+\]|[\w.]+) : (?P<message>.*)$")
MAX_TESTS = 5000
MAX_MESSAGE_CHARS = 2000


@dataclass(slots=True)
class _Case:
    """One test's runs so far: each verdict, and its first failure's line, place and message."""

    verdicts: list[str] = field(default_factory=list)
    line: int | None = None
    file: str = ""
    file_line: int | None = None
    message: str = ""
    first: int = 0  # the first line of its first failed run
    last: int = 0
    timestamp: datetime | None = None


def _name(m: re.Match[str]) -> str:
    klass = m.group("klass") or m.group("klass2") or ""
    return f"{klass}::{m.group('test') or m.group('test2') or ''}"


class XCTestReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing and flaky tests' Results."""

    HINTS = (r"^\s*Test Case '", r"\.swift:\d+: error: ")

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._cases: dict[str, _Case] = {}
        self._open: tuple[str, int] | None = None  # the running test and the line it started at

    def idle(self) -> bool:
        return self._open is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if "Test Case '" in text:
            if (m := STARTED.match(text)) is not None:
                self._open = (_name(m), number)
                return True
            if (m := VERDICT.match(text)) is not None:
                return self._verdict(_name(m), m.group("verdict"), number, timestamp)
        if self._open is not None and ": error: " in text and (m := FAILURE.match(text)) is not None:
            name, _ = self._open
            case = self._case(name)
            if case is not None and case.line is None:
                case.line, case.file = number, m.group("file")
                case.file_line = bounded_int(m.group("line"))
                case.message = cut_raw(m.group("message").strip(), MAX_MESSAGE_CHARS)
                case.timestamp = timestamp
            return True
        return False

    def _case(self, name: str) -> _Case | None:
        case = self._cases.get(name)
        if case is None and len(self._cases) < MAX_TESTS:
            case = self._cases[name] = _Case()
        return case

    def _verdict(self, name: str, verdict: str, number: int, timestamp: datetime | None) -> bool:
        start = self._open[1] if self._open is not None and self._open[0] == name else number
        self._open = None
        # Only a case that failed once is kept (a later pass makes it flaky): a suite's thousands of passing cases
        # must not fill MAX_TESTS before its failures come.
        case = self._case(name) if verdict == "failed" else self._cases.get(name)
        if case is None:
            return True
        case.verdicts.append(verdict)
        if verdict == "failed":
            case.first = case.first or start
            case.last = number
            case.timestamp = case.timestamp or timestamp
        return True

    def interrupt(self) -> None:
        self._open = None

    def finish(self) -> tuple[Result, ...]:
        results = []
        for name, case in self._cases.items():
            if "failed" not in case.verdicts:
                continue
            # Failed, then passed on a later iteration (`-retry-tests-on-failure`): flaky; failed every run: failed.
            last_failed = len(case.verdicts) - 1 - case.verdicts[::-1].index("failed")
            outcome: Outcome = "flaky" if "passed" in case.verdicts[last_failed:] else "failed"
            line = case.line or case.first
            self.claimed.append((case.first, case.last))
            if outcome == "failed":
                self.failing_lines.append(line)
            results.append(Result(
                id=name,
                outcome=outcome,
                source=Source(self.path, self.kind),
                source_line=line,
                message=case.message or f"Test Case '{name}' failed",
                details=case.message,
                file=case.file or None,
                line=case.file_line,
                attempts=len(case.verdicts),
                timestamp=case.timestamp,
            ))
        return tuple(results)
