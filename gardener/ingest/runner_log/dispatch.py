"""How a runner log's lines reach its consumers: in blocks, most of them never touched one by one.

The consumers are the job layout, the test runners' console readers, the incident finder and the
verdict, in that order for each line (the layout first: a new step interrupts the readers; the
readers before the finder: a line a reader takes is never an incident's anchor).

A block of lines (textfile.TextFile.chunks) is searched once for the lines any consumer may care
about (prefilter.py). While every consumer is idle, the lines in between are passed over: they are
plain (their clean text is a piece of the raw line, their time is the runner stamp) and match no
hint, so they change nothing but context. The shared `Recent` record keeps the last of them raw for
the finder's and the verdict's quotes; the open GitHub step hears of them in bulk when the layout is
next fed (its last line, its latest time, the tail it keeps). A candidate line is cleaned and goes to
the consumers whose hints it matches and to every consumer that is not idle (`busy`); while any is
busy, every line is a candidate. A line with markup, a line where a step starts, and any line read
outside a plain block goes to every consumer, as before the prefilter.

The readers are known by their hints alone (reader_hints.py) until a line matches them: a reader's
module is imported, and the reader made, on its first hit, so a log pays only for the readers it
calls for. A reader not yet made is idle in its first state, where a line matching none of its hints
would change nothing: a line that goes to every consumer goes to it only when its hints match.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, cast

from gardener.ingest.runner_log import reader_hints as hints
from gardener.ingest.runner_log.anchors import WARNING
from gardener.ingest.runner_log.console import ConsoleReader
from gardener.ingest.runner_log.incidents import WRAPPER_REACH, IncidentFinder
from gardener.ingest.runner_log.layout import JobLayout
from gardener.ingest.runner_log.masks import ADD_MASK, declared
from gardener.ingest.runner_log.prefilter import STAMP_CHARS, Prefilter
from gardener.ingest.runner_log.recent import Recent
from gardener.ingest.runner_log.recovered import StepOutcomes
from gardener.ingest.runner_log.steps import TAIL_LINES, Unclean
from gardener.ingest.runner_log.verdict import Verdict
from gardener.ingest.textfile import CHUNK_BYTES, TextFile
from gardener.text import CleanLine, clean_line, clean_plain, parse_timestamp, strip_ansi_lines

if TYPE_CHECKING:
    from gardener.ingest.pytest_text.reader import PytestReader


@dataclass(frozen=True, slots=True)
class Reader:
    """A console reader as dispatch knows it until a line calls for it: where it lives, and its HINTS
    (equal to the class's own: tests/ingest/test_lazy_readers.py)."""

    module: str
    name: str
    hints: tuple[str, ...]

    def load(self) -> Callable[[str, str], ConsoleReader]:
        """The reader's class, its module imported (once per process: the import system keeps it)."""
        return cast("Callable[[str, str], ConsoleReader]", getattr(import_module(self.module), self.name))


_RL = "gardener.ingest.runner_log."
READERS = (
    Reader("gardener.ingest.pytest_text.reader", "PytestReader", hints.PYTEST),
    Reader(_RL + "jest", "JestReader", hints.JEST),
    Reader(_RL + "surefire", "SurefireReader", hints.SUREFIRE),
    Reader(_RL + "ginkgo", "GinkgoReader", hints.GINKGO),
    Reader(_RL + "go", "GoReader", hints.GO),
    Reader(_RL + "cargo", "CargoReader", hints.CARGO),
    Reader(_RL + "gitlab_services", "GitLabServiceReader", hints.GITLAB_SERVICES),
    Reader(_RL + "prettier_list", "PrettierListReader", hints.PRETTIER_LIST),
    Reader(_RL + "dotnet", "DotnetTestReader", hints.DOTNET),
    Reader(_RL + "rspec", "RSpecReader", hints.RSPEC),
    Reader(_RL + "phpunit", "PhpUnitReader", hints.PHPUNIT),
    Reader(_RL + "vitest", "VitestReader", hints.VITEST),
    Reader(_RL + "nextflow", "NextflowReader", hints.NEXTFLOW),
    Reader(_RL + "mocha", "MochaReader", hints.MOCHA),
    Reader(_RL + "exunit", "ExUnitReader", hints.EXUNIT),
    Reader(_RL + "minitest", "MinitestReader", hints.MINITEST),
    Reader(_RL + "tap", "TapReader", hints.TAP),
    Reader(_RL + "pester", "PesterReader", hints.PESTER),
    Reader(_RL + "playwright", "PlaywrightReader", hints.PLAYWRIGHT),
    Reader(_RL + "xctest", "XCTestReader", hints.XCTEST),
)
PYTEST = 0  # pytest's place in READERS: the prefilter searches its dense hints alone
RECENT = max(WRAPPER_REACH, 40)  # the finder's context and the verdict's tail (verdict._TAIL)
LAYOUT = 0
_PREFILTER: Prefilter | None = None


def prefilter() -> Prefilter:
    """The consumers' hints, compiled once per process (consumer order: layout, readers, finder, verdict)."""
    global _PREFILTER
    if _PREFILTER is None:
        # The step outcomes (recovered.py) hear every line the layout hears, and the step-failed lines.
        layout = (*JobLayout.HINTS, *StepOutcomes.HINTS)
        hints = (layout, *(r.hints for r in READERS), IncidentFinder.HINTS, Verdict.HINTS)
        _PREFILTER = Prefilter(hints, alone=(1 + PYTEST,), own=(1 + len(READERS),))  # the finder: one search
    return _PREFILTER


class LogRun:
    """One runner log read through the prefilter; after `read`, the consumers hold what they found."""

    def __init__(self, path: str, kind: str) -> None:
        self.path, self.kind = path, kind
        self._made: list[ConsoleReader | None] = [None] * len(READERS)  # by READERS index, once a line calls
        self.recent = Recent(RECENT)
        self.finder = IncidentFinder(self.recent)
        self.verdict = Verdict(self.recent)
        self.layout = JobLayout(path)
        self.outcomes = StepOutcomes()  # which steps the runner says failed (recovered.py)
        self.masked: set[str] = set()  # values the log declared secret (`::add-mask::`, masks.py)
        self._reader_indices = range(1, 1 + len(READERS))  # the readers' consumer indices
        self.finder_index = 1 + len(READERS)
        self.verdict_index = self.finder_index + 1
        unmade: Callable[[], bool] = _unmade_idle
        self._idle = [self.layout.idle, *(unmade for _ in READERS), self.finder.idle, self.verdict.idle]
        self._every = frozenset(range(len(self._idle)))
        self.busy = {i for i, idle in enumerate(self._idle) if not idle()}
        self.warnings = 0
        self.first_warning: tuple[int, str] | None = None
        self._stamp: datetime | None = None
        self._stamp_seen = 0  # `_stamp` is the latest time up to this line
        self._layout_seen = 0  # the layout has heard of every line up to this one
        # The block being read: its first line number, lines and the clean form of those read so far.
        self._first = 1
        self._lines: list[str] = []
        self._plain: list[str] = []  # the same without escape codes
        self._clean: dict[int, tuple[str, datetime | None]] = {}  # (text, timestamp) of lines read
        self._read_order: list[int] = []  # the keys of _clean, in order

    @property
    def readers(self) -> tuple[ConsoleReader, ...]:
        """The readers made so far (those a line called for), in READERS order."""
        return tuple(r for r in self._made if r is not None)

    def pytest_reader(self) -> PytestReader | None:
        """pytest's reader, if a line called for it."""
        return cast("PytestReader | None", self._made[PYTEST])

    def _reader(self, index: int) -> ConsoleReader:
        """The reader at consumer `index`, made (its module imported) on the first line it is fed."""
        reader = self._made[index - 1]
        if reader is None:
            reader = self._made[index - 1] = READERS[index - 1].load()(self.path, self.kind)
            self._idle[index] = reader.idle
        return reader

    def read(self, text: TextFile, size: int = CHUNK_BYTES) -> None:
        route = prefilter()
        for first, lines, block in text.chunks(size):
            self._first, self._lines, self._plain, self._clean, self._read_order = first, lines, lines, {}, []
            if ADD_MASK in (block if block is not None else lines[0]):  # one substring search a block
                self.masked |= declared(block if block is not None else lines[0])
            if block is not None:
                self._block(route, block, lines)
            else:
                line = clean_line(lines[0])
                self._line(first, lines[0], line.text, line.timestamp, line, self._every)
            self._caught_up(first + len(lines) - 1)
        self._lines, self._clean = [], {}

    def read_every_line(self, text: TextFile) -> None:
        """Every line to every consumer, no prefilter: what `read` must find the same as (tests)."""
        for index in self._reader_indices:  # every reader, made before the first line
            self._reader(index)
        for number, raw in text.lines():
            self.masked |= declared(raw)
            line = clean_line(raw)
            self._line(number, raw, line.text, line.timestamp, line, self._every)

    def _block(self, route: Prefilter, block: str, lines: list[str]) -> None:
        """The lines of one block (`block` is them joined): candidates read, the others passed over."""
        plain_text = strip_ansi_lines(block)  # the prefilter reads lines as clean_line does, codes gone
        self._plain = plain = lines if plain_text is block else plain_text.split("\n")
        found = route.candidates(plain_text, plain)
        candidates, structured, rest, alone = found.lines, found.structured, found.rest, found.alone
        if plain_text is not block and JobLayout.RAW_WORD in block:  # the layout reads it in the raw line
            marked = {i for i, raw in enumerate(lines) if JobLayout.RAW_WORD in raw}
            candidates, rest = sorted(marked.union(candidates)), rest | marked
        first, count = self._first, len(lines)
        busy, clean, read, every, raw_word = self.busy, self._clean, self._read_order, self._every, JobLayout.RAW_WORD
        readers = self._reader_indices
        i = c = 0  # the next line, the next candidate
        while i < count:
            if busy:
                j = i
            else:
                while c < len(candidates) and candidates[c] < i:
                    c += 1
                j = candidates[c] if c < len(candidates) else count
                if j > i:
                    self._pass_over(i, j)
                if j == count:
                    return
            raw = lines[j]
            line: CleanLine | None = None
            if j in structured or "\x1b" in raw:
                raw = raw.rstrip("\r\n")
                line = clean_line(raw)
                text, own = line.text, line.timestamp
            else:  # clean_plain, inline: most candidates never need the CleanLine
                text, own = raw, None
                if "0" <= raw[:1] <= "9":
                    try:
                        own = datetime.fromisoformat(raw[:STAMP_CHARS])
                    except ValueError:
                        own = parse_timestamp(raw[:STAMP_CHARS])
                    text = raw[STAMP_CHARS + 1 :]
                if text.startswith("#"):
                    line = clean_plain(raw)
                    text = line.text
                else:
                    text = text.rstrip()
            clean[j] = (text, own)
            read.append(j)
            targets: frozenset[int] | set[int] = every
            if line is None or not line.marker:
                if j in rest or line is not None:
                    targets = busy.union(route.route(text))
                else:  # plain, and only the consumers searched alone may care
                    targets = busy.union([who for who, hits in alone if j in hits])
                    one = len(targets) == 1 and (k := next(iter(targets))) in readers
                    if one and "arn" not in text and "ARN" not in text:  # no warning: one reader's line
                        self._reader_line(first + j, text, own, k, self._reader(k))
                        i = j + 1
                        continue
                if raw_word in raw:
                    targets.add(LAYOUT)
            self._line(first + j, raw, text, own, line, targets)
            i = j + 1

    def _pass_over(self, start: int, stop: int) -> None:
        """Lines [start, stop) of the block, plain and of no interest: only recent context."""
        keep = max(start, stop - RECENT)
        self.recent.extend_raw(self._first + keep, self._lines[keep:stop])

    def _reader_line(self, number: int, text: str, own: datetime | None, index: int, reader: ConsoleReader) -> None:
        """`_line` for a line no warning, of interest to one console reader only."""
        if own:
            self._stamp = own
        else:
            self._catch_stamp(number - 1)
        self._stamp_seen = number
        reader.feed(number, text, self._stamp)
        self.recent.append(number, text)
        if reader.idle():
            self.busy.discard(index)
        else:
            self.busy.add(index)

    def _line(
        self,
        number: int,
        raw: str,
        text: str,
        own: datetime | None,
        line: CleanLine | None,
        targets: frozenset[int] | set[int],
    ) -> None:
        """One line to the consumers in `targets`, as runner_log fed every consumer every line.

        `text` and `own` (its timestamp) are its clean text and time; `line` its CleanLine when made,
        else made here if a consumer takes one (a plain line: no marker)."""
        if own:
            self._stamp = own
        else:
            self._catch_stamp(number - 1)
        self._stamp_seen = number
        stamp = self._stamp
        warned = (("arn" in text or "ARN" in text) and WARNING.search(text) is not None) or (
            line is not None and line.marker == "warning"
        )
        if line is None and (LAYOUT in targets or self.finder_index in targets):
            line = clean_plain(raw)
        if LAYOUT in targets:
            assert line is not None
            self._catch_layout(number - 1)
            self._layout_seen = number
            boundary = self.layout.feed(number, raw, line, warned)
            self.outcomes.feed(number, line, boundary)
            if boundary:  # a new CI step or section
                for reader in self.readers:
                    reader.interrupt()
                targets = self._every
        taken = False
        hits: list[int] | None = None  # the consumers whose hints match, once asked
        for i in self._reader_indices:
            if i not in targets:
                continue
            made = self._made[i - 1]
            if made is None and targets is self._every:  # not called for by its hints: it would stay as it is
                hits = prefilter().route(text) if hits is None else hits
                if i not in hits:
                    continue
            taken = (made or self._reader(i)).feed(number, text, stamp) or taken
        if self.finder_index in targets:
            assert line is not None
            aftermath = self.layout.aftermath
            self.finder.feed(number, line, stamp, self.layout.step, may_anchor=not taken and not aftermath)
        if self.verdict_index in targets:
            self.verdict.feed(number, text)
        if warned:
            self.warnings += 1
            self.first_warning = self.first_warning or (number, text.strip())
        self.recent.append(number, text)
        idle, busy = self._idle, self.busy
        for i in targets:
            if idle[i]():
                busy.discard(i)
            else:
                busy.add(i)

    # -- what the consumers learn late about the lines passed over ------------------------------------

    def _caught_up(self, last: int) -> None:
        """The end of a block: the layout and the time hear of its last lines before they go."""
        self._catch_layout(last)
        self._layout_seen = max(self._layout_seen, last)
        if self._stamp_seen < last:
            self._catch_stamp(last)
            self._stamp_seen = last

    def _catch_layout(self, last: int) -> None:
        """Tell the open GitHub step about lines (`_layout_seen`, `last`] it was not fed."""
        tracker = self.layout.github
        if last <= self._layout_seen or not tracker.open_step:
            return
        start, stop = self._layout_seen + 1 - self._first, last + 1 - self._first
        tail = self._tail(start, stop) if tracker.wants_tail else []
        tracker.skipped(last, tail, self._latest(start, stop))

    def _tail(self, start: int, stop: int) -> list[str]:
        """The last TAIL_LINES non-blank lines of [start, stop) of the block, raw ones left Unclean."""
        found: list[str] = []
        lines, clean = self._lines, self._clean
        for j in range(stop - 1, start - 1, -1):
            read = clean.get(j)
            if read is None:
                found.append(Unclean(lines[j]))  # passed over: plain, never blank
            elif read[0].strip():
                found.append(read[0])
            if len(found) == TAIL_LINES:
                break
        found.reverse()
        return found

    def _latest(self, start: int, stop: int) -> datetime | None:
        """The latest time on lines [start, stop) of the block (a plain line's is its runner stamp)."""
        lines, clean = self._plain, self._clean
        read = self._read_order[bisect_left(self._read_order, start) : bisect_left(self._read_order, stop)]
        stamps = [s for s in (clean[j][1] for j in read) if s is not None]
        # A plain line that starts with a digit starts with a runner stamp, all of one width: the
        # greatest such line holds the latest time, unless its stamp is no date (then each is read).
        segment = lines[start:stop]
        top = max(segment, default=None)  # most often a stamped line itself
        if top is not None and not "0" <= top[:1] <= "9":
            top = max((line for line in segment if "0" <= line[:1] <= "9"), default=None)
        if top is not None and lines.index(top, start, stop) not in clean:
            best = parse_timestamp(top[:STAMP_CHARS])
            if best is not None:
                return max((*stamps, best))
        plain = (lines[j][:STAMP_CHARS] for j in range(start, stop) if j not in clean and "0" <= lines[j][:1] <= "9")
        stamps.extend(s for s in map(parse_timestamp, plain) if s is not None)
        return max(stamps, default=None)

    def _catch_stamp(self, last: int) -> None:
        """The latest time as of line `last`, from the lines since `_stamp_seen` (the last one with one)."""
        lines, clean, first = self._plain, self._clean, self._first
        for j in range(last - first, max(self._stamp_seen - first, -1), -1):
            read = clean.get(j)
            if read is not None:
                stamp = read[1]
            elif "0" <= lines[j][:1] <= "9":
                stamp = parse_timestamp(lines[j][:STAMP_CHARS])
            else:
                continue
            if stamp is not None:
                self._stamp = stamp
                return


def _unmade_idle() -> bool:
    """A reader not made yet is idle: in its first state, which a line matching no hint leaves as it is."""
    return True
