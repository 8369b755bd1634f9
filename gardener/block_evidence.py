"""A failure block's header pointed at the line in its block that says what failed.

Test runners and tools open a failure with a header that names what failed but not why: dotnet test's `Failed
Ns.Class.Method [12 ms]`, Gradle's `FooTests > bar() FAILED`, TAP's `not ok 3 - x`. The lines under it, up to the
blank line that ends the block, hold the reason (`System.IO.FileNotFoundException : Could not load file ...`,
`java.lang.IllegalStateException at FooTests.java:229`). A log incident whose line is such a header keeps its message
(what the rules and its key read) and takes as its evidence line the block's first line the locator rates as
explaining (locator.rank: a diagnostic, an exception, an assertion, or words naming a category). Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener.ingest.runner_log.locator import NAMED_RANK, locate, rank
from gardener.model import Result
from gardener.text import clean_line

# The runner-log reader's incident kind for a failure block's header (anchors: families.py `test-failure`).
HEADER_KIND = "test-failure"
# How many lines under a header its block is read for (a stack trace's frames end it earlier: a blank line).
BLOCK_REACH = 10


def block_under(lines: Sequence[str], number: int) -> list[tuple[int, str]]:
    """The 1-based numbers and clean text of the block under line `number`: to the next blank line, at most
    BLOCK_REACH lines, and before a line no deeper than the header that is evidence itself (a sibling: the next
    failure, or testthat's `Error: testthat unit tests failed` verdict under its ` 1. Error: ...` header; dotnet's
    `Error Message:` label at the header's depth is not one)."""
    depth = _indent(clean_line(lines[number - 1]).text) if 0 < number <= len(lines) else 0
    block: list[tuple[int, str]] = []
    for at in range(number + 1, min(len(lines), number + BLOCK_REACH) + 1):
        text = clean_line(lines[at - 1]).text
        if not text.strip() or (_indent(text) <= depth and rank(text) > 0):
            break
        block.append((at, text))
    return block


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def to_block_cause(r: Result, lines: Sequence[str]) -> Result:
    """`r`'s evidence line moved from a header that explains nothing itself to the line under it that does, if any
    (its message stays: the header names the failing test or check). `lines` are the file's lines, the first line 1."""
    if r.error_type != HEADER_KIND or r.source_line is None or not 0 < r.source_line <= len(lines):
        return r
    own = clean_line(lines[r.source_line - 1]).text
    if rank(own) >= NAMED_RANK:
        return r  # the line explains the failure itself
    found = locate(block_under(lines, r.source_line), first=True)
    if found is None or rank(found[1]) < NAMED_RANK:
        return r
    return replace(r, source_line=found[0])
