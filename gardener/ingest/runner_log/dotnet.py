"""`dotnet test` / VSTest console output (xUnit, NUnit and MSTest alike), fed one clean line at a time.

The console logger prints each test it ran as `  Failed Acme.Tests.PathTests.Relative [12 ms]` (or
`Passed`, `Skipped`); a failed one is followed by its report:

      Failed Acme.Tests.PathTests.RelativeTo_UsesForwardSlashes [12 ms]
      Error Message:
       Assert.Equal() Failure: Strings differ
      Stack Trace:
         at Acme.Tests.PathTests.RelativeTo_UsesForwardSlashes() in D:\\a\\src\\PathTests.cs:line 27
      Standard Output Messages:
       ...

and the assembly ends with `Failed!  - Failed: 2, Passed: 146, Skipped: 0, Total: 148`. xUnit's own runner
lines (`[xUnit.net 00:00:00.61]     Acme.Tests.PathTests.Relative [FAIL]`) announce the same failures first.

Ids are `Acme.Tests.PathTests::RelativeTo_UsesForwardSlashes`, as the JUnit/trx loggers of the same run
name them, so the cross-input dedupe keeps one result per test. A failed test's evidence line is the first
line of its error message (the assertion or exception), not the `Failed` header.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.model import Outcome, Result, Source
from gardener.numbers import bounded_int

MAX_RESULTS = 5000
MAX_REPORT_LINES = 80
_OUTCOMES: dict[str, Outcome] = {"Failed": "failed", "Passed": "passed", "Skipped": "skipped"}
# A test's name: a dotted .NET name (generic arity, nested `+`), maybe with its arguments, maybe a duration.
_TEST = re.lazy(
    r"^\s*(?P<outcome>Failed|Passed|Skipped)\s+(?P<name>\w[\w`+<>,]*(?:\.[\w`+<>,]+)+(?:\([^\n]*\))?)"
    r"(?:\s+\[[^\]\n]*\])?\s*$"
)
_XUNIT_FAIL = re.lazy(r"^\[xUnit\.net [\d:.]+\]\s+\S[^\n]* \[FAIL\]\s*$")
_SECTIONS = ("Error Message:", "Stack Trace:", "Standard Output Messages:", "Standard Error Messages:")
_ENDS = re.lazy(r"^(?:Failed|Passed)!\s+-|^Results File:|^Total tests:|^Test Run (?:Failed|Successful)")
_EXCEPTION = re.lazy(r"^(?P<type>[\w.]+(?:Exception|Error))\s?:")
_FRAME = re.lazy(r"^\s*at [^\n]+ in (?P<file>[^\n]+?):line (?P<line>\d+)\s*$")


class _Failed:
    __slots__ = ("excerpt", "file", "header", "line", "message", "name", "section", "source_line")

    def __init__(self, name: str, header: str, number: int) -> None:
        self.name, self.header, self.line = name, header, number
        self.section = ""
        self.message: list[str] = []
        self.source_line = number
        self.file: tuple[str, int] | None = None
        self.excerpt = Excerpt()
        self.excerpt.add(header.strip(), number)


class DotnetTestReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the Results."""

    HINTS = reader_hints.DOTNET

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._open: _Failed | None = None
        self._results: list[Result] = []

    def idle(self) -> bool:
        return self._open is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if self._open is not None:
            if self._report_line(number, text):
                return True
            self._close()
        if _XUNIT_FAIL.match(text) is not None:
            self.claimed.append((number, number))  # the runner's announcement of a failure reported below
            return True
        m = _TEST.match(text)
        if m is None or len(self._results) >= MAX_RESULTS:
            return False
        outcome = _OUTCOMES[m.group("outcome")]
        if outcome == "failed":
            self._open = _Failed(m.group("name"), text, number)
        else:
            self._results.append(self._result(m.group("name"), outcome, number))
        return True

    def interrupt(self) -> None:
        self._close()

    def finish(self) -> tuple[Result, ...]:
        self._close()
        return tuple(self._results)

    def _report_line(self, number: int, text: str) -> bool:
        """True while the line belongs to the open failed test's report."""
        test = self._open
        assert test is not None
        stripped = text.strip()
        if _TEST.match(text) is not None or _ENDS.match(stripped) is not None:
            return False
        if number - test.line > MAX_REPORT_LINES or (not stripped and test.section != "Error Message:"):
            return False
        if stripped in _SECTIONS:
            test.section = stripped
        elif test.section == "Error Message:":
            if not test.message and stripped:
                test.source_line = number  # the assertion or exception: the line that explains it
            test.message.append(stripped)
        elif test.section == "Stack Trace:" and test.file is None and (frame := _FRAME.match(text)) is not None:
            test.file = (frame.group("file"), bounded_int(frame.group("line")))
        if test.section:  # the message, the stack and what the test printed (redacted where it is shown)
            test.excerpt.add(text.rstrip(), number)
        return True

    def _close(self) -> None:
        test, self._open = self._open, None
        if test is None:
            return
        message = "\n".join(test.message).strip()
        first = message.splitlines()[0] if message else ""
        exception = _EXCEPTION.match(first)
        result = self._result(test.name, "failed", test.source_line)
        self._results.append(Result(
            id=result.id, outcome="failed", source=result.source, source_line=result.source_line, message=message,
            error_type=exception.group("type") if exception else "", details=test.excerpt.render(),
            file=test.file[0] if test.file else None, line=test.file[1] if test.file else None,
        ))
        self.claimed.append((test.line, test.excerpt.last_number or test.line))
        self.failing_lines.append(test.source_line)

    def _result(self, name: str, outcome: Outcome, number: int) -> Result:
        base = name.split("(", 1)[0]
        cls, _, method = base.rpartition(".")
        return Result(id=f"{cls}::{method}{name[len(base):]}", outcome=outcome, source=Source(self.path, self.kind),
                      source_line=number)
