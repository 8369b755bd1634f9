"""What the pytest reader gathers about one session before it decides any outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.pytest_text import lines as pl


@dataclass(frozen=True, slots=True)
class Mention:
    """One line naming a test: a `-v` progress line or a short-summary entry."""

    word: str
    line: int
    timestamp: datetime | None
    message: str = ""
    verbose: bool = False


QUIET_LISTED = 10_000


# pytest-xdist's report of a worker that died under a test: `____ tests/a.py:58: running the test CRASHED with
# signal 9 ____` (a location, not a test) and, in its body, `worker 'gw2' crashed while running 'tests/a.py::t'`.
_CRASHED = re.lazy(r"worker '?[\w-]+'? crashed while running '(?P<nodeid>[^'\n]+)'")


@dataclass(slots=True)
class Block:
    """One `____ title ____` report inside FAILURES or ERRORS."""

    title: str
    start: int
    timestamp: datetime | None
    end: int = 0
    excerpt: Excerpt = field(default_factory=Excerpt)
    e_run: list[str] = field(default_factory=list)
    in_e_run: bool = False
    location: tuple[str, int, str] | None = None
    e_frame: tuple[str, int] | None = None  # a `File "x", line n` inside the E lines (SyntaxError)
    first_e: int = 0  # the block's first `E ` line: what failed, below the test's name and its code
    frames: list[tuple[str, int]] = field(default_factory=list)
    last_exception: str = ""
    last_exception_line: int = 0  # where last_exception was read
    crashed: str = ""  # the node id pytest-xdist names in a crashed worker's report (its title is a location)

    @property
    def phase(self) -> str:
        for prefix, phase in (("ERROR collecting ", "collect"), ("ERROR at setup of ", "setup")):
            if self.title.startswith(prefix):
                return phase
        return "teardown" if self.title.startswith("ERROR at teardown of ") else "call"

    @property
    def subject(self) -> str:
        """The test title (`Class.name[p]`) or, for a collection error, the module path."""
        for prefix in ("ERROR collecting ", "ERROR at setup of ", "ERROR at teardown of "):
            if self.title.startswith(prefix):
                return self.title[len(prefix) :]
        return self.title

    def add(self, number: int, text: str) -> None:
        self.end = number
        self.excerpt.add(text, number)
        if not self.crashed and "crashed while running" in text and (m := _CRASHED.search(text)):
            self.crashed = m.group("nodeid")
        if (e := pl.e_line(text)) is not None:
            if not self.in_e_run:
                self.e_run = []
            self.first_e = self.first_e or number
            self.in_e_run = True
            if len(self.e_run) < 40:
                self.e_run.append(e)
            if fr := pl.frame(e):
                self.e_frame = fr
            return
        self.in_e_run = False
        if loc := pl.location(text):
            self.location = loc
        elif fr := pl.frame(text):
            if len(self.frames) < 50:
                self.frames.append(fr)
        elif not text.startswith(" ") and pl.exception_type(text):
            self.last_exception, self.last_exception_line = text.strip(), number

    def e_message(self) -> str:
        """The last run of `E` lines: the exception as raised."""
        return pl.e_message(self.e_run)


@dataclass(slots=True)
class Session:
    """Everything one pytest run printed, keyed by node id in first-seen order.

    Memory stays bounded whatever the length of a `-v` run: past QUIET_LISTED tests, a test first
    seen passing is counted in `unlisted_passes` and not kept (as the JUnit reader does).
    """

    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    skip_locations: list[tuple[pl.SummaryLine, int, datetime | None]] = field(default_factory=list)
    unlisted_passes: int = 0
    limit: int = QUIET_LISTED  # tests listed before passes are only counted

    def add_verbose(self, nodeid: str, word: str, line: int, timestamp: datetime | None, reason: str) -> None:
        """A `-v` line: `add` of its Mention, made only when it is kept (most passes past the limit are not)."""
        if word == "PASSED" and len(self.mentions) >= self.limit and nodeid not in self.mentions:
            self.unlisted_passes += 1
        else:
            self.add(nodeid, Mention(word, line, timestamp, reason, verbose=True))

    def add(self, nodeid: str, mention: Mention) -> None:
        known = self.mentions.get(nodeid)
        if known is not None:
            known.append(mention)
        elif mention.word == "PASSED" and len(self.mentions) >= self.limit:
            self.unlisted_passes += 1
        else:
            self.mentions[nodeid] = [mention]
