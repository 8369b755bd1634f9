"""minitest's console report (`rake test`, `rails test`, `ruby -Itest`), fed one clean line at a time.

minitest lists each problem after the run, numbered (`  1) Failure:`); Rails' reporter prints it as it
happens, between the progress dots, unnumbered, with a line to re-run the test after it:

      1) Failure:
    CartTest#test_total_with_tax [/app/test/models/cart_test.rb:13]:
    Expected: 107
      Actual: 100

    Error:
    AbcControllerTest#test_should_get_def:
    NoMethodError: undefined method `assertttt_response' for #<AbcControllerTest:0x000052d9c18>
        test/controllers/abc_controller_test.rb:6:in `block in <class:AbcControllerTest>'

    bin/rails test test/controllers/abc_controller_test.rb:4

A Ruby exception that escapes the run right after a block (`.../rails/test_unit/reporter.rb:70:in `method':
undefined method `test_x' for class `Minitest::Result' (NameError)`, then its `from` frames) is the runner or
its reporter crashing as it reported that failure: the run stops there. It is read as a failure of the log
itself (an incident's `log:` id, outcome error, the exception's class and line, its frames as details), beside
the test it was reporting.

then `4 runs, 2 assertions, 1 failures, 1 errors, 0 skips` (a green run's totals, `0 failures, 0 errors`, are
claimed: they say nothing failed, so they are no incident either). A failure (an assertion did not hold) and an
error (an exception escaped the test) are failing results. Ids are `Class::test_name`, as minitest's JUnit
reporters name them; the message is what the block says (an error's backtrace aside), the evidence line
its first line, the place the failure's `[file:line]`, an error's first frame outside gems, else the
re-run line's.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import Block, ListingReader
from gardener.ingest.runner_log.results import log_id
from gardener.model import Outcome, Result
from gardener.numbers import bounded_int
from gardener.ruby_paths import in_project

HEADER = re.lazy(r"^\s*(?:\d+\) )?(?P<kind>Failure|Error):\s*$")
NAME = re.lazy(r"^(?P<class>\S[^#\n]*)#(?P<test>\S+?)(?: \[(?P<file>[^\]\s]+?):(?P<line>\d+)\])?:\s*$")
FRAME = re.lazy(r"^\s+(?P<file>[^\s:]+\.rb):(?P<line>\d+):in ")
RERUN = re.lazy(r"^(?:bin/)?(?:rails|rake) test (?P<file>\S+?\.rb):(?P<line>\d+)\s*$")
SUMMARY = re.lazy(r"^\d+ (?:runs|tests), \d+ assertions, (?P<failures>\d+) failures, (?P<errors>\d+) errors")
END = re.lazy(r"^(?:\d+ (?:runs|tests), \d+ assertions, |Finished in |[.FESN]+$)")
# Ruby's report of an exception nothing rescued: `file.rb:70:in `meth': message (NameError)`, then `\tfrom` frames.
CRASH = re.lazy(
    r"^(?P<file>\S+\.rb):(?P<line>\d+):in [`'][^'\n]*': (?P<message>.*) \((?P<type>[A-Z]\w*(?:::[A-Z]\w*)*)\)\s*$"
)
CRASH_FROM = re.lazy(r"^\s+from \S+\.rb:\d+:in ")
MAX_CRASH_FRAMES = 30


class MinitestReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.MINITEST

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._header: tuple[int, str, Outcome, datetime | None] | None = None  # waiting for the test's name
        self._blanks = 0  # blank lines in a row inside the block
        self._crash: Block | None = None  # the exception that escaped the run after a block, its frames following

    def idle(self) -> bool:
        return self.block is None and self._header is None and self._crash is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if self._crash is not None:
            if CRASH_FROM.match(text) and self._crash.lines < MAX_CRASH_FRAMES:
                self._crash.lines += 1
                self._crash.excerpt.add(text, number)
                return True
            self._close_crash()
        if (m := SUMMARY.match(text)) is not None:
            self.close()
            self._header = None
            if m.group("failures") == m.group("errors") == "0":  # a green run's totals: claimed, so no incident
                self.claimed.append((number, number))
                return True
            return False
        if (m := HEADER.match(text)) is not None:
            self.close()
            self._header = (number, text, "error" if m.group("kind") == "Error" else "failed", timestamp)
            return False  # a bare `Error:` is not minitest's until its next line names a test (then claimed)
        stripped = text.strip()
        if self._header is not None:
            if not stripped:
                return True
            start, _, outcome, stamp = self._header
            self._header = None
            if (name := NAME.match(text)) is None:
                return False  # not minitest's block after all
            # The details start at the test's name: the `1) Failure:` above it names no test (the outcome says which).
            opened = self.open(f"{name.group('class')}::{name.group('test')}", number, text, stamp, outcome)
            opened.start = start
            if name.group("file"):
                opened.place(name.group("file"), bounded_int(name.group("line")))
            self._blanks = 0
            return True
        block = self.block
        if block is None:
            return False
        if (rerun := RERUN.match(text)) is not None:
            block.excerpt.add(text, number)
            block.place(rerun.group("file"), bounded_int(rerun.group("line")))
            self.close()
            return True
        if END.match(text):
            self.close()
            return False
        if not stripped:
            self._blanks += 1
            return self.keep(block, number, text)
        frame = FRAME.match(text)
        if (self._blanks >= 2 or block.done) and frame is None:  # past the block: someone else's line
            self.close()
            if ".rb:" in text and (crash := CRASH.match(text)) is not None:
                self._open_crash(crash, number, text, timestamp)
                return True
            return False
        self._blanks = 0
        if not self.keep(block, number, text):
            return False
        if frame is not None and block.outcome == "error" and block.message:
            block.done = True
            if in_project(frame.group("file")):
                block.place(frame.group("file"), bounded_int(frame.group("line")))
        else:
            block.say(number, stripped)
        return True

    def _open_crash(self, crash: re.Match[str], number: int, text: str, timestamp: datetime | None) -> None:
        """The exception that escaped the run: a failure of the log itself (an incident's id), not of a test."""
        message = f"{crash.group('message')} ({crash.group('type')})"
        rid = log_id(PurePath(self.path).stem, crash.group("type"), message)
        block = self._crash = Block(rid, number, timestamp, "error", error_type=crash.group("type"))
        block.excerpt.add(text, number)
        block.say(number, text.strip())
        block.place(crash.group("file"), bounded_int(crash.group("line")))

    def _close_crash(self) -> None:
        crash, self._crash = self._crash, None
        if crash is not None:  # the listing's own close: its claimed span, failing line and Result
            self.block = crash
            super().close()

    def interrupt(self) -> None:
        self._header = None
        self.close()
        self._close_crash()

    def finish(self) -> tuple[Result, ...]:
        self._close_crash()
        return super().finish()

    def close(self) -> None:
        block = self.block
        if block is not None and block.outcome == "failed" and not block.error_type:
            block.error_type = "Minitest::Assertion"
        super().close()
