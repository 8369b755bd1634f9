"""A log incident on a wrapper exception of Gradle's stack trace pointed at the cause Gradle's report states.

Gradle closes a failed build with a report: `* What went wrong:` over the task that failed and, quoted with `> `, its
cause (`Execution failed for task ':jreleaserFullRelease'.` then `> Cannot invoke "...isPresent()" because
"this.immutableRelease" is null`), then `* Try:`, and with `--stacktrace` `* Exception is:` over the stack, whose
first line is a wrapper (`org.gradle.api.tasks.TaskExecutionException: Execution failed for task ...`). A rule that
decides on that wrapper line names the category; the line that says what failed is the report's last line (its
deepest cause). The evidence line moves there; the message stays, so the rules, the key and the title read what they
read. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener.line_category import WRAPPER_EXCEPTION
from gardener.model import Result
from gardener.text import clean_line

_WENT_WRONG = "* What went wrong:"
_EXCEPTION_IS = "* Exception is:"
# How far above the wrapper line Gradle's report is looked for (`* Try:`'s advice and a long cause sit between).
REPORT_REACH = 40


def _report_cause(lines: Sequence[str], wrapper: int) -> int | None:
    """The 1-based line of the last line of the `* What went wrong:` block above the `* Exception is:` label right
    over the wrapper at line `wrapper`, if that is where the wrapper is."""
    label = wrapper - 1
    if label < 1 or clean_line(lines[label - 1]).text.strip() != _EXCEPTION_IS:
        return None
    start = next((n for n in range(label - 1, max(0, label - REPORT_REACH), -1)
                  if clean_line(lines[n - 1]).text.strip() == _WENT_WRONG), None)
    if start is None:
        return None
    last = None
    for n in range(start + 1, label):
        text = clean_line(lines[n - 1]).text.strip()
        if not text or text.startswith("* "):
            break
        last = n
    return last


def to_gradle_cause(r: Result, lines: Sequence[str]) -> Result:
    """`r` with its evidence line on Gradle's stated cause, when its line is the wrapper exception opening the stack
    under `* Exception is:` (`lines` are the file's lines, the first being line 1)."""
    if r.source_line is None or not 1 < r.source_line <= len(lines):
        return r
    if WRAPPER_EXCEPTION.search(clean_line(lines[r.source_line - 1]).text) is None:
        return r
    cause = _report_cause(lines, r.source_line)
    return r if cause is None else replace(r, source_line=cause)
