"""RSpec's console output, fed one clean line at a time, turned into test Results.

RSpec lists each failing example under `Failures:` as a numbered block,

      1) Checkout::TaxCalculator with a reduced VAT rate rounds half up to the cent
         Failure/Error: expect(calculator.tax_for(line_item)).to eq(Money.new(1_05, "EUR"))
           expected: #<Money fractional:105 ...>
                got: #<Money fractional:104 ...>
         # ./spec/services/checkout/tax_calculator_spec.rb:42:in `block (3 levels) in <top (required)>'

then its summary (`318 examples, 1 failure, 1 pending`) and `Failed examples:`, one re-run command per
failure (`rspec ./spec/services/checkout/tax_calculator_spec.rb:38 # Checkout::TaxCalculator ...`), which
names the example's file. A spec file that cannot be loaded is an `An error occurred while loading
./spec/x_spec.rb.` block (a `before(:suite)` hook's error is the same shape): its exception is the
file's error, and no example of it ran. The `Pending:` list is not read: RSpec says it does not affect
the suite.

Ids are `<spec file>::<full description>` (the file without `./`), or the description alone when the
log does not say the file; a file that failed to load is its file. The evidence line is the exception an
example raised (the class RSpec prints under `Failure/Error:`, not the code that raised it), else the
block's `Failure/Error:` line (a failed expectation), else its first line saying what failed (hspec
prints the same `Failures:` list without one), or a load error's exception line. A run whose summary
says 0 examples ran marks its failures so (priority: nothing was tested), and each failure's details end
with that summary, so the priority can weigh how many of the examples failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.jest_lines import TESTS_RAN
from gardener.model import Outcome, Result, Source
from gardener.numbers import bounded_int
from gardener.ruby_paths import in_project

FAILURES = re.lazy(r"^Failures:\s*$")
HEADER = re.lazy(r"^(?P<indent>\s*)\d+\) (?P<title>\S.*?)\s*$")
FAILURE_ERROR = re.lazy(r"^\s*Failure/Error: ")
LOAD_ERROR = re.lazy(
    r"^An error occurred (?:while loading (?:\./)?(?P<file>\S+?)\.?(?: - Did you mean\?)?"
    r"|in (?:a|an) `(?P<hook>(?:before|after)\(:(?:suite|context|all)\))` hook\.)\s*$"
)
RERUN = re.lazy(r"^rspec '?(?:\./)?(?P<file>[^\s:'\[]+)(?::\d+|\[[\d:]+\])'? # (?P<title>\S.*?)\s*$")
SUMMARY = re.lazy(
    r"^(?P<examples>\d+) examples?, (?P<failures>\d+) failures?(?:, \d+ pending)?"
    r"(?:, (?P<errors>\d+) errors? occurred outside of examples)?\s*$"
)
FAILED_EXAMPLES = re.lazy(r"^Failed examples:\s*$")
# An exception's class on a line of its own (`NoMethodError:`, `# Gem::LoadError:` under `Caused by:`).
EXCEPTION = re.lazy(r"^\s*(?:# )?(?P<type>(?:[A-Z]\w*::)*[A-Z]\w*):\s*$")
FRAME = re.lazy(r"^\s*# (?:\./)?(?P<file>[^\s:]+\.rb):(?P<line>\d+)")
BACKTRACE = re.lazy(r"^\s*# ")
MAX_RESULTS = 5000
MAX_BLOCK_LINES = 400  # a block RSpec never closed (the log was cut) stops holding lines here
MAX_MESSAGE_LINES = 6


@dataclass(slots=True)
class _Block:
    title: str  # the example's description, or the file that failed to load
    start: int
    indent: int
    timestamp: datetime | None
    load_error: bool = False
    anchor: int = 0  # the Failure/Error line, or the load error's exception line
    error_type: str = ""
    message: list[str] = field(default_factory=list)
    frame: tuple[str, int] | None = None
    backtrace: bool = False  # a backtrace line was seen: the message is complete
    excerpt: Excerpt = field(default_factory=Excerpt)
    lines: int = 0


class RSpecReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing examples' Results."""

    HINTS = reader_hints.RSPEC

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._section = False  # inside `Failures:`
        self._rerun = False  # inside `Failed examples:`
        self._block: _Block | None = None
        self._blocks: list[_Block] = []
        self._files: dict[str, str] = {}  # description -> spec file, from `Failed examples:`
        self._nothing_ran = False
        self._some_ran = False  # a summary counted examples (parallel_tests: another process's run)
        self._header: tuple[int, re.Match[str], datetime | None] | None = None  # the last numbered line
        self._summary = ""  # the run's `N examples, M failures` line: how much fails (priority_evidence.py)

    def idle(self) -> bool:
        return not (self._section or self._rerun or self._block is not None)

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        block = self._block
        if block is not None and self._continues(block, text):
            self._add_line(block, number, text)
            return True
        if block is not None:
            self._close()
        if self._section and (m := HEADER.match(text)) is not None:
            self._open(_Block(m.group("title"), number, len(m.group("indent")), timestamp), number, text)
            return True
        if (m := HEADER.match(text)) is not None:
            self._header = (number, m, timestamp)
            return False
        if FAILURE_ERROR.match(text) and self._header is not None and self._header[0] == number - 1:
            # The header just above opened a failure block whose `Failures:` line was not in the log.
            start, m, stamp = self._header
            self._section = True
            block = _Block(m.group("title"), start, len(m.group("indent")), stamp)
            self._open(block, start, m.group(0))
            self._add_line(block, number, text)
            self.claimed.append((start, start))
            return True
        if (m := LOAD_ERROR.match(text)) is not None:
            self._section = False
            title = m.group("file") or m.group("hook") or ""
            self._open(_Block(title, number, -1, timestamp, load_error=True), number, text)
            return True
        if FAILURES.match(text):
            self._section, self._rerun = True, False
            return True
        if FAILED_EXAMPLES.match(text):
            self._section, self._rerun = False, True
            return True
        if (m := RERUN.match(text)) is not None:
            self._files.setdefault(m.group("title"), m.group("file"))
            self.claimed.append((number, number))
            return True
        if (m := SUMMARY.match(text)) is not None:
            self._section = False
            self._summary = self._summary or text.strip()
            examples = bounded_int(m.group("examples"))
            if examples == 0 and (self._blocks or bounded_int(m.group("errors") or "0")):
                self._nothing_ran = True
            self._some_ran = self._some_ran or examples > 0
            return bool(self._blocks)
        if not text.strip():
            return self._section or self._rerun
        if self._section and text[:1].isspace():
            return True  # between blocks (a `Shared Example Group:` note)
        self._section = self._rerun = False
        return False

    def _continues(self, block: _Block, text: str) -> bool:
        """Whether a line is still part of the open block (never more than MAX_BLOCK_LINES of it)."""
        block.lines += 1
        if block.lines > MAX_BLOCK_LINES:
            return False
        if not text.strip():
            return True
        if block.load_error:
            # Column 0 holds the block's lines; it ends at RSpec's next own line.
            if SUMMARY.match(text) or LOAD_ERROR.match(text) or text.startswith(("Finished in", "No examples ")):
                return False
            return not (block.backtrace and not BACKTRACE.match(text) and not text[:1].isspace())
        indent = len(text) - len(text.lstrip())
        return indent > block.indent

    def _open(self, block: _Block, number: int, text: str) -> None:
        self._block = block
        block.excerpt.add(text, number)

    def _add_line(self, block: _Block, number: int, text: str) -> None:
        block.excerpt.add(text, number)
        stripped = text.strip()
        if not stripped:
            return
        if FAILURE_ERROR.match(text):
            if not block.anchor:
                block.anchor = number
                if not block.load_error:
                    return
            return
        if BACKTRACE.match(text) and not EXCEPTION.match(text):
            frame = FRAME.match(text)
            if not block.backtrace and (block.message or not block.load_error):
                block.backtrace = True
            if frame and block.frame is None and in_project(frame.group("file")):
                block.frame = (frame.group("file"), bounded_int(frame.group("line")))
            return
        if block.backtrace and not block.load_error:
            return
        if (m := EXCEPTION.match(text)) is not None and not block.error_type and not block.message:
            block.error_type = m.group("type")
            block.anchor = number  # the exception, not the line that raised it, explains the failure
            return
        if block.load_error and (block.backtrace or not block.error_type):
            return  # before the exception: RSpec's `Did you mean?` suggestions
        if len(block.message) < MAX_MESSAGE_LINES:
            if block.load_error and block.error_type and not block.message:
                # A file that cannot load: the exception's message (`cannot load such file -- ostruct`) says
                # why, its bare class line (`LoadError:`) does not.
                block.anchor = number
            block.message.append(stripped)
            block.anchor = block.anchor or number  # no `Failure/Error:` line (hspec's blocks): what it says

    def _close(self) -> None:
        block, self._block = self._block, None
        if block is not None and len(self._blocks) < MAX_RESULTS:
            self._blocks.append(block)

    def interrupt(self) -> None:
        """The output around RSpec moved on (a new CI step): close what is open."""
        self._close()
        self._section = self._rerun = False

    def finish(self) -> tuple[Result, ...]:
        self._close()
        results: dict[str, Result] = {}
        for block in self._blocks:
            result = self._result(block)
            if result.id not in results:
                results[result.id] = result
                if result.source_line is not None:
                    self.failing_lines.append(result.source_line)
        # Priority reads the mark per input: not when another summary of this input counted examples that ran.
        ran = ((TESTS_RAN, "0"),) if self._nothing_ran and not self._some_ran else ()
        return tuple(replace(r, properties=(*r.properties, *ran)) for r in results.values())

    def _result(self, block: _Block) -> Result:
        line = block.anchor or block.start
        self.claimed.append((block.start, block.excerpt.last_number or block.start))
        if block.load_error:
            rid = block.title or "rspec"
            outcome: Outcome = "error"
        else:
            spec = self._files.get(block.title) or (block.frame[0] if block.frame else "")
            rid = f"{spec}::{block.title}" if spec else block.title
            outcome = "failed"
        details = block.excerpt.render()
        if self._summary:
            details = f"{details}\n…\n{self._summary}"
        message = "\n".join(block.message)
        if block.error_type:
            message = f"{block.error_type}: {message}" if message else block.error_type
        return Result(
            id=rid,
            outcome=outcome,
            source=Source(self.path, self.kind), source_line=line,
            message=message or block.title,
            error_type=block.error_type,
            details=details,
            file=block.frame[0] if block.frame else (block.title if block.load_error else None),
            line=block.frame[1] if block.frame else None,
            timestamp=block.timestamp,
        )
