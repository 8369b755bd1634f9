"""pytest's terminal output, fed one clean line at a time, turned into Results.

The reader is a small state machine so it can run alone (pytest_text.py) or beside the
runner-log reader on the same stream (runner_log.py). It remembers which lines it used as
evidence (`claimed`) so a log incident about the same line is not reported twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from gardener import regex as re
from gardener.ingest.pytest_text import conftest
from gardener.ingest.pytest_text import lines as pl
from gardener.ingest.pytest_text.blocks import QUIET_LISTED, Block, Mention, Session
from gardener.ingest.pytest_text.results import session_results
from gardener.model import Counts, Result, Source

INTERNAL_ID = "<pytest INTERNALERROR>"
# The property priority.py reads for a failure whose run says no test ran (as jest_lines.TESTS_RAN).
TESTS_RAN = "tests_ran"
# pytest's collection count when nothing could be collected and some module failed to (`collected 0 items / 1 error`,
# after `collecting ... ` on a terminal): the session's errors are all there is, no test ran.
_NONE_COLLECTED = re.lazy(r"^(?:collecting \.\.\. ?)?collected 0 items? / [1-9]\d* errors?\b")
# The counts of a session that ran tests.
_RAN_WORDS = ("passed", "failed", "xfailed", "xpassed")
_NOT_MENTIONS = ("=", "INTERNALERROR>", "no tests ran")  # lines _feed reads before _mention


class PytestReader:
    """Feed (line number, clean text, timestamp); `finish()` returns the Results."""

    # While idle, only these lines do anything: a conftest error, INTERNALERROR, a counts or section
    # line (`===`, `3 passed in 1s`), a `-v` line (node ids hold `::`), a summary entry.
    HINTS = (
        "while loading conftest",
        "^INTERNALERROR>",
        r"^(?:=|\d+ [a-z]|no tests ran|(?:collecting \.\.\. ?)?collected 0 )",
        "::",
        "^(?:" + "|".join(pl.OUTCOME_WORDS) + ")",
    )

    def __init__(self, path: str, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.results: list[Result] = []
        self.claimed: list[tuple[int, int]] = []
        self.declared: list[dict[str, int]] = []
        self.failing_lines: list[int] = []
        self._section = ""
        self._block: Block | None = None
        self._session = Session()
        self._internal: Block | None = None
        self._conftest: Block | None = None
        self._unlisted = 0  # from sessions already finished
        self._none_collected = False  # this session's collection count said 0 items and some errors

    def idle(self) -> bool:
        return (
            self._conftest is None
            and self._internal is None
            and self._block is None
            and self._section not in ("errors", "failures")
        )

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """Always False: pytest's reports are claimed when complete (see `claimed`), not line by line."""
        if (
            "::" in text  # a `-v` line, most often: straight to _mention, as _feed would take it there
            and self._conftest is None
            and self._internal is None
            and self._section not in ("errors", "failures")
            and not text[:1].isdigit()
            and not text.startswith(_NOT_MENTIONS)
            and "while loading conftest" not in text
        ):
            self._mention(number, text, timestamp)
        else:
            self._feed(number, text, timestamp)
        return False

    def _feed(self, number: int, text: str, timestamp: datetime | None) -> None:
        if self._conftest is not None:
            if conftest.continues(text) and self._conftest.end - self._conftest.start < conftest.MAX_LINES:
                self._conftest.add(number, text)
                return
            self._close_conftest()
        if (where := conftest.conftest_header(text)) is not None:
            self._conftest = conftest.start(number, text, where, timestamp)
            return
        if text.startswith("INTERNALERROR>"):
            self._internal_line(number, text, timestamp)
            return
        self._close_internal()
        if text.startswith("collect") and _NONE_COLLECTED.search(text) is not None:
            self._none_collected = True
            return
        if (counts := pl.counts_line(text)) is not None:
            self._close_block()
            self.declared.append(counts)
            self.claimed.append((number, number))
            if counts.get("failed") or counts.get("error") or counts.get("errors"):
                self.failing_lines.append(number)
            self._finish_session()
            self._section = ""
            return
        if (name := pl.section(text)) is not None:
            self._close_block()
            if name == "session":
                self._finish_session()
            self._section = name
            return
        if self._section in ("errors", "failures"):
            if (title := pl.block_title(text)) is not None:
                self._close_block()
                self._block = Block(title, number, timestamp, end=number)
                self._block.excerpt.add(text, number)
            elif self._block is not None:
                self._block.add(number, text)
            return
        self._mention(number, text, timestamp)

    def _mention(self, number: int, text: str, timestamp: datetime | None) -> None:
        if (v := pl.verbose(text)) is not None:
            self._session.add_verbose(v[0], v[1], number, timestamp, v[2])
            claimed = self.claimed
            if claimed and claimed[-1][1] == number - 1:  # a run of -v lines: one span
                claimed[-1] = (claimed[-1][0], number)
            else:
                claimed.append((number, number))
            return
        self._summary_entry(number, text, timestamp)

    def _summary_entry(self, number: int, text: str, timestamp: datetime | None) -> None:
        entry = pl.summary(text)
        if entry is None:
            return
        # Outside a summary section (a pasted excerpt) only lines that clearly name a test count.
        named = "::" in entry.nodeid or (entry.nodeid.endswith(".py") and bool(entry.message))
        if self._section != "summary" and not named:
            return
        self.claimed.append((number, number))
        if entry.word == "SKIPPED" and entry.line is not None:
            self._session.skip_locations.append((entry, number, timestamp))
            return
        self._session.add(entry.nodeid, Mention(entry.word, number, timestamp, entry.message))

    def interrupt(self) -> None:
        """The output around pytest moved on (a new CI step): close what is open."""
        self._close_block()
        self._close_internal()
        self._close_conftest()
        self._section = ""

    def _close_block(self) -> None:
        if self._block is not None:
            self._session.blocks.append(self._block)
            self.claimed.append((self._block.start, self._block.end))
            self._block = None

    def _internal_line(self, number: int, text: str, timestamp: datetime | None) -> None:
        body = text[len("INTERNALERROR>") :]
        body = body[1:] if body.startswith(" ") else body
        if self._internal is None:
            self._internal = Block(INTERNAL_ID, number, timestamp, end=number)
        self._internal.add(number, body)

    def _close_internal(self) -> None:
        block, self._internal = self._internal, None
        if block is None:
            return
        self.claimed.append((block.start, block.end))
        self.failing_lines.append(block.end)
        frame = block.frames[-1] if block.frames else None
        self.results.append(
            Result(
                id=INTERNAL_ID,
                outcome="error",
                # The exception that ends the traceback says what crashed, not its `Traceback` header.
                source=Source(self.path, self.kind),
                source_line=block.last_exception_line or block.start,
                message=block.last_exception or "pytest crashed (INTERNALERROR)",
                error_type=pl.exception_type(block.last_exception) or "INTERNALERROR",
                details=block.excerpt.render(),
                file=frame[0] if frame else None,
                line=frame[1] if frame else None,
                timestamp=block.timestamp,
            )
        )

    def _close_conftest(self) -> None:
        block, self._conftest = self._conftest, None
        if block is not None:
            self.claimed.append((block.start, block.end))
            self.failing_lines.append(block.end)
            self.results.append(conftest.conftest_result(block, self.path, self.kind))

    def _finish_session(self) -> None:
        session = self._session
        found = session_results(session, self.path, self.kind)
        if self._none_collected:  # every failure of this session is one that stopped collection: none ran
            found = [replace(r, properties=(*r.properties, (TESTS_RAN, "0"))) if r.is_failing else r for r in found]
            self._none_collected = False
        self._unlisted += session.unlisted_passes
        self._session = Session(limit=max(0, QUIET_LISTED - len(self.results) - len(found)))
        self.results.extend(found)
        self.failing_lines.extend(r.source_line or 0 for r in found if r.is_failing)

    def finish(self) -> tuple[Result, ...]:
        self._close_block()
        self._close_internal()
        self._close_conftest()
        self._finish_session()
        if any(c.get(word) for c in self.declared for word in _RAN_WORDS):
            # Another session of this input ran tests (tox's envs): priority reads the mark per input, and that input
            # shows tests running, so a session that collected nothing does not say no test ran.
            return tuple(replace(r, properties=tuple(p for p in r.properties if p != (TESTS_RAN, "0")))
                         if (TESTS_RAN, "0") in r.properties else r for r in self.results)
        return tuple(self.results)

    @property
    def unlisted_passes(self) -> int:
        """Passed tests counted but not listed (past QUIET_LISTED in one session)."""
        return self._unlisted + self._session.unlisted_passes

    def unlisted_note(self) -> str | None:
        if not self.unlisted_passes:
            return None
        return f"{self.unlisted_passes} passed test(s) counted but not listed (more than {QUIET_LISTED})"

    def declared_counts(self, flaky: int) -> Counts | None:
        """The counts pytest printed, summed over sessions; flaky is not a pytest count."""
        if not self.declared:
            return None
        total: dict[str, int] = {}
        for counts in self.declared:
            for word, n in counts.items():
                total[word] = total.get(word, 0) + n
        errors = total.get("error", 0) + total.get("errors", 0)
        skipped = total.get("skipped", 0) + total.get("xfailed", 0)
        failed = total.get("failed", 0)
        cases = failed + errors + skipped + total.get("passed", 0) + total.get("xpassed", 0)
        return Counts(cases=cases, failures=failed, errors=errors, skipped=skipped, flaky=flaky)
