"""What runner_log asks of a test runner's console reader (pytest, jest, surefire, go, cargo, GitLab services)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Protocol

from gardener.model import Result


class ConsoleReader(Protocol):
    """Fed every clean line of a log; gives the runner's test Results and the lines it used.

    A line `feed` says it took is never an incident's anchor. `claimed` spans (first, last line)
    are evidence reported as a test result and `failing_lines` the lines of failing results: an
    incident anchored in a claimed span, or a bare wrapper (`exit code 1`) just after failing tests,
    is dropped, so the same failure is not reported twice.
    """

    claimed: list[tuple[int, int]]
    failing_lines: list[int]

    @property
    def HINTS(self) -> tuple[str, ...]:  # a class constant in every reader
        """RE2 patterns over a clean line: while `idle()`, a line matching none of them leaves the
        reader as it was and is not taken, so the prefilter (prefilter.py) need not feed it. A
        reader with none is fed every line."""
        ...

    def idle(self) -> bool:
        """Whether nothing is open that a line matching no hint could continue."""
        ...

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True when the line is (part of) a test's report, so no log incident may start there."""
        ...

    def interrupt(self) -> None: ...

    def finish(self) -> tuple[Result, ...]: ...


class ReaderBase:
    """The state every console reader keeps: the file it reads and the lines it claimed."""

    HINTS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, path: str, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.claimed: list[tuple[int, int]] = []
        self.failing_lines: list[int] = []

    def idle(self) -> bool:
        return False  # a reader that declares no HINTS sees every line
