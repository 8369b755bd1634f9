"""Pester's console report (PowerShell's `Invoke-Pester`, v4 and v5), fed one clean line at a time.

Each failing test is a `[-]` line with its time, its error indented under it, then where it failed:

    Describing Get-CartTotal
      [-] adds tax to the total 23ms (19ms|4ms)
       Expected 107, but got 100.
       at $total | Should -Be 107, /src/tests/Cart.Tests.ps1:9
       at <ScriptBlock>, /src/tests/Cart.Tests.ps1:9

Pester 5's default output names the test by its path instead (`[-] Get-CartTotal.adds tax to the total 23ms`);
Pester 4 says `at <ScriptBlock>, /src/Cart.Tests.ps1: line 9`. A `[-] Describe X failed` / `[-] Context X
failed` line is a block whose setup failed: an error of the block. Ids are the test's path joined by dots
(`Get-CartTotal.adds tax to the total`, the same from either output), the message is the error's lines,
the evidence line its first line, the place the first `at ..., file:line`.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import ListingReader

HEADER = re.lazy(
    r"^(?P<indent>\s*)\[-\] (?:(?:Describe|Context) (?P<block>\S.*?) failed"
    r"|(?P<name>\S.*?) \d+(?:\.\d+)?m?s(?: \([\d.]+m?s\|[\d.]+m?s\))?)\s*$"
)
NESTING = re.lazy(r"^(?P<indent>\s*)(?:Describing|Context) (?P<name>\S.*?)\s*$")
FRAME = re.lazy(r"^\s*at .*, (?P<file>[^,]*?\.ps[md]?1):(?: line )?(?P<line>\d+)\s*$")
OTHER = re.lazy(r"^\s*\[[+!?]\] ")  # a passed, skipped or inconclusive test


class PesterReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.PESTER

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._nesting: list[tuple[int, str]] = []  # (indent, name) of the Describe and Context blocks open
        self._indent = 0

    def idle(self) -> bool:
        return self.block is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (m := HEADER.match(text)) is not None:
            indent = len(m.group("indent"))
            path = [name for at, name in self._nesting if at < indent]
            if m.group("block"):
                self.open(".".join((*path, m.group("block"))), number, text, timestamp, "error")
            else:
                self.open(".".join((*path, m.group("name"))), number, text, timestamp)
            self._indent = indent
            return True
        if (m := NESTING.match(text)) is not None:
            self.close()
            indent = len(m.group("indent"))
            self._nesting = [(at, name) for at, name in self._nesting if at < indent]
            self._nesting.append((indent, m.group("name")))
            return False
        block = self.block
        if block is None:
            return False
        stripped = text.strip()
        if stripped and (len(text) - len(text.lstrip()) <= self._indent or OTHER.match(text)):
            self.close()
            return False
        if not self.keep(block, number, text):
            return False
        if (frame := FRAME.match(text)) is not None:
            block.done = True
            block.place(frame.group("file"), int(frame.group("line")))
        else:
            block.say(number, stripped)
        return True

    def interrupt(self) -> None:
        self.close()
        self._nesting = []
