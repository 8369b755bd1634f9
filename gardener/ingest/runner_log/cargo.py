"""cargo test's console output, fed one clean line at a time, turned into test Results and crash incidents.

Each `test x ... FAILED` line is a failed test whose evidence is its `---- x stdout ----` block (the
panic's message and location), or, when libtest did not capture the output, the `thread 'x' panicked at`
lines printed before it under the test's thread name; a block pasted without its progress line is still
that test's failure.
Ids are `<binary>::<test path>` (`thumbd::tests::parse_compound_ttl`), the binary being the test target
cargo says it runs (`Running unittests src/lib.rs (target/debug/deps/thumbd-…)`), as nextest names its
binaries; without a `Running` line, the test path alone. cargo's own lines about a failed binary
(`error: test failed, to rerun pass `--lib``, `error: 2 targets failed:`) are wrappers of those
failures and never incidents. A test binary killed by a signal (`process didn't exit successfully:
`…/decode-3f2a…` (signal: 11, SIGSEGV: …)`) is one incident naming that binary. `cargo nextest run`
output, once its first line shows it, is read by cargo_nextest.py instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import cargo_lines as cl
from gardener.ingest.runner_log import cargo_nextest as nx
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.results import log_id
from gardener.model import Outcome, Result, Source

MAX_RESULTS = 5000
BLOCK_LINES = 200  # kept for the analysis of a test's block
MAX_BLOCK_LINES = 2000  # past this a `---- x stdout ----` block is no longer believed to go on
CONTEXT_LINES = 12
_WORDS: dict[str, Outcome] = {"ok": "passed", "FAILED": "failed"}
_FIRST = frozenset("t-ef ─")  # the first characters of the lines _may_start accepts


@dataclass(slots=True)
class _Block:
    name: str
    start: int
    timestamp: datetime | None
    uncaptured: bool = False  # a panic printed as it happened, not a `---- x stdout ----` block
    end: int = 0
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the log line of each of `lines`
    excerpt: Excerpt = field(default_factory=Excerpt)

    def add(self, number: int, text: str) -> None:
        self.end = number
        self.excerpt.add(text, number)
        if len(self.lines) < BLOCK_LINES:
            self.lines.append(text)
            self.numbers.append(number)


class CargoReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the Results."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._stem = PurePath(path).stem
        self._results: dict[str, Result] = {}
        self._binary = ""
        self._tests: dict[str, tuple[Outcome, int]] = {}  # of the binary being read
        self._blocks: dict[str, _Block] = {}
        self._block: _Block | None = None
        self._listing = ""  # "failures" | "targets": an indented list follows
        self._context: deque[tuple[int, str]] = deque(maxlen=CONTEXT_LINES)
        self._nextest: nx.NextestRun | None = None  # `cargo nextest run` output, once it shows itself

    # The lines _may_start accepts.
    HINTS = reader_hints.CARGO

    def idle(self) -> bool:
        return self._nextest is None and not self._binary and self._block is None and not self._tests

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for the lines of cargo's test report and its wrappers around failed binaries."""
        if self._nextest is not None:
            return self._nextest.feed(number, text, timestamp)
        if (
            not self._binary
            and self._block is None
            and not self._tests
            and not (text[:1] in _FIRST and _may_start(text))
        ):
            return False  # most lines of a CI log: no test binary is being read and this starts none
        if nx.STARTING.match(text) or nx.STATUS.match(text) or nx.OUTPUT.match(text):
            self._nextest = nx.NextestRun(self.path, self.kind, self.claimed, self.failing_lines)
            return self._nextest.feed(number, text, timestamp)
        taken = self._feed(number, text, timestamp)
        if taken or self._binary:
            self._context.append((number, text))
        return taken

    def _feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if self._block is not None:
            ends = _ends_block(text) or (self._block.uncaptured and text.startswith(("test ", "thread '")))
            if not ends and number - self._block.start < MAX_BLOCK_LINES:
                self._block.add(number, text)
                return True
            self._close_block()
        if self._listing:
            if text[:1].isspace() and text.strip():
                return True
            self._listing = ""
        if text.startswith("test "):
            return self._test_line(number, text)
        if self._binary and text.startswith("thread '") and (m := cl.PANICKED.match(text)) is not None:
            # Output not captured (`--nocapture`, `--test-threads=1` with prints): the panic is printed where it
            # happens, under the test's own thread name, before its `test x ... FAILED` line.
            name = m.group("thread")
            if name not in ("main", "<unnamed>") and name not in self._blocks:
                self._block = _Block(name, number, timestamp, uncaptured=True)
                self._block.add(number, text)
                return True
        if (m := cl.BLOCK.match(text)) is not None:
            self._block = _Block(m.group("name"), number, timestamp)
            self._block.add(number, text)
            return True
        if text.strip() == cl.FAILURES and (self._tests or self._blocks):
            self._listing = "failures"
            return True
        if text.startswith("error: "):
            return self._error_line(number, text)
        if text.strip() == cl.CAUSED_BY and self._binary:
            return True
        if "didn't exit successfully" in text and (m := cl.DIED.search(text)) is not None:
            self._died(number, text, m, timestamp)
            return True
        if (m := cl.RUNNING.match(text)) is not None:
            self._close_binary()
            self._binary = cl.binary_name(m.group("bin") or m.group("src"))
            return True
        if (m := cl.DOC_TESTS.match(text)) is not None:
            self._close_binary()
            self._binary = m.group("crate")
            return True
        return bool(self._binary) and cl.RUNNING_N.match(text) is not None

    def _test_line(self, number: int, text: str) -> bool:
        if (m := cl.RESULT.match(text)) is not None:
            if m.group("word") == "FAILED":
                self.failing_lines.append(number)
            self.claimed.append((number, number))
            self._close_binary(keep_name=True)
            return True
        m = cl.TEST.match(text)
        if m is None:
            return False
        outcome = _WORDS.get(m.group("word"), "skipped" if m.group("word").startswith("ignored") else "passed")
        self._tests[m.group("name")] = (outcome, number)
        if outcome == "failed":
            self.failing_lines.append(number)
            self.claimed.append((number, number))
        return True

    def _error_line(self, number: int, text: str) -> bool:
        if cl.RERUN_HINT.match(text) is not None:
            self.claimed.append((number, number))
            self.failing_lines.append(number)
            return True
        if cl.TARGETS_FAILED.match(text) is not None:
            self._listing = "targets"
            self.claimed.append((number, number))
            self.failing_lines.append(number)
            return True
        return False

    def _died(self, number: int, text: str, m: re.Match[str], timestamp: datetime | None) -> None:
        """A test binary that ended by a signal: one incident naming it. An exit status is the
        failed tests' own doing (libtest exits 101), already reported by them."""
        self.claimed.append((number, number))
        self.failing_lines.append(number)
        signal = m.group("name")
        if not signal:
            return
        binary = cl.binary_name(m.group("cmd"))
        message = text[m.start() :].strip()
        error_type = "oom-killed" if signal == "SIGKILL" else "crash"
        rid = log_id(self._stem, error_type, message, binary)
        excerpt = Excerpt()
        for n, t in self._context:
            excerpt.add(t, n)
        excerpt.add(text, number)
        if rid not in self._results and len(self._results) < MAX_RESULTS:
            self._results[rid] = Result(
                id=rid,
                outcome="error",
                source=Source(self.path, self.kind), source_line=number,
                message=message,
                error_type=error_type,
                details=excerpt.render(),
                timestamp=timestamp,
                properties=(("subject", binary),),
            )

    def _close_block(self) -> None:
        block, self._block = self._block, None
        if block is not None:
            self._blocks[block.name] = block
            self.claimed.append((block.start, block.end))

    def _close_binary(self, keep_name: bool = False) -> None:
        """The binary's tests: failed ones with their block's evidence, a block alone is a failure too."""
        self._close_block()
        names = list(self._tests) + [name for name in self._blocks if name not in self._tests]
        for name in names:
            outcome, line = self._tests.get(name, ("failed", 0))
            block = self._blocks.get(name)
            self._emit(name, outcome, line or (block.start if block else 0), block)
        self._tests, self._blocks, self._listing = {}, {}, ""
        if not keep_name:
            self._binary = ""

    def _emit(self, name: str, outcome: Outcome, line: int, block: _Block | None) -> None:
        rid = f"{self._binary}::{name}" if self._binary else name
        if rid in self._results or len(self._results) >= MAX_RESULTS:
            return
        if outcome != "failed":
            self._results[rid] = Result(id=rid, outcome=outcome, source=Source(self.path, self.kind), source_line=line)
            return
        why = cl.explain(block.lines if block else [])
        if block is not None and why.at is not None:
            line = block.numbers[why.at]  # the panic's message explains the failure, not the test's header
        self._results[rid] = Result(
            id=rid,
            outcome="failed",
            source=Source(self.path, self.kind), source_line=line,
            message=why.message or f"test {name} ... FAILED",
            details=block.excerpt.render() if block else "",
            file=why.file,
            line=why.line,
            timestamp=block.timestamp if block else None,
        )

    def interrupt(self) -> None:
        """The output around cargo moved on (a new CI step): close what is open."""
        self._close_binary()
        self._context.clear()

    def finish(self) -> tuple[Result, ...]:
        self.interrupt()
        nextest = self._nextest.results() if self._nextest is not None else []
        return (*self._results.values(), *(r for r in nextest if r.id not in self._results))


def _ends_block(text: str) -> bool:
    """The line after a test's captured output: the next block, the failure list, the totals, cargo."""
    return (
        cl.BLOCK.match(text) is not None
        or text.strip() == cl.FAILURES
        or cl.RESULT.match(text) is not None
        or cl.RUNNING.match(text) is not None
        or cl.RERUN_HINT.match(text) is not None
    )


def _may_start(text: str) -> bool:
    """Whether a line can begin cargo's report: a test line, a stdout block, a `Running` line, an error."""
    if text.startswith(("test ", "---- ", "error: ", "failures:", "--- ", "─")):
        return True
    return text.startswith(" ") and (
        "Running " in text or "Doc-tests " in text or "didn't exit" in text or "] " in text or "Starting " in text
    )
