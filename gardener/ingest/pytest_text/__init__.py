"""pytest terminal output (what `pytest` prints), with or without colour and runner timestamps.

pytest does not list passing tests unless `-v`/`-rA` asks, so the results are what the output
names; the final counts line is kept as `declared` when it says more than what was listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from gardener import regex as re
from gardener.errors import InputError
from gardener.ingest.base import ParsedFile, counts_of
from gardener.ingest.pytest_text import lines as pl
from gardener.ingest.pytest_text.reader import PytestReader
from gardener.ingest.textfile import TextFile
from gardener.model import RUN_COUNTS, Counts, Result
from gardener.text import clean_line

KIND = "pytest"

# Lines a pytest run may print before its first test line, and a command that started it.
_HEADER = re.lazy(
    r"^(?:platform \w+ -- Python|rootdir: |configfile: |cachedir: |plugins: |collecting \.\.\.|collected \d+"
    r"|\$ .*pytest|\+ .*pytest|>? ?(?:python\d* -m )?pytest\b)"
)
# A runner's step markup means a CI log around the output, read by the runner-log parser.
_RUNNER_MARKERS = frozenset({"group", "endgroup", "error", "warning", "command"})
_PRELUDE_ALLOWED = 3  # non-pytest lines tolerated around the output (a prompt, a command, a blank banner)


def _strength(text: str) -> int:
    """How surely one line is pytest's own output (0 = not pytest)."""
    if pl.section(text) == "session":
        return 90
    if pl.section(text) in ("errors", "failures", "summary"):
        return 85
    if pl.counts_line(text) is not None:
        return 80
    if pl.verbose(text) is not None:
        return 70
    if text.startswith("INTERNALERROR>"):
        return 60
    entry = pl.summary(text)
    if entry is not None and entry.word in ("FAILED", "ERROR") and "::" in entry.nodeid:
        return 60
    if pl.progress(text):
        return 50
    return 5 if _HEADER.match(text) else 0


def sniff(head: str) -> int:
    """Pure pytest output scores high; pytest output inside a longer log is left to the log parser."""
    cleaned = [clean_line(raw) for raw in head.splitlines()[:5000]]
    if any(c.marker in _RUNNER_MARKERS for c in cleaned):
        return 8 if any(_strength(c.text) >= 50 for c in cleaned) else 0
    lines = [c.text for c in cleaned if c.text.strip()]
    strengths = [_strength(t) for t in lines]
    best = max(strengths, default=0)
    if best < 50:
        return 0
    first = next(i for i, s in enumerate(strengths) if s)
    last_counts = max((i for i, t in enumerate(lines) if pl.counts_line(t) is not None), default=None)
    after = 0 if last_counts is None else sum(1 for s in strengths[last_counts + 1 :] if not s)
    if first > _PRELUDE_ALLOWED or after > _PRELUDE_ALLOWED:
        return 8  # embedded: the runner-log parser reads it (and its pytest results) instead
    return best


def parse(path: Path) -> ParsedFile:
    text = TextFile(path)
    reader = PytestReader(str(path), KIND)
    stamp = None
    for number, raw in text.lines():
        line = clean_line(raw)
        stamp = line.timestamp or stamp
        if line.marker in ("group", "endgroup"):
            reader.interrupt()
        reader.feed(number, line.text, stamp)
    results = reader.finish()
    if not results and not reader.declared:
        raise InputError(str(path), "no pytest output found (no test report, summary, -v or counts line)")
    counts = counts_of(results)
    if reader.unlisted_passes:
        counts = replace(counts, cases=counts.cases + reader.unlisted_passes)
    declared = reader.declared_counts(counts.flaky)
    if declared is not None and declared.cases > counts.cases:  # the counts line says more ran than was listed
        results = _with_run_counts(results, declared)
    notes = [n for n in (reader.unlisted_note(), text.warning()) if n]
    return ParsedFile(
        results=results,
        counts=counts,
        declared=declared if declared != counts else None,
        warning="; ".join(notes) or None,
    )


def with_declared_size(results: Sequence[Result], reader: PytestReader) -> tuple[Result, ...]:
    """`results` (one reader's), the failing ones carrying the run's size when pytest's counts lines declare
    more tests than the reader listed."""
    listed = counts_of(tuple(results))
    declared = reader.declared_counts(listed.flaky)
    if declared is None or declared.cases <= listed.cases + reader.unlisted_passes:
        return tuple(results)
    return _with_run_counts(tuple(results), declared)


def _with_run_counts(results: tuple[Result, ...], declared: Counts) -> tuple[Result, ...]:
    """The failing results carrying the run's size as the counts line declares it (`failed/ran`)."""
    ran = declared.cases - declared.skipped
    mark = (RUN_COUNTS, f"{declared.failures + declared.errors}/{ran}")
    return tuple(replace(r, properties=(*r.properties, mark)) if r.is_failing else r for r in results)
