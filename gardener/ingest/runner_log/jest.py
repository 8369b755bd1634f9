"""jest's console output, fed one clean line at a time, turned into test Results.

jest prints each test file's outcome as a `PASS path` / `FAIL path` header, then one `● title` block
per failure: `● Describe › test`, or `● Test suite failed to run` when the file could not be loaded.
With `retryTimes` and `logErrorsBeforeRetry` it also prints, for each failed try, a
`LOGGING RETRY ERRORS  <describe and test>` line, ` RETRY n ` and the error. A retried test that no
`●` block of its file names passed on a retry: it is flaky, not failing (and not a hang, whatever
its error says).

Ids follow jest-junit's `file::Describe::test` shape (`file::A › B::test` for nested describes), and a
suite that failed to run is its file, so that the cross-input dedupe can match a console failure to
its JUnit twin.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.jest_lines import (
    BULLET,
    ERROR_TYPE,
    HEADER,
    NOT_FAILURES,
    RETRY_HEAD,
    SUITE_ERROR,
    SUMMARY,
    TESTS_RAN,
    TESTS_TOTAL,
    Block,
    Suite,
    is_test_file,
    jest_test_id,
    starts_report,
    words,
)
from gardener.model import Outcome, Result, Source
from gardener.numbers import bounded_int

MAX_RESULTS = 5000


class JestReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the Results.

    `claimed` are the line spans used as evidence and `failing_lines` the lines of failing results,
    so the log's incident finder does not report the same failure again.
    """

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._results: dict[tuple[str, str], Result] = {}
        self._suite: Suite | None = None
        self._block: Block | None = None
        self._pending: list[Block] = []  # retries printed before their file's header
        self._nothing_ran: set[tuple[str, str]] = set()  # results of a run whose summary says `Tests: 0 total`
        self._summarised = 0  # results before this many belong to a run whose summary was read

    # starts_report's words after any blank (str.lstrip's), and the `Tests:` count.
    HINTS = reader_hints.JEST

    def idle(self) -> bool:
        return self._block is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for the lines of a failure or retry report, a FAIL header and the summary."""
        if self._block is not None:
            if not starts_report(text) and (text[:1].isspace() or not text.strip()):
                self._block.add(number, text)
                return self._block.kind != "console"
            self._close_block()
        if not starts_report(text):
            if text.startswith("Tests:") and (total := TESTS_TOTAL.match(text)):
                self._summary_count(bounded_int(total.group("total")))
            return False
        if m := HEADER.match(text):
            self._close_suite()
            self._suite = Suite(m.group("path"), m.group("word") == "FAIL", number)
            self._adopt_pending()
            if self._suite.failed:
                self.claimed.append((number, number))
            return self._suite.failed
        if m := RETRY_HEAD.match(text):
            self._open("retry", m.group("name"), number, text, timestamp)
            return True
        if (m := BULLET.match(text)) and self._suite is not None and self._suite.failed:
            title = m.group("title")
            kind = "console" if title in NOT_FAILURES else "suite" if title == SUITE_ERROR else "test"
            self._open(kind, title, number, text, timestamp)
            return kind != "console"
        if SUMMARY.match(text):
            self._close_suite()
            self.claimed.append((number, number))
            if " failed" in text:
                self.failing_lines.append(number)
            return True
        return False

    def _summary_count(self, total: int) -> None:
        """The run just summarised ran `total` tests; its failures are the results since the last summary."""
        keys = list(self._results)[self._summarised :]
        if total == 0:
            self._nothing_ran.update(keys)
        self._summarised = len(self._results)

    def _open(self, kind: str, title: str, number: int, text: str, timestamp: datetime | None) -> None:
        self._block = Block(kind, title, number, timestamp, end=number)
        self._block.excerpt.add(text.strip(), number)

    def _close_block(self) -> None:
        block, self._block = self._block, None
        if block is None or block.kind == "console":
            return
        self.claimed.append((block.start, block.end))
        if block.kind == "retry":  # printed while the file runs; its header comes when it is done
            self._pending.append(block)
        elif self._suite is not None:
            self._suite.failures.append(block)

    def _adopt_pending(self) -> None:
        """Retries logged before this header whose stack is in this file, or names no test file."""
        suite = self._suite
        if suite is None or not self._pending:
            return
        mine = [b for b in self._pending if b.frame_in(suite.path) or not any(is_test_file(f) for f, _ in b.frames)]
        suite.retries.extend(mine)
        self._pending = [b for b in self._pending if b not in mine]

    def _close_suite(self) -> None:
        self._close_block()
        suite, self._suite = self._suite, None
        if suite is None:
            return
        failed_titles = {words(b.title): b for b in suite.failures if b.kind == "test"}
        retried: dict[str, int] = {}
        for retry in suite.retries:
            key = words(retry.title)
            retried[key] = max(retried.get(key, 0), retry.retries or 1)
        for block in suite.failures:
            attempts = retried.get(words(block.title), 0) + 1 if block.kind == "test" else 1
            self._add(self._failure(suite.path, block, attempts))
        for retry in suite.retries:
            if words(retry.title) not in failed_titles:
                self._add(self._flaky(suite.path, retry, retried[words(retry.title)] + 1))

    def _failure(self, path: str, block: Block, attempts: int) -> Result:
        outcome: Outcome = "error" if block.kind == "suite" else "failed"
        rid = path if block.kind == "suite" else jest_test_id(path, block.title)
        return self._result(rid, outcome, path, block, attempts)

    def _flaky(self, path: str, retry: Block, attempts: int) -> Result:
        # The retry line joins describe and test with spaces: the boundary is unknown, the words are not.
        return self._result(f"{path}::{words(retry.title)}", "flaky", path, retry, attempts)

    def _result(self, rid: str, outcome: Outcome, path: str, block: Block, attempts: int) -> Result:
        frame = block.frame_in(path)
        kind = ERROR_TYPE.match(block.message)
        return Result(
            id=rid,
            outcome=outcome,
            source=Source(self.path, self.kind), source_line=block.message_at or block.start,
            message=block.message or block.title,
            error_type=kind.group("type") if kind else "",
            details=block.excerpt.render(),
            file=path,
            line=frame[1] if frame else None,
            attempts=attempts,
            timestamp=block.timestamp,
        )

    def _add(self, result: Result) -> None:
        key = (result.id, result.variant)
        if key in self._results or len(self._results) >= MAX_RESULTS:
            return  # jest repeats failures in "Summary of all failing tests"
        self._results[key] = result
        if result.is_failing and result.source_line is not None:
            self.failing_lines.append(result.source_line)

    def interrupt(self) -> None:
        """The output around jest moved on (a new CI step): close what is open."""
        self._close_suite()

    def finish(self) -> tuple[Result, ...]:
        self._close_suite()
        for retry in self._pending:  # a retried test whose file never reported: it did fail
            path = retry.frames[0][0] if retry.frames else ""
            rid = f"{path}::{words(retry.title)}" if path else words(retry.title)
            self._add(self._result(rid, "failed", path, retry, (retry.retries or 1) + 1))
        self._pending = []
        # Suites failed and no test ran: each failure says so, for priority's blast radius.
        return tuple(
            replace(r, properties=(*r.properties, (TESTS_RAN, "0"))) if key in self._nothing_ran else r
            for key, r in self._results.items()
        )
