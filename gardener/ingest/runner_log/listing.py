"""What the readers of a failure listing share (mocha, ExUnit, minitest, TAP, Pester): one block per failing test.

A runner that lists its failures prints, for each, a header naming the test, what failed (an assertion's
or an exception's lines), then where (a stack or the test's file). A reader finds the headers; this keeps
the block: its excerpt, its message (the lines before the first frame), its place and its Result. The
evidence line is the message's first line (what failed), else the header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log.console import ReaderBase
from gardener.model import Outcome, Result, Source

MAX_RESULTS = 5000
MAX_MESSAGE_LINES = 8
MAX_BLOCK_LINES = 400  # a block the runner never closed (the log was cut) stops holding lines here
# An exception's class at the start of a message (`TypeError: x`, `AssertionError [ERR_ASSERTION]: x`,
# `System.IO.IOException: x`, `Minitest::Assertion: x`).
ERROR_TYPE = re.lazy(r"^(?P<type>(?:[A-Za-z_]\w*(?:\.|::))*[A-Z]\w*(?:Error|Exception|Assertion))(?: \[\w+\])?:")


@dataclass(slots=True)
class Block:
    test: str  # the result's id
    start: int
    timestamp: datetime | None
    outcome: Outcome = "failed"
    anchor: int = 0  # the message's first line
    error_type: str = ""
    message: list[str] = field(default_factory=list)
    done: bool = False  # a frame was seen: the message is complete
    file: str | None = None
    line: int | None = None
    lines: int = 0
    excerpt: Excerpt = field(default_factory=Excerpt)

    def say(self, number: int, stripped: str) -> None:
        """A line of what failed (before the first frame), kept up to MAX_MESSAGE_LINES."""
        if stripped and not self.done and len(self.message) < MAX_MESSAGE_LINES:
            self.message.append(stripped)
            self.anchor = self.anchor or number

    def place(self, file: str, line: int | None) -> None:
        """Where it failed: the first place given wins."""
        if self.file is None:
            self.file, self.line = file, line


class ListingReader(ReaderBase):
    """A listing's blocks, one open at a time; subclasses find the headers and read each line of a block."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self.block: Block | None = None
        self.results: dict[str, Result] = {}

    def open(self, test: str, number: int, text: str, timestamp: datetime | None, outcome: Outcome = "failed") -> Block:
        self.close()
        block = self.block = Block(test, number, timestamp, outcome)
        block.excerpt.add(text, number)
        return block

    def keep(self, block: Block, number: int, text: str) -> bool:
        """Add a line to the open block's excerpt; False (the block closed) past MAX_BLOCK_LINES."""
        block.lines += 1
        if block.lines > MAX_BLOCK_LINES:
            self.close()
            return False
        block.excerpt.add(text, number)
        return True

    def close(self) -> None:
        block, self.block = self.block, None
        if block is None or block.test in self.results or len(self.results) >= MAX_RESULTS:
            return
        line = block.anchor or block.start
        self.claimed.append((block.start, block.excerpt.last_number or block.start))
        self.failing_lines.append(line)
        message = "\n".join(block.message)
        kind = block.error_type or ((m := ERROR_TYPE.match(message)) is not None and m.group("type")) or ""
        self.results[block.test] = Result(
            id=block.test,
            outcome=block.outcome,
            source=Source(self.path, self.kind), source_line=line,
            message=message or block.test,
            error_type=kind,
            details=block.excerpt.render(),
            file=block.file,
            line=block.line,
            timestamp=block.timestamp,
        )

    def interrupt(self) -> None:
        """The output around the runner moved on (a new CI step): close what is open."""
        self.close()

    def finish(self) -> tuple[Result, ...]:
        self.close()
        return tuple(self.results.values())
