"""TAP (`prove`, Test::More, node-tap, bats), fed one clean line at a time.

Each test point is a line, `ok 3 - x` or `not ok 2 - total includes tax`; what a failing one explains
follows it as `#` diagnostics (Test::More) or an indented YAML block (node-tap):

    not ok 2 - total includes tax
    #   Failed test 'total includes tax'
    #   at t/01-cart.t line 14.
    #          got: '100'
    #     expected: '107'

Without `-v`, prove shows only the diagnostics (on stderr) beside `t/01-cart.t ....`, so a `#   Failed test`
line with no `not ok` above it is a failing test too. A `not ok` marked `# TODO` is expected to fail and
is not read; `Bail out!` stops the run: an error of its file. Ids are `file::description` (the file from
prove's progress line or the diagnostics' `at FILE line N.`), or the test's number when it has no
description. The message is the diagnostics, the evidence line the `Failed test` line (else the `not ok`).
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import Block, ListingReader
from gardener.numbers import bounded_int

NOT_OK = re.lazy(r"^\s*not ok\b(?: (?P<n>\d+))?(?: -)?(?: (?P<desc>[^#]*?))?\s*(?:#\s*(?P<directive>\w+).*)?$")
FAILED_TEST = re.lazy(r"^\s*#\s+Failed (?P<todo>\(TODO\) )?test\b(?: '(?P<desc>.*)')?(?P<rest>.*)$")
AT = re.lazy(r"\bat (?P<file>\S+) line (?P<line>\d+)\.?\s*$")
DIAG = re.lazy(r"^\s*#")
LOOKS = re.lazy(r"^\s*# Looks like you (?:failed|planned)")
PROVE_FILE = re.lazy(r"^(?P<file>\S+\.t) \.{2,}")
SUMMARY_FILE = re.lazy(r"^(?P<file>\S+)\s+\(Wstat: \d+ Tests: \d+ Failed: \d+\)\s*$")  # prove's closing report
BAIL = re.lazy(r"^\s*Bail out!\s*(?P<reason>.*?)\s*$")
YAML_START = re.lazy(r"^\s+---\s*$")
YAML_END = re.lazy(r"^\s+\.\.\.\s*$")
# In a YAML block, the line that says what failed (node's `Error: Cannot find module 'x'` in its `stack`, node:test's
# `error: |-` whose next line is the message, `message: ...`) rather than the run's metadata (`duration_ms: 0.2`).
YAML_EXPLAINS = re.lazy(r"^(?:[\w.]*(?:Error|Exception)(?: \[\w+\])?: \S|(?:error|message): (?P<later>[|>]-?$)?)")


class TapReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.TAP

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._file = ""  # the test file prove is running
        self._diag = False  # the open block's `Failed test` line was seen
        self._yaml = False  # inside the open block's YAML diagnostics
        self._explained = 0  # 1: the YAML block's explaining line is the next one; 2: it was found

    def idle(self) -> bool:
        return self.block is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        block = self.block
        if block is not None:
            taken = self._continue(block, number, text)
            if taken is not None:
                return taken
        if (m := PROVE_FILE.match(text)) is not None:
            self._file = m.group("file")
            return False
        if (m := NOT_OK.match(text)) is not None:
            if (m.group("directive") or "").upper() == "TODO":  # expected to fail: claimed, so no incident
                self.claimed.append((number, number))
                return True
            desc = (m.group("desc") or "").strip()
            self._start(desc or f"test {m.group('n') or '?'}", number, text, timestamp)
            return True
        if (m := FAILED_TEST.match(text)) is not None and not m.group("todo"):
            desc = m.group("desc") or ""
            block = self._start(desc or f"line {number}", number, text, timestamp)
            self._diag = True
            block.say(number, text.strip().lstrip("#").strip())
            self._at(block, m.group("rest"))
            return True
        if (m := SUMMARY_FILE.match(text)) is not None:
            # Which files failed, again: the tests above say why (claimed, so it is no incident of its own).
            ours = any(test.startswith(m.group("file") + "::") or test == m.group("file") for test in self.results)
            if ours:
                self.claimed.append((number, number))
            return ours
        if (m := BAIL.match(text)) is not None:
            block = self._start("", number, text, timestamp)
            block.test, block.outcome = self._file or "Bail out!", "error"
            block.say(number, text.strip())
            self.close()
            return True
        return False

    def _start(self, desc: str, number: int, text: str, timestamp: datetime | None) -> Block:
        self._diag = self._yaml = False
        self._explained = 0
        return self.open(f"{self._file}::{desc}" if self._file else desc, number, text, timestamp)

    def _continue(self, block: Block, number: int, text: str) -> bool | None:
        """Whether the open block took the line; None when the line is not the block's (it closed)."""
        stripped = text.strip()
        if self._yaml or YAML_START.match(text):
            self._yaml = not YAML_END.match(text) if self._yaml else True
            if not self.keep(block, number, text):
                return None
            if stripped not in ("---", "..."):
                block.say(number, stripped)
                self._explain(block, number, stripped)
            return True
        if not DIAG.match(text) or LOOKS.match(text):
            self.close()
            return None
        m = FAILED_TEST.match(text)
        if m is not None and self._diag:
            self.close()  # the next test's diagnostics (prove without -v)
            return None
        if not self.keep(block, number, text):
            return None
        if m is not None:
            self._diag = True
            block.anchor = 0  # the `Failed test` line says what failed, not the `not ok`
            block.say(number, stripped.lstrip("#").strip())
            self._at(block, m.group("rest"))
        elif (said := stripped.lstrip("#").strip()).startswith("at ") and AT.search(said) is not None:
            self._at(block, said)  # where, not what
        else:
            block.say(number, said)
        return True

    def _explain(self, block: Block, number: int, stripped: str) -> None:
        """The evidence line of a YAML block is the line that says what failed, not its first key (the message, and
        so the key, stays as it was)."""
        if self._diag or self._explained == 2:
            return
        if self._explained == 1:
            block.anchor, self._explained = number, 2
        elif (m := YAML_EXPLAINS.match(stripped)) is not None:
            if m.group("later"):
                self._explained = 1
            else:
                block.anchor, self._explained = number, 2

    def _at(self, block: Block, text: str) -> None:
        """`at t/01-cart.t line 14.`: where it failed, and the file the id names when prove did not say it."""
        if (at := AT.search(text)) is None:
            return
        block.place(at.group("file"), bounded_int(at.group("line")))
        if not self._file and "::" not in block.test:
            block.test = f"{at.group('file')}::{block.test}"

    def interrupt(self) -> None:
        self.close()
        self._file = ""
