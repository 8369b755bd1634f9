"""Whether a log says its build failed, and the line that best says why: a red build never reads as green.

Test runners' readers take their summary lines (`Tests run: 9, Failures: 2`, Maven's "There are test
failures") as evidence of the failures they report, so those lines are never incidents. When a
reader could not read the failures themselves (an output shape it does not know), the log would
show no failure at all. The verdict remembers that the log said it failed and its strongest error
line (an exception or assertion message over an error-level line over the verdict itself), so the
caller can report one failing incident instead of a clean run.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log.anchors import is_boilerplate
from gardener.ingest.runner_log.grouping import mask, one_line
from gardener.ingest.runner_log.locator import goes_on
from gardener.ingest.runner_log.recent import Recent
from gardener.ingest.runner_log.results import slug
from gardener.model import Result, Source

# What a build tool or test runner prints when the run failed.
_FAILED = re.lazy(
    r"\bBUILD FAILURE\b|\bBUILD FAILED\b|FAILURE: Build failed|Failed to execute goal|There are test failures"
    r"|Tests run: \d+, Failures: (?:[1-9]|\d+, Errors: [1-9])|\bTests?:\s+[1-9]\d* failed"
    r"|Test Suites: [1-9]\d* failed"
)
# An exception or assertion message: the most a line can say about why.
_EXPLAINS = re.lazy(
    r"\b(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Failure)\b|\b[Ee]xpected:? ?<|\b[Aa]ssert(?:ion)?\b"
    r"|\b[Ee]xpected\b[^\n]*\b(?:but was|got|received|actual)\b"
)
# Every line the score can rate above zero has one of these: most lines are dismissed by one search.
# Words a strong line holds; tested as substrings (on every line, cheaper than any regex call).
_HINT_WORDS = ("rror", "RROR", "xception", "ailure", "AIL", "xpected", "ssert", "FATAL")
_ERROR_LEVEL = re.lazy(r"^\s*(?:\[(?:ERROR|FATAL)\]|(?:Error|ERROR|FATAL|FAIL(?:ED)?)\b)")
_BEFORE = 3
_HEAD = 15  # lines kept from the strongest line on
_TAIL = 40  # and the log's last lines (where the failure was summed up)


class Verdict:
    """Fed clean lines; `fallback()` is the incident for a failed log with no failure read.

    `recent`, when given, is the caller's record of the log's last lines (at least _TAIL), read as
    this verdict's own; without it the verdict keeps its own and must be fed every line.
    """

    # A line that can say the build failed or score holds one of these (prefilter.py).
    HINTS = ("FAIL|ail|" + "|".join(re.escape(w) for w in _HINT_WORDS),)

    def __init__(self, recent: Recent | None = None) -> None:
        self.failed_at: int | None = None
        self.failed_line = ""
        self._best: tuple[int, int, str] | None = None  # (score, line number, text)
        self._head: list[tuple[int, str]] = []  # the strongest line, the lines before it and after it
        self._own_recent = recent is None
        self._recent = Recent(_TAIL) if recent is None else recent

    def idle(self) -> bool:
        """Not collecting the lines after the strongest line."""
        return self._best is None or len(self._head) >= _HEAD

    def feed(self, number: int, text: str) -> None:
        if self._best is not None and len(self._head) < _HEAD:
            self._head.append((number, text))
        if self.failed_at is None and ("FAIL" in text or "ail" in text) and _FAILED.search(text):
            self.failed_at, self.failed_line = number, text.strip()
        score = self._score(text) if any(word in text for word in _HINT_WORDS) else 0
        if score and (self._best is None or score > self._best[0]):
            self._best = (score, number, text)
            self._head = [*self._recent.last(_BEFORE), (number, text)]
        if self._own_recent:
            self._recent.append(number, text)

    @staticmethod
    def _score(text: str) -> int:
        stripped = text.strip()
        if not stripped or is_boilerplate(stripped) or goes_on(stripped):
            return 0
        if _EXPLAINS.search(stripped):
            return 3
        if _ERROR_LEVEL.match(stripped):
            return 2
        return 1 if _FAILED.search(stripped) else 0

    def fallback(self, path: str, kind: str) -> Result | None:
        """One failing incident from the strongest error line, if the log said it failed."""
        if self.failed_at is None or self._best is None:
            return None
        _, number, text = self._best
        message = one_line(text)
        excerpt = Excerpt()
        last = self._head[-1][0]
        for n, t in (*self._head, *((n, t) for n, t in self._recent.last(_TAIL) if n > last)):
            excerpt.add(t, n)
        details = excerpt.render()
        if self.failed_line and self.failed_line not in details:
            details = f"{details}\n…\n{self.failed_line}"
        digest = hashlib.sha256(mask(message).encode()).hexdigest()[:6]
        return Result(
            id=f"log:{PurePath(path).stem}:build-failed:{slug(mask(message)) or 'line'}-{digest}",
            outcome="error",
            source=Source(path, kind), source_line=number,
            message=message,
            error_type="build-failed",
            details=details,
        )
