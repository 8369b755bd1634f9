"""cargo-nextest's console output, read by the cargo reader once nextest shows itself.

nextest runs each test in its own process and prints one status line per test,
`        FAIL [   0.004s] thumbd tests::parse_compound_ttl` (PASS, FAIL, SIGSEGV and other signals,
TIMEOUT, LEAK, FLAKY, TRY n FAIL, SKIP), then for a failure its captured output under
`--- STDOUT:              thumbd tests::parse_compound_ttl ---` and `--- STDERR: … ---` headers (newer
releases draw `────` rules instead of dashes). The binary id comes first (`crate`, `crate::test-target`),
so ids are `<binary id>::<test>`, as nextest's own JUnit names them. The libtest lines inside a
STDOUT block (`test x ... FAILED`, `test result: FAILED`) are that block's content, not tests of their
own. After `Summary [ … ]` the status lines repeat; `error: test run failed` wraps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import cargo_lines as cl
from gardener.model import Outcome, Result, Source
from gardener.numbers import bounded_int

STARTING = re.lazy(r"^\s*Starting \d+ tests? across \d+ binar")
STATUS = re.lazy(
    r"^\s*(?P<word>PASS|FAIL|SKIP|ABORT|TIMEOUT|LEAK(?:-FAIL)?|FLAKY(?: \d+/\d+)?|SIG[A-Z]+"
    r"|TRY \d+ (?:PASS|FAIL|TIMEOUT|SIG[A-Z]+)|RETRY \d+/\d+) \[\s*[\d.]+m?s\] (?:\(\s*\d+/\d+\)\s+)?"
    r"(?P<binary>\S+)\s+(?P<name>\S.*?)\s*$"
)
OUTPUT = re.lazy(
    r"^(?:-{3}|─{2,}) (?:STDOUT|STDERR|OUTPUT):\s+(?:\(\S+\)\s+)?(?P<binary>\S+)\s+(?P<name>\S.*?)"
    r"(?:\s+(?:-{3}|─+))?\s*$"
)
_SUMMARY = re.lazy(r"^\s*Summary \[")
_RULE = re.lazy(r"^\s*(?:─{5,}|-{12,})\s*$")
_WRAPPERS = re.lazy(r"^error: test run failed|^\s*Cancell?ing due to (?:test failure|interrupt)")
_FAILED_WORDS = ("FAIL", "TIMEOUT", "LEAK-FAIL", "ABORT")
MAX_BLOCK_LINES = 200


@dataclass(slots=True)
class _Test:
    binary: str
    name: str
    word: str
    line: int
    timestamp: datetime | None
    lines: list[str] = field(default_factory=list)
    excerpt: Excerpt = field(default_factory=Excerpt)


class NextestRun:
    """Feed (line number, clean text, timestamp) once nextest showed itself; `results()` at the end."""

    def __init__(self, path: str, kind: str, claimed: list[tuple[int, int]], failing_lines: list[int]) -> None:
        self.path = path
        self.kind = kind
        self.claimed = claimed
        self.failing_lines = failing_lines
        self._tests: dict[str, _Test] = {}
        self._block: _Test | None = None  # the test whose captured output is being read
        self._summary = False

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (m := STATUS.match(text)) is not None:
            self._block = None
            self._status(number, m, timestamp)
            return True
        if (m := OUTPUT.match(text)) is not None:
            self._block = self._test(m.group("binary"), m.group("name"), "", number, timestamp)
            self._block.excerpt.add(text, number)
            self.claimed.append((number, number))
            return True
        if _SUMMARY.match(text) or _RULE.match(text):
            self._summary = self._summary or _SUMMARY.match(text) is not None
            self._block = None
            return True
        if _WRAPPERS.match(text):
            self.failing_lines.append(number)
            return True
        block = self._block
        if block is None:
            return False
        block.excerpt.add(text, number)
        if len(block.lines) < MAX_BLOCK_LINES:
            block.lines.append(text)
        self.claimed.append((number, number))
        return True

    def _status(self, number: int, m: re.Match[str], timestamp: datetime | None) -> None:
        word = m.group("word")
        test = self._test(m.group("binary"), m.group("name"), word, number, timestamp)
        if self._summary:
            return  # the final recap repeats what was printed
        test.word, test.line = word, number
        if word.startswith(_FAILED_WORDS) or word.startswith("SIG"):
            self.failing_lines.append(number)
            self.claimed.append((number, number))

    def _test(self, binary: str, name: str, word: str, number: int, timestamp: datetime | None) -> _Test:
        key = f"{binary}::{name}"
        test = self._tests.get(key)
        if test is None:
            test = self._tests[key] = _Test(binary, name, word, number, timestamp)
        return test

    def results(self) -> list[Result]:
        return [_result(key, t, self.path, self.kind) for key, t in self._tests.items()]


def _result(rid: str, test: _Test, path: str, kind: str) -> Result:
    word = test.word
    source, line = Source(path, kind), test.line
    if word.startswith(("PASS", "LEAK")) and word != "LEAK-FAIL":
        return Result(id=rid, outcome="passed", source=source, source_line=line)
    if word == "SKIP":
        return Result(id=rid, outcome="skipped", source=source, source_line=line)
    # A later attempt that passed (`TRY 2 PASS`, when the FLAKY summary line is not shown) is a pass on retry too.
    retried_pass = word.startswith("TRY ") and word.endswith(" PASS") and bounded_int(word.split()[1]) >= 2
    outcome: Outcome = "flaky" if word.startswith("FLAKY") or retried_pass else "failed"
    why = cl.explain(test.lines)
    signal = word if word.startswith("SIG") else ""
    panicked = any(cl.PANICKED.match(t.strip()) for t in test.lines)
    message = why.message if panicked else ""
    if signal:
        message = f"test process killed by {signal}" + (f": {message}" if message else "")
    elif word == "TIMEOUT":
        message = f"test timed out (nextest TIMEOUT){': ' + message if message else ''}"
    return Result(
        id=rid,
        outcome=outcome,
        source=source,
        source_line=line,
        message=message or why.message or f"{word} {test.binary} {test.name}",
        error_type="crash" if signal else "",
        details=test.excerpt.render(),
        file=why.file,
        line=why.line,
        attempts=bounded_int(word.split()[1].split("/")[1]) if word.startswith("FLAKY ") else 1,
        timestamp=test.timestamp,
    )
