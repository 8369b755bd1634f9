"""What the go test console reader (go.py) keeps about one test and one package build while it reads.

A test's own output is kept bounded (its first and last lines, and the start of a panic's block),
enough to say what failed (gotest.failure) without holding a chatty test's whole log.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt

HEAD_LINES = 100
TAIL_LINES = 300
PANIC_LINES = 120
SAID_LINES = 32  # `file.go:12: message` lines of one test remembered: where its failure message was read
# testify's failure field (`        \tError:      \tNot equal:`), under its `Error Trace:`.
_TESTIFY_ERROR = re.lazy(r"^\s+Error:\s+\S")
# A test's own failure message (`t.Errorf` / `t.Fatalf`: `    store_test.go:52: got 3, want 2`), indented under its
# `--- FAIL:` line or above it: the place and the words on one line.
_TEST_SAYS = re.lazy(r"^\s+[\w.-]+\.go:\d+: \S")


@dataclass(slots=True)
class GoTest:
    """One test of the package being read: `=== RUN` (or its result line) up to its package line."""

    name: str
    start: int
    timestamp: datetime | None
    word: str = ""  # FAIL | PASS | SKIP once its result line is seen
    seconds: float | None = None
    result_line: int = 0
    end: int = 0
    head: list[str] = field(default_factory=list)
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    panic: list[str] = field(default_factory=list)
    panic_at: int = 0  # the `panic:` line: what explains the failure, so the result's evidence line
    error_at: int = 0  # testify's first `Error:` field: what explains an assertion failure
    said_at: int = 0  # the test's first `file.go:12: message` line: what it reported failing, without testify
    # Each `file.go:12: message` line (a few): `t.Logf` prints the same shape, so the line the failure's message was
    # read from is found among them.
    said: list[tuple[int, str]] = field(default_factory=list)
    excerpt: Excerpt | None = field(default_factory=Excerpt)

    def add(self, number: int, text: str, in_panic: bool = False) -> None:
        self.end = max(self.end, number)
        if self.excerpt is None:  # passed: its output is no evidence of anything
            return
        self.excerpt.add(text, number)
        if not self.error_at and _TESTIFY_ERROR.match(text):
            self.error_at = number
        if ".go:" in text and len(self.said) < SAID_LINES and _TEST_SAYS.match(text):
            self.said_at = self.said_at or number
            self.said.append((number, text.strip()))
        if in_panic:
            self.panic_at = self.panic_at or number
            if len(self.panic) < PANIC_LINES:
                self.panic.append(text)
        elif len(self.head) < HEAD_LINES:
            self.head.append(text)
        else:
            self.tail.append(text)

    def said_line(self, message: str) -> int:
        """The `file.go:12: message` line `message` starts with (a log line above it is not the failure), else the
        first such line."""
        first = message.split("\n", 1)[0].strip()
        return next((n for n, text in self.said if text == first), self.said_at) if first else self.said_at

    def output(self) -> list[str]:
        return [*self.head, *self.tail, *self.panic]

    def forget_output(self) -> None:
        self.excerpt = None
        self.head, self.panic = [], []
        self.tail.clear()


@dataclass(slots=True)
class GoBuild:
    """A package's compiler errors: `# pkg`, `file.go:L:C: msg` lines, later `FAIL pkg [build failed]`."""

    package: str
    start: int
    timestamp: datetime | None
    end: int = 0
    first: str = ""  # the first compiler error line
    first_at: int = 0  # and its line number
    file: str | None = None
    line: int | None = None
    excerpt: Excerpt = field(default_factory=Excerpt)

    def add(self, number: int, text: str) -> None:
        self.end = max(self.end, number)
        self.excerpt.add(text, number)
