"""Playwright's console report (the list, line and dot reporters' failure listing), fed one clean line at a time.

After the run, Playwright lists each test that failed an attempt as a numbered block: a header naming the
project, the file and the title path, then the error, then each retry's error under a `Retry #N ───` rule:

      1) [chromium] › orders.spec.ts:33:7 › orders › shows the refund total ──────────────────

        Error: Timed out 5000ms waiting for expect(locator).toHaveText(expected)
        ...
            at /home/runner/work/shop/shop/e2e/orders.spec.ts:37:52

        Retry #1 ───────────────────────────────────────────────────────────────────────────

Then its verdict per test, in sections: `1 failed` (every attempt failed), `1 flaky` (an attempt passed after
one failed), each followed by the tests' header lines. A test listed under `flaky` is flaky, not failed: it
passed on a retry. Ids are `file::title path` as the JUnit reporter names the same test (`orders.spec.ts` and
`orders › shows the refund total`), so the cross-input dedupe keeps one result per test. The message is the first
attempt's error, the evidence line its first line, the place its first frame in the test's own file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import ListingReader
from gardener.model import Outcome, Result
from gardener.numbers import bounded_int

# `1) [chromium] › orders.spec.ts:33:7 › orders › shows the refund total ────` (older: `=====`).
HEADER = re.lazy(
    r"^\s*(?P<n>\d+)\) \[[^\]\n]+\] › (?P<file>[^\s:›]+):\d+:\d+ › (?P<title>[^\n]*?)\s*[─=]*\s*$"
)
# A verdict section's heading (`1 failed`, `2 flaky`), and a test listed under it.
SECTION = re.lazy(r"^\s*(?P<count>\d+) (?P<what>failed|flaky|interrupted|did not run|passed|skipped)\b")
LISTED = re.lazy(r"^\s*\[[^\]\n]+\] › (?P<file>[^\s:›]+):\d+:\d+ › (?P<title>[^\n]*?)\s*[─=]*\s*$")
RETRY = re.lazy(r"^\s*Retry #\d+ [─=]+\s*$")
# The source excerpt under an error (`  > 37 |     await expect(...)`, `     |          ^`): where, not what.
CODE_FRAME = re.lazy(r"^\s*>?\s*\d*\s*\|")
FRAME = re.lazy(r"^\s*at (?:[^()\n]*\()?(?P<file>[^\s()]+?):(?P<line>\d+):\d+\)?\s*$")
_OUTCOMES: dict[str, Outcome] = {"failed": "failed", "flaky": "flaky", "interrupted": "error"}


def test_id(file: str, title: str) -> str:
    return f"{file}::{title}"


class PlaywrightReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the listed tests' Results."""

    HINTS = reader_hints.PLAYWRIGHT

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._next = 1  # the number the next block's header carries
        self._file = ""  # the open block's test file, whose frames place it
        self._retry = False  # in a retry's copy of the error: no more message lines
        self._section: Outcome | None = None  # the verdict section being listed
        self._verdicts: dict[str, Outcome] = {}

    def idle(self) -> bool:
        return self.block is None and self._section is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        # A second run in one log (`npx playwright test || npx playwright test --last-failed`, projects run in turn)
        # numbers its failures from 1 again.
        if (m := HEADER.match(text)) is not None and (n := bounded_int(m.group("n"))) in (self._next, 1):
            self._next = n + 1
            self._section = None
            self.open(test_id(m.group("file"), m.group("title")), number, text, timestamp)
            self._file, self._retry = m.group("file"), False
            return True
        if (s := SECTION.match(text)) is not None and (self.block is not None or self._section is not None
                                                       or s.group("what") in _OUTCOMES):
            self.close()
            self._section = _OUTCOMES.get(s.group("what"))
            return True
        if self._section is not None:
            if (listed := LISTED.match(text)) is not None:
                tid = test_id(listed.group("file"), listed.group("title"))
                if tid in self.results:  # only a test with a failure block gets a verdict: any listing, bounded memory
                    self._verdicts[tid] = self._section
                return True
            if text.strip():
                self._section = None
            return False
        block = self.block
        if block is None:
            return False
        if not self.keep(block, number, text):
            return False
        stripped = text.strip()
        if RETRY.match(text):
            self._retry = block.done = True
        elif (frame := FRAME.match(text)) is not None:
            block.done = True
            where = frame.group("file").replace("\\", "/")
            if where == self._file or where.endswith("/" + self._file):
                block.place(frame.group("file"), bounded_int(frame.group("line")))
        elif not self._retry and not CODE_FRAME.match(text):
            block.say(number, stripped)
        return True

    def interrupt(self) -> None:
        self.close()
        self._section = None
        self._next = 1

    def finish(self) -> tuple[Result, ...]:
        self.close()
        return tuple(
            replace(r, outcome=self._verdicts[r.id]) if self._verdicts.get(r.id, r.outcome) != r.outcome else r
            for r in self.results.values()
        )
