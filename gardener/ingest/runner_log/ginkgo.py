"""Ginkgo's console report (Go's BDD runner, v2; v1's `• Failure [...]` too), fed one clean line at a time.

Each failed spec is a block between separator lines: its state and time, its container texts and spec text (`[It]`
marks the node that failed), the spec's file, then what failed (Gomega's lines after `[FAILED] `) and where:

    • [FAILED] [10.412 seconds]
    Queue webhook [It] rejects a Queue with a negative retention
    /src/test/e2e/webhook_test.go:58
      Timeline >> ... << Timeline
      [FAILED] Expected
          <*errors.StatusError | 0xc000a1c3c0>:
          Internal error occurred: failed calling webhook ...: connect: connection refused
      In [It] at: /src/test/e2e/webhook_test.go:71 @ 12/07/26 21:31:44.208
    ------------------------------

A spec that passed on a later attempt (`--flake-attempts`) is `↺ [FLAKEY TEST - TOOK 2 ATTEMPTS TO PASS]`: a flaky
Result. Ids are the spec's full text without its node marks (`Queue webhook rejects a Queue ...`). The evidence line
is the message's first line that says something (Gomega's `Expected` / `Unexpected error:` / `<type | 0x...>:` frame
lines are skipped), the place `In [It] at:`. The closing lines (`Summarizing N Failures:` and its `[FAIL]` list,
`Ran N of M Specs`, `FAIL! -- ...`, and the Go test that ran the suite, `--- FAIL: TestE2E`) repeat the specs: they
are claimed, and the suite's Go test is no failure of its own (`suite_tests`).
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import Block, ListingReader
from gardener.model import Result, Source
from gardener.numbers import bounded_int

HEADER = re.lazy(
    r"^\s*[•↺]\s*(?:\[(?P<state>FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\]|(?P<v1>Failure|Panic)(?: in Spec \w+)?"
    r"|\[FLAKEY TEST - TOOK (?P<attempts>\d+) ATTEMPTS TO PASS\]) \[[\d.]+ seconds\]\s*$"
)
SEPARATOR = re.lazy(r"^-{20,}\s*$")
# The spec's file, perhaps after its node's mark (`  [It] /src/e2e_test.go:1522` when a BeforeEach failed).
LOCATION = re.lazy(r"^\s*(?:\[\w+\] )?(?P<file>\S+\.go):(?P<line>\d+)\s*$")
NODE = re.lazy(r"\[(?:It|BeforeEach|AfterEach|JustBeforeEach|JustAfterEach|BeforeAll|AfterAll|DeferCleanup)\] ?")
REASON = re.lazy(r"^\s*\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED)\] (?P<rest>\S.*)$")
AT = re.lazy(r"^\s*In \[\w+\] at: (?P<file>\S+\.go):(?P<line>\d+)")
V1_AT = re.lazy(r"^\s*(?P<file>/\S+\.go):(?P<line>\d+)\s*$")
# Gomega's framing lines: they say a value follows, not what failed.
FRAMING = re.lazy(r"^(?:Expected|Unexpected error:|to (?:equal|match error|be \w+|have \w+)|occurred|<[^>]*>:?\s*\S*)$")
CLOSING = re.lazy(
    r"^(?:Summarizing \d+ Failures?:|Ran \d+ of \d+ Specs? in |(?:FAIL|SUCCESS)! (?:- \w[\w ]* )?-- \d+ Passed"
    r"|Ginkgo ran \d+ suites? in |Test Suite (?:Failed|Passed)$)"
)
SUITE_TEST = re.lazy(r"^--- FAIL: (?P<name>Test\w*) \(")
MAX_TITLE_LINES = 6


class GinkgoReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the failed and flaky specs' Results."""

    HINTS = reader_hints.GINKGO

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._title: list[str] | None = None  # the spec's text while it is read
        self._flaky = 0  # the attempts of the flaky spec whose block is open (0: a failure)
        self._timeline = False
        self._said = 0  # the open block's first message line
        self._closing = 0  # the line ginkgo's closing summary started at (0: not in it)
        self.suite_tests: list[int] = []  # lines of `--- FAIL: TestX` that ran a suite whose specs are read

    def idle(self) -> bool:
        return self.block is None and not self._closing

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        stripped = text.strip()
        if (m := HEADER.match(text)) is not None:
            opened = self.open("", number, text, timestamp)
            self._flaky = bounded_int(m.group("attempts")) if m.group("attempts") else 0
            opened.outcome = "error" if m.group("state") in ("PANICKED", "INTERRUPTED", "ABORTED") else "failed"
            self._title, self._timeline, self._said = [], False, 0
            return True
        if CLOSING.match(stripped):
            self.close()
            self._closing = self._closing or number
            self.claimed.append((number, number))
            return True
        if self._closing:
            # One suite, one Go test that ran it: a second `--- FAIL:` is another test of the package failing.
            suite_named = bool(self.suite_tests) and self.suite_tests[-1] > self._closing
            if SUITE_TEST.match(stripped) is not None and self.results and not suite_named:
                self.suite_tests.append(number)
                self.claimed.append((number, number))
                return True
            if stripped in ("FAIL", "PASS", "") or stripped.startswith("[FAIL] ") or LOCATION.match(text):
                self.claimed.append((number, number))
                return True
            self._closing = 0
            return False
        block = self.block
        if block is None:
            return False
        if SEPARATOR.match(stripped):
            self.close()
            return True
        if not self.keep(block, number, text):
            return False
        if self._title is not None:
            return self._title_line(block, stripped)
        if stripped == "Timeline >>":
            self._timeline = True
        elif stripped == "<< Timeline":
            self._timeline = False
        elif self._timeline:
            pass
        elif (at := AT.match(text) or V1_AT.match(text)) is not None and block.message:
            block.done = True
            block.place(at.group("file"), bounded_int(at.group("line")))
        elif (reason := REASON.match(text)) is not None:
            self._say(block, number, reason.group("rest").strip())
        elif block.message and not block.done:
            self._say(block, number, stripped)
        return True

    def _title_line(self, block: Block, stripped: str) -> bool:
        """The spec's text, over one line or several (verbose output nests containers), up to its location."""
        assert self._title is not None
        if (m := LOCATION.match(stripped)) is not None:
            if any(NODE.search(part) for part in self._title) or len(self._title) >= MAX_TITLE_LINES:
                block.test = " ".join(NODE.sub("", " ".join(self._title)).split()) or f"ginkgo spec {block.start}"
                block.place(m.group("file"), bounded_int(m.group("line")))
                self._title = None
        elif stripped and len(self._title) < MAX_TITLE_LINES:  # a block whose location never comes: a bounded id
            self._title.append(stripped)
        return True

    def _say(self, block: Block, number: int, line: str) -> None:
        """A line of what failed; the evidence is the first that says something, not Gomega's framing."""
        if len(block.message) >= 8:
            return
        block.message.append(line)
        self._said = self._said or number
        if not block.anchor and not FRAMING.match(line):
            block.anchor = number

    def close(self) -> None:
        block = self.block
        if block is not None and self._title is not None:  # the log ended inside the title
            block.test = " ".join(NODE.sub("", " ".join(self._title)).split()) or f"ginkgo spec {block.start}"
            self._title = None
        if block is not None and self._flaky:
            self.block = None
            if block.test not in self.results:
                self.claimed.append((block.start, block.excerpt.last_number or block.start))
                self.results[block.test] = Result(
                    id=block.test, outcome="flaky", source=Source(self.path, self.kind), source_line=block.start,
                    message=f"passed after {self._flaky - 1} failed attempt{'s' if self._flaky != 2 else ''}",
                    details=block.excerpt.render(), file=block.file, line=block.line, attempts=self._flaky,
                    timestamp=block.timestamp,
                )
            self._flaky = 0
            return
        if block is not None and block.message and not block.anchor:
            block.anchor = self._said  # only framing lines (`Expected` / `<int>: 1` / `to equal`): the first
        super().close()

    def interrupt(self) -> None:
        self.close()
        self._closing = 0
