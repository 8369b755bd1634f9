"""PHPUnit's console output, fed one clean line at a time, turned into test Results.

After its progress dots PHPUnit lists each problem under a section saying how many there were,

    There were 12 errors:

    1) TinyAuth\\Test\\Auth\\TinyAuthorizeTest::testGetAcl
    Exception: Missing relationship between Users and Roles.

    /app/vendor/x/src/Auth/TinyAuthorize.php:172
    /app/vendor/x/tests/TestCase/Auth/TinyAuthorizeTest.php:151

then `FAILURES!` / `ERRORS!` and `Tests: 20, Assertions: 91, Failures: 1, Errors: 12.` Errors (an exception
or a PHP error escaped the test) and failures (an assertion did not hold) are failing results; the other
sections (warnings, risky, incomplete and skipped tests) do not fail the run and are not read.

Ids are `Class::method` (with PHPUnit's ` with data set #0 (...)` kept), the message is what the block
says before its stack, the evidence line is that message's first line. The file and line are where it
failed: an error's first frame (where it was raised: PHPUnit prints the deepest frame first), a failure's
last (the test method's assertion), so one exception raised in many tests is one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.model import Outcome, Result, Source
from gardener.numbers import bounded_int

SECTION = re.lazy(
    r"^There (?:was|were) \d+ (?P<kind>errors?|failures?|warnings?|risky tests?|incomplete tests?|skipped tests?)"
    r"(?: \(PHPUnit\))?:\s*$"
)
HEADER = re.lazy(r"^(?P<n>\d+)\) (?P<id>[\w\\]+::\w+.*?)\s*$")
FRAME = re.lazy(r"^(?P<file>(?:[A-Za-z]:)?[/\\]?[^\s:]*\.(?:php|phpt|inc)):(?P<line>\d+)\s*$")
# PHPUnit's `Exception: msg`, `TypeError: msg`, `Cake\Http\Exception\NotFoundException: msg`, `Error: Call to ...`.
EXCEPTION = re.lazy(r"^(?P<type>(?:[A-Z]\w*\\)*[A-Z]\w*(?:Exception|Error)|Error|Exception): ")
END = re.lazy(r"^(?:FAILURES!|ERRORS!|OK, but |--\s*$|Tests: \d+, Assertions: )")
MAX_RESULTS = 5000
MAX_MESSAGE_LINES = 8
MAX_BLOCK_LINES = 400


@dataclass(slots=True)
class _Block:
    test: str
    start: int
    outcome: Outcome
    timestamp: datetime | None
    anchor: int = 0
    message: list[str] = field(default_factory=list)
    stack: bool = False  # a frame was seen: the message is complete
    frame: tuple[str, int] | None = None
    lines: int = 0
    excerpt: Excerpt = field(default_factory=Excerpt)


class PhpUnitReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.PHPUNIT

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._outcome: Outcome | None = None  # inside an errors / failures section (None: not, or not read)
        self._section = False
        self._heading = (0, "")  # the section's line: its block's details start with it (what kind of problem)
        self._block: _Block | None = None
        self._results: dict[str, Result] = {}

    def idle(self) -> bool:
        return not self._section

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (m := SECTION.match(text)) is not None:
            self._close()
            kind = m.group("kind")
            self._section, self._heading = True, (number, text.strip())
            self._outcome = "error" if kind.startswith("error") else "failed" if kind.startswith("failure") else None
            return self._outcome is not None
        if not self._section:
            return False
        if END.match(text):
            self._close()
            self._section = False
            return self._outcome is not None
        if (m := HEADER.match(text)) is not None:
            self._close()
            if self._outcome is not None:
                self._block = _Block(m.group("id"), number, self._outcome, timestamp)
                self._block.excerpt.add(self._heading[1], self._heading[0])
                self._block.excerpt.add(text, number)
                return True
            return False
        block = self._block
        if block is None:
            return self._outcome is not None and not text.strip()
        block.lines += 1
        if block.lines > MAX_BLOCK_LINES:
            self._close()
            self._section = False
            return False
        block.excerpt.add(text, number)
        stripped = text.strip()
        if (frame := FRAME.match(stripped)) is not None:
            # An error happened where it was raised (the first frame); a failure at the test's assertion (the last).
            if block.frame is None or block.outcome == "failed":
                block.frame = (frame.group("file"), bounded_int(frame.group("line")))
            block.stack = True
        elif stripped and not block.stack and len(block.message) < MAX_MESSAGE_LINES:
            block.message.append(stripped)
            block.anchor = block.anchor or number
        return True

    def _close(self) -> None:
        block, self._block = self._block, None
        if block is None or len(self._results) >= MAX_RESULTS or block.test in self._results:
            return
        line = block.anchor or block.start
        self.claimed.append((block.start, block.excerpt.last_number or block.start))
        self.failing_lines.append(line)
        message = "\n".join(block.message)
        kind = EXCEPTION.match(message)
        self._results[block.test] = Result(
            id=block.test,
            outcome=block.outcome,
            source=Source(self.path, self.kind), source_line=line,
            message=message or block.test,
            error_type=kind.group("type") if kind else "",
            details=block.excerpt.render(),
            file=block.frame[0] if block.frame else None,
            line=block.frame[1] if block.frame else None,
            timestamp=block.timestamp,
        )

    def interrupt(self) -> None:
        """The output around PHPUnit moved on (a new CI step): close what is open."""
        self._close()
        self._section = False

    def finish(self) -> tuple[Result, ...]:
        self._close()
        return tuple(self._results.values())
