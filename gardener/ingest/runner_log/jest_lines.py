"""What one line of jest's console output is, and the failure blocks it builds up.

Pure patterns and records that jest.py fills in; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.reader_hints import JEST_START_WORDS
from gardener.numbers import bounded_int

# A workspace task runner's prefix (Turborepo `web:test: `, pnpm -r `packages/web test: `, nx / lerna `web: `):
# one package's jest output, each line behind the same prefix, the packages' lines interleaved.
TASK_PREFIX = re.lazy(f"^(?P<prefix>{reader_hints.TASK_PREFIX})(?: |$)")
START = re.lazy(r"\s*(?:●|PASS\s|FAIL\s|LOGGING RETRY ERRORS|Test Suites:|Summary of all failing)")
START_WORDS = JEST_START_WORDS


def starts_report(text: str) -> bool:
    """START.match, with a literal test first: it runs on every line of every log."""
    return text.lstrip().startswith(START_WORDS) and START.match(text) is not None

HEADER = re.lazy(
    r"^\s*(?P<word>PASS|FAIL)\s+(?:\S+\s+)??(?P<path>[^\s()]+\.[cm]?[jt]sx?)(?:\s+\([\d.,]+ m?s\))?\s*$"
)
BULLET = re.lazy(r"^\s*● (?P<title>\S.*?)\s*$")
RETRY_HEAD = re.lazy(r"^\s*LOGGING RETRY ERRORS\s+(?P<name>\S.*?)\s*$")
RETRY_N = re.lazy(r"^\s*RETRY (?P<n>\d+)\s*$")
SUMMARY = re.lazy(r"^(?:Test Suites:|Summary of all failing)")
# The summary's test count: `Tests:       0 total` after failed suites means no test ran at all.
TESTS_TOTAL = re.lazy(r"^Tests:\s+(?:[^\n]*?,\s*)?(?P<total>\d+) total\s*$")
# A property on every result of a run whose summary says no test ran (priority.RunStats reads it).
TESTS_RAN = "tests_ran"
FRAME = re.lazy(r"\bat (?:[^()]*\()?(?P<path>[^\s():]+\.[cm]?[jt]sx?):(?P<line>\d+):\d+\)?\s*$")
ERROR_TYPE = re.lazy(r"^(?P<type>[A-Z]\w*(?:Error|Exception))\b:?")
SUITE_ERROR = "Test suite failed to run"
# A line a client logged about a host's 5xx answer while a file ran (jest prints console calls indented, between
# the files' headers): `    [pay] POST https://api.example.com/v1/x -> 503 Service Unavailable (attempt 2/3)`.
SERVER_ERROR = re.lazy(f"^{reader_hints.JEST_SERVER_ERROR}")
# A test that timed out says nothing of why: the 5xx answers its file's console logged while it ran (`\n`-joined)
# go with it as this property, for the join that reads a client's retries (outage_timeouts.py).
CONSOLE_5XX = "console_server_errors"
TIMED_OUT = "Exceeded timeout of"  # jest's `thrown: "Exceeded timeout of 5000 ms for a test.`
MAX_CONSOLE = 20  # lines kept per file
NOT_FAILURES = frozenset({"Console"})
SEPARATOR = " › "


def jest_test_id(path: str, title: str) -> str:
    """`path::Describe › Inner::test` from jest's `Describe › Inner › test` title."""
    scope, _, name = title.rpartition(SEPARATOR)
    return "::".join(p for p in (path, scope, name) if p)


def words(title: str) -> str:
    """A title with jest's ` › ` and runs of spaces made single spaces: what a retry line names."""
    return " ".join(title.replace(SEPARATOR, " ").split())


@dataclass(slots=True)
class Block:
    """One `●` failure block, or one logged retry."""

    kind: str  # "suite" | "test" | "retry" | "console"
    title: str
    start: int
    timestamp: datetime | None
    end: int = 0
    message: str = ""
    message_at: int = 0  # the line of `message`: what explains the failure, not the `●` title above it
    retries: int = 0
    frames: list[tuple[str, int]] = field(default_factory=list)
    excerpt: Excerpt = field(default_factory=Excerpt)

    def add(self, number: int, text: str) -> None:
        self.end = number
        self.excerpt.add(text, number)
        stripped = text.strip()
        if self.kind == "retry" and (m := RETRY_N.match(text)):
            self.retries = max(self.retries, bounded_int(m.group("n")))
        elif not self.message and stripped:
            self.message, self.message_at = stripped, number
        elif (m := FRAME.search(text)) and len(self.frames) < 20:
            self.frames.append((m.group("path"), bounded_int(m.group("line"))))

    def frame_in(self, path: str) -> tuple[str, int] | None:
        return next((f for f in self.frames if same_file(f[0], path)), None)


def is_test_file(path: str) -> bool:
    return ".test." in path or ".spec." in path or "__tests__/" in path


def same_file(a: str, b: str) -> bool:
    a, b = a.replace("\\", "/"), b.replace("\\", "/")
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


@dataclass(slots=True)
class Suite:
    path: str
    failed: bool
    line: int
    failures: list[Block] = field(default_factory=list)
    retries: list[Block] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # SERVER_ERROR lines printed while it ran (up to MAX_CONSOLE)


@dataclass(slots=True)
class Task:
    """What jest's reader has open for one package's output (a task runner's prefix), or for a log without one."""

    suite: Suite | None = None
    block: Block | None = None
    pending: list[Block] = field(default_factory=list)  # retries printed before their file's header
    unsummarised: list[tuple[str, str]] = field(default_factory=list)  # results since this task's last summary
    # SERVER_ERROR lines since the last header: a file run in band prints its console before its header, a file
    # whose output jest buffered after it, so they go with both.
    console: list[str] = field(default_factory=list)

    def note_console(self, message: str) -> None:
        if len(self.console) < MAX_CONSOLE:
            self.console.append(message)
