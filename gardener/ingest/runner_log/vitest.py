"""vitest's console report of failures, fed one clean line at a time, turned into test Results.

After the run vitest lists what failed under `⎯⎯⎯ Failed Suites N ⎯⎯⎯` (a file, or a describe block whose
hook threw) and `⎯⎯⎯ Failed Tests N ⎯⎯⎯`, one block per error:

     FAIL  src/sum.test.ts > sum > adds numbers
    AssertionError: expected 3 to be 4 // Object.is equality
     ❯ src/sum.test.ts:6:17
    ⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/2]⎯

A test that passed only when retried (`retry: N` in its config or on the command line) is listed, by the verbose
reporter and by the default one outside a TTY, as passed with the retries it took after its duration:

     ✓ src/relay.test.ts > retries a 503 from the mail relay once 1212ms (retry x1)

(vitest's `getTestCaseSuffix`): a flaky Result with its attempts, whatever prefix a workspace runner puts before
the line (pnpm's `packages/notifications test: `). A test failed on every try keeps its `×` and its FAIL block.

Several `FAIL` lines over one error are tests that failed the same way. jest's reader does not take these
lines (its headers end with the file). Ids are vitest's JUnit shape, `file::describe > test`, a suite
that failed to run is its file; the message is the error's lines up to its first frame or its diff, the
error type is the error's class, the evidence line is the error's first line.
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

# turbo and other task runners put a task prefix before every line (`roo-cline:test: `): the section line says which.
SECTION = re.lazy(r"^(?P<prefix>[\w@./-]+:[\w:.-]+: )?\s*⎯+ Failed (?P<kind>Tests|Suites) \d+ ⎯+\s*$")
HEADER = re.lazy(r"^\s*FAIL\s+(?P<file>[^\s>]+\.[cm]?[jt]sx?)(?: > (?P<name>\S.*?))?(?: \[ [^\]]+ \])?\s*$")
SEPARATOR = re.lazy(r"^\s*⎯{3,}(?:\[(?P<n>\d+)/(?P<of>\d+)\]⎯*)?\s*$")
FRAME = re.lazy(r"^\s*❯ (?:\S+ )?(?P<file>[^\s:]+):(?P<line>\d+):\d+\s*$")
ERROR_TYPE = re.lazy(r"^(?P<type>[A-Z]\w*(?:Error|Exception)|Error)\b(?: \[\w+\])?:")
END = re.lazy(r"^\s*(?:Test Files |Tests |Snapshots |Start at |Duration )")
DIFF = re.lazy(r"^\s*(?:- Expected|\+ Received)")
# A test that passed on a retry: vitest's pass mark, `file > test`, the duration, then its retry count.
RETRIED = re.lazy(
    r"(?:^|\s)[✓√] (?P<file>[^\s>]+\.[cm]?[jt]sx?) > (?P<name>\S.*?)(?: \d+m?s)? \(retry x(?P<n>\d+)\)\s*$")
MAX_RESULTS = 5000
MAX_MESSAGE_LINES = 6
MAX_BLOCK_LINES = 400
MAX_BETWEEN = 100  # lines outside any block after which the list is over (it never said its last)


@dataclass(slots=True)
class _Block:
    tests: list[tuple[str, str, int]]  # (file, name, header line) of each FAIL line over the error
    outcome: Outcome
    timestamp: datetime | None
    anchor: int = 0
    message: list[str] = field(default_factory=list)
    done: bool = False  # a frame or a diff was seen: the message is complete
    frame: tuple[str, int] | None = None
    lines: int = 0
    excerpt: Excerpt = field(default_factory=Excerpt)


class VitestReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.VITEST

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._outcome: Outcome | None = None  # inside a failures section
        self._block: _Block | None = None
        self._between = 0  # lines since the last block, while in a section
        self._prefix = ""  # a task runner's prefix on the section's lines
        self._results: dict[str, Result] = {}

    def idle(self) -> bool:
        return self._outcome is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (m := SECTION.match(text)) is not None:
            self._close()
            self._outcome = "error" if m.group("kind") == "Suites" else "failed"
            self._between = 0
            self._prefix = m.group("prefix") or ""
            return True
        if self._prefix and text.startswith(self._prefix):
            text = text[len(self._prefix) :]
        if self._outcome is None:
            return self._retried(number, text, timestamp)
        if END.match(text):
            # The summary may come between a section's title and its blocks (stdout and stderr interleaved).
            self._close()
            return False
        if (m := HEADER.match(text)) is not None:
            block = self._block
            if block is None or block.message:
                self._close()
                block = self._block = _Block([], self._outcome, timestamp)
            block.tests.append((m.group("file"), m.group("name") or "", number))
            block.excerpt.add(text, number)
            return True
        block = self._block
        if (m := SEPARATOR.match(text)) is not None:
            self._close()
            if m.group("n") is not None and m.group("n") == m.group("of"):
                self._outcome = None  # the last error of the list
            return True
        if block is None:
            self._between += 1
            if self._between > MAX_BETWEEN:
                self._outcome = None
            return False
        self._between = 0
        block.lines += 1
        if block.lines > MAX_BLOCK_LINES:
            self._close()
            self._outcome = None
            return False
        block.excerpt.add(text, number)
        stripped = text.strip()
        if (frame := FRAME.match(text)) is not None:
            block.done = True
            if block.frame is None:
                block.frame = (frame.group("file"), bounded_int(frame.group("line")))
        elif DIFF.match(text):
            block.done = True
        elif stripped and not block.done and len(block.message) < MAX_MESSAGE_LINES:
            block.message.append(stripped)
            block.anchor = block.anchor or number
        return True

    def _retried(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """A passed test's line that says it took retries: flaky."""
        m = RETRIED.search(text) if "(retry x" in text else None
        if m is None:
            return False
        rid = f"{m.group('file')}::{m.group('name')}"
        if rid not in self._results and len(self._results) < MAX_RESULTS:
            retries = bounded_int(m.group("n"))
            self._results[rid] = Result(
                id=rid, outcome="flaky", source=Source(self.path, self.kind), source_line=number,
                message=f"passed after {retries} failed attempt{'s' if retries != 1 else ''} (vitest retry x{retries})",
                details=text.strip(), file=m.group("file"), attempts=retries + 1, timestamp=timestamp,
            )
        return True

    def _close(self) -> None:
        block, self._block = self._block, None
        if block is None:
            return
        message = "\n".join(block.message)
        kind = ERROR_TYPE.match(message)
        self.claimed.append((block.tests[0][2], block.excerpt.last_number or block.tests[0][2]))
        for file, name, header in block.tests:
            rid = f"{file}::{name}" if name else file
            if rid in self._results or len(self._results) >= MAX_RESULTS:
                continue
            line = block.anchor or header
            self.failing_lines.append(line)
            self._results[rid] = Result(
                id=rid,
                outcome=block.outcome,
                source=Source(self.path, self.kind), source_line=line,
                message=message or f"FAIL {rid}",
                error_type=kind.group("type") if kind else "",
                details=block.excerpt.render(),
                file=file,
                line=block.frame[1] if block.frame and block.frame[0].endswith(file) else None,
                timestamp=block.timestamp,
            )

    def interrupt(self) -> None:
        """The output around vitest moved on (a new CI step): close what is open."""
        self._close()
        self._outcome = None

    def finish(self) -> tuple[Result, ...]:
        self._close()
        return tuple(self._results.values())
