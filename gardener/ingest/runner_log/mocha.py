"""mocha's console report of failures (spec, dot and list reporters), fed one clean line at a time.

After `N passing` and `N failing` mocha lists each failure as a numbered block, its title over one line
or several (the suite, then each nested describe, then the test, ending with `:`), then the error:

      1) Basic Tests - Gift Card API
           should return content type as json:
         AssertionError: expected header content-type with value application/json to match /html/
          at Context.<anonymous> (test/api.spec.js:31:34)

Ids are mocha's full titles (the parts joined by spaces, as `fullTitle()` gives them); a failing hook
(`"before each" hook for "x"`) is an error, not a failed test. The message is the error's lines up to its
first frame or its `+ expected - actual` diff, the evidence line is its first line, the place is the
first frame outside node_modules and node's internals. A line at column 0 ends the listing; when it is
npm's `npm ERR! Test failed.  See above for more details.` it points at the listing and is claimed with it.

Cypress's spec reporter (mocha's, patched) prints each failed attempt of a retried test before its outcome:

    (Attempt 1 of 3) signs in with a magic link
    ✓ signs in with a magic link (2341ms)

A pass after a failed attempt is a flaky Result (its id the test's own title: the suite lines above it are not
read), with the attempts it took; a last attempt that fails (`1) signs in ...`) is read from the listing as
any failure is. cypress-plugin-retries said the same as `(retry 1/2 ) title`.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import Block, ListingReader
from gardener.model import Result, Source
from gardener.numbers import bounded_int

FAILING = re.lazy(r"^\s*\d+ failing\s*$")
HEADER = re.lazy(r"^\s*(?P<n>\d+)\) (?P<title>\S.*?)\s*$")
FRAME = re.lazy(r"^\s*at (?:[^()]*\()?(?P<file>[^\s()]+?):(?P<line>\d+):\d+\)?\s*$")
NPM_TEST_FAILED = re.lazy(r"^npm (?:ERR!|error) Test failed\.")
DIFF = re.lazy(r"^\s*\+ expected - actual\s*$")
NOT_OURS = ("node_modules/", "node:", "internal/")
MAX_TITLE_LINES = 8
# A retried test's failed attempt, and the pass mark of a test (its duration after it when slow).
ATTEMPT = re.lazy(r"^\s*\((?:Attempt (?P<n>\d+) of \d+|retry (?P<r>\d+)/\d+ ?)\) (?P<title>\S.*?)\s*$")
PASSED = re.lazy(r"^\s*[✓✔√] (?P<title>\S.*?)(?: \(\d+m?s\))?\s*$")
FAILED_NOW = re.lazy(r"^\s*\d+\) (?P<title>\S.*?)\s*$")
MAX_PENDING = 64


class MochaReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.MOCHA

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._listing = False  # after `N failing`
        self._next = 1  # the number the next block's header carries
        self._title: list[str] | None = None  # the title's parts while it spans lines
        self._attempts: dict[str, int] = {}  # a retried test's title -> its failed attempts so far

    def idle(self) -> bool:
        return not self._listing and not self._attempts

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if FAILING.match(text):
            self.close()
            self._listing, self._next = True, 1
            return True
        if not self._listing:
            return self._retried(number, text, timestamp)
        stripped = text.strip()
        if (m := HEADER.match(text)) is not None and bounded_int(m.group("n")) == self._next:
            self._next += 1
            opened = self.open("", number, text, timestamp)
            self._title = []
            self._title_part(opened, m.group("title"))
            return True
        if stripped and not text[:1].isspace():  # mocha indents all of its report
            self.close()
            self._listing = False
            if NPM_TEST_FAILED.match(text) and self.results:  # npm pointing at the listing above: not a cause
                self.claimed.append((number, number))
                return True
            return False
        block = self.block
        if block is None:
            return True
        if not self.keep(block, number, text):
            self._listing = False
            return False
        if self._title is not None:
            if stripped:
                self._title_part(block, stripped)
                return True
            self._end_title(block)
        if (frame := FRAME.match(text)) is not None:
            block.done = True
            if not any(p in frame.group("file") for p in NOT_OURS):
                block.place(frame.group("file"), bounded_int(frame.group("line")))
        elif DIFF.match(text):
            block.done = True
        else:
            block.say(number, stripped)
        return True

    def _retried(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """A failed attempt is remembered; the same test's pass after it is flaky, its failure forgets it."""
        if (m := ATTEMPT.match(text)) is not None:
            if len(self._attempts) < MAX_PENDING or m.group("title") in self._attempts:
                self._attempts[m.group("title")] = bounded_int(m.group("n") or m.group("r"))
            return True
        if not self._attempts:
            return False
        if (m := FAILED_NOW.match(text)) is not None:
            self._attempts.pop(m.group("title"), None)
            return False
        if (m := PASSED.match(text)) is None or (failed := self._attempts.pop(m.group("title"), None)) is None:
            return False
        title = m.group("title")
        if title not in self.results and len(self.results) < MAX_PENDING:
            self.results[title] = Result(
                id=title, outcome="flaky", source=Source(self.path, self.kind), source_line=number,
                message=f"passed after {failed} failed attempt{'s' if failed != 1 else ''}",
                details=text.strip(), attempts=failed + 1, timestamp=timestamp,
            )
        return True

    def _title_part(self, block: Block, part: str) -> None:
        assert self._title is not None
        self._title.append(part.removesuffix(":"))
        if part.endswith(":") or len(self._title) >= MAX_TITLE_LINES:
            self._end_title(block)

    def _end_title(self, block: Block) -> None:
        block.test = " ".join(self._title or ()) or f"mocha failure {block.start}"
        if '" hook' in block.test:  # `"before all" hook for "x"`: the test never ran
            block.outcome = "error"
        self._title = None

    def close(self) -> None:
        if self.block is not None and self._title is not None:
            self._end_title(self.block)
        super().close()

    def interrupt(self) -> None:
        self.close()
        self._listing = False
