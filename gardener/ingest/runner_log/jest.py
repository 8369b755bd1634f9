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
    CONSOLE_5XX,
    ERROR_TYPE,
    HEADER,
    MAX_CONSOLE,
    NOT_FAILURES,
    RETRY_HEAD,
    SERVER_ERROR,
    SUITE_ERROR,
    SUMMARY,
    TASK_PREFIX,
    TESTS_RAN,
    TESTS_TOTAL,
    TIMED_OUT,
    Block,
    Suite,
    Task,
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

    A workspace task runner (Turborepo, pnpm -r, nx, lerna) puts its task's prefix before each line of a
    package's output and interleaves the packages' lines: each prefix is read as a jest run of its own
    (a `Task`), the prefix taken off as the runner's timestamp is, so a block of one package is never
    ended by another package's line.
    """

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._results: dict[tuple[str, str], Result] = {}
        self._tasks: dict[str, Task] = {"": Task()}  # by prefix; "" is output without one
        self._task = self._tasks[""]  # the task of the line being read
        self._prefix = ""  # its prefix
        self._last = ""  # the prefix of the last prefixed line: most often the next line's too
        self._nothing_ran: set[tuple[str, str]] = set()  # results of a run whose summary says `Tests: 0 total`
        self._some_ran = False  # a run of this input's summary counts tests (a workspace's other package)

    # starts_report's words after any blank (str.lstrip's), behind a task prefix or not, and the `Tests:` count.
    HINTS = reader_hints.JEST

    def idle(self) -> bool:
        if len(self._tasks) == 1:  # no task runner's prefix: most logs
            return self._task.block is None
        return all(t.block is None for t in self._tasks.values())

    def _unprefixed(self, text: str) -> tuple[str, str]:
        """(prefix, the line without it); ("", text) for a line no task runner prefixed.

        A prefix is a task's once a jest line (a header, a bullet, the summary, a logged 5xx) came behind it; a line
        of jest's own (an indented block line, `PASS x`) is not tried as one, so a log without a task
        runner costs one character test a line."""
        last = self._last
        if last and text.startswith(last) and (len(text) == len(last) or text[len(last)] == " "):
            return last, text[len(last) + 1 :]
        if not text or text[0] in " \t" or ":" not in text or (m := TASK_PREFIX.match(text)) is None:
            return "", text
        prefix, rest = m.group("prefix"), text[m.end() :]
        if prefix in self._tasks or starts_report(rest) or rest.startswith("Tests:") or SERVER_ERROR.match(rest):
            self._last = prefix
            return prefix, rest
        return "", text

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for the lines of a failure or retry report, a FAIL header and the summary."""
        prefix, text = self._unprefixed(text)
        task = self._task
        if prefix != self._prefix:
            task = self._task = self._tasks.get(prefix) or self._tasks.setdefault(prefix, Task())
            self._prefix = prefix
        if task.block is not None:
            if not starts_report(text) and (text[:1].isspace() or not text.strip()):
                task.block.add(number, text)
                return task.block.kind != "console"
            self._close_block()
        if not starts_report(text):
            if text.startswith("Tests:") and (total := TESTS_TOTAL.match(text)):
                self._summary_count(bounded_int(total.group("total")))
            elif "://" in text and SERVER_ERROR.match(text):
                task.note_console(text.strip())
            return False
        if m := HEADER.match(text):
            printed, task.console = task.console, []
            if task.suite is not None:
                task.suite.console.extend(printed[: MAX_CONSOLE - len(task.suite.console)])
            self._close_suite()
            task.suite = Suite(m.group("path"), m.group("word") == "FAIL", number, console=list(printed))
            self._adopt_pending()
            if task.suite.failed:
                self.claimed.append((number, number))
            return task.suite.failed
        if m := RETRY_HEAD.match(text):
            self._open("retry", m.group("name"), number, text, timestamp)
            return True
        if (m := BULLET.match(text)) and task.suite is not None and task.suite.failed:
            title = m.group("title")
            kind = "console" if title in NOT_FAILURES else "suite" if title == SUITE_ERROR else "test"
            self._open(kind, title, number, text, timestamp)
            return kind != "console"
        if SUMMARY.match(text):
            if task.suite is not None:
                task.suite.console.extend(task.console[: MAX_CONSOLE - len(task.suite.console)])
            task.console = []
            self._close_suite()
            self.claimed.append((number, number))
            if " failed" in text:
                self.failing_lines.append(number)
            return True
        return False

    def _summary_count(self, total: int) -> None:
        """The task's run just summarised ran `total` tests; its failures are its results since its last summary."""
        if total == 0:
            self._nothing_ran.update(self._task.unsummarised)
        else:
            self._some_ran = True
        self._task.unsummarised = []

    def _open(self, kind: str, title: str, number: int, text: str, timestamp: datetime | None) -> None:
        block = self._task.block = Block(kind, title, number, timestamp, end=number)
        block.excerpt.add(text.strip(), number)

    def _close_block(self) -> None:
        task = self._task
        block, task.block = task.block, None
        if block is None or block.kind == "console":
            return
        self.claimed.append((block.start, block.end))
        if block.kind == "retry":  # printed while the file runs; its header comes when it is done
            task.pending.append(block)
        elif task.suite is not None:
            task.suite.failures.append(block)

    def _adopt_pending(self) -> None:
        """Retries logged before this header whose stack is in this file, or names no test file."""
        task = self._task
        suite = task.suite
        if suite is None or not task.pending:
            return
        mine = [b for b in task.pending if b.frame_in(suite.path) or not any(is_test_file(f) for f, _ in b.frames)]
        suite.retries.extend(mine)
        task.pending = [b for b in task.pending if b not in mine]

    def _close_suite(self) -> None:
        self._close_block()
        task = self._task
        suite, task.suite = task.suite, None
        if suite is None:
            return
        failed_titles = {words(b.title): b for b in suite.failures if b.kind == "test"}
        retried: dict[str, int] = {}
        for retry in suite.retries:
            key = words(retry.title)
            retried[key] = max(retried.get(key, 0), retry.retries or 1)
        for block in suite.failures:
            attempts = retried.get(words(block.title), 0) + 1 if block.kind == "test" else 1
            self._add(self._failure(suite, block, attempts))
        for retry in suite.retries:
            if words(retry.title) not in failed_titles:
                self._add(self._flaky(suite.path, retry, retried[words(retry.title)] + 1))

    def _failure(self, suite: Suite, block: Block, attempts: int) -> Result:
        outcome: Outcome = "error" if block.kind == "suite" else "failed"
        rid = suite.path if block.kind == "suite" else jest_test_id(suite.path, block.title)
        result = self._result(rid, outcome, suite.path, block, attempts)
        if suite.console and TIMED_OUT in block.message:  # the file's console is the only clue to why it waited
            return replace(result, properties=(*result.properties, (CONSOLE_5XX, "\n".join(suite.console))))
        return result

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
        self._task.unsummarised.append(key)
        if result.is_failing and result.source_line is not None:
            self.failing_lines.append(result.source_line)

    def interrupt(self) -> None:
        """The output around jest moved on (a new CI step): close what is open."""
        for prefix, task in self._tasks.items():
            self._task, self._prefix = task, prefix
            self._close_suite()

    def finish(self) -> tuple[Result, ...]:
        self.interrupt()
        for prefix, task in self._tasks.items():
            self._task, self._prefix = task, prefix
            for retry in task.pending:  # a retried test whose file never reported: it did fail
                path = retry.frames[0][0] if retry.frames else ""
                rid = f"{path}::{words(retry.title)}" if path else words(retry.title)
                self._add(self._result(rid, "failed", path, retry, (retry.retries or 1) + 1))
            task.pending = []
        # Suites failed and no test ran: each failure says so, for priority's blast radius. Priority reads the mark per
        # input, so not when another run of this input ran tests (`lerna run test`: one jest per package).
        nothing_ran = set() if self._some_ran else self._nothing_ran
        return tuple(
            replace(r, properties=(*r.properties, (TESTS_RAN, "0"))) if key in nothing_ran else r
            for key, r in self._results.items()
        )
