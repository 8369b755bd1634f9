"""JUnit XML reports, in every dialect found in the wild.

Counting convention (per file, raw): `cases` is every `<testcase>` element, reruns not merged;
each case counts once by its most severe direct child, error > failure > skipped; a case with
no result child and `status="disabled|skipped|notrun"` counts as skipped; surefire/Gradle
`flakyFailure`, `flakyError`, `rerunFailure`, `rerunError` never count by themselves. `flaky`
is the number of merged results that are flaky. Results, unlike counts, merge reruns (see
merge). `declared` is what the file claims when it differs from what it holds.

Pieces: read (safe streaming read, bad-input reasons) -> runs (runs of plain testcases cut out
of the bytes before expat, read as columns; any doubt reads the file the ordinary way) -> stream
(expat events to one small tree per testcase with children, the attributes alone for one without) -> collect
(counting, memory policy) -> case (a testcase to a CaseRecord, read only when needed;
interim: surefire/Gradle reruns and properties through junitparser) -> merge (reruns) ;
declared (claimed counts).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from operator import attrgetter, countOf
from pathlib import Path

from gardener import regex as re
from gardener.ingest.base import ParsedFile
from gardener.model import Counts

KIND = "junit"

_PROLOG_ITEM = re.lazy(r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>)", re.DOTALL)
_FIRST_TAG = re.lazy(r"\s*<([A-Za-z_][\w.:-]*)")
_JUNIT_ROOTS = frozenset({"testsuites", "testsuite"})
_OUTCOME = attrgetter("outcome")


def sniff(head: str) -> int:
    """100 for a testsuites/testsuite root, 30 for other XML (rejected by parse with a reason)."""
    text = head.lstrip("\ufeff\ufffd").replace("\x00", "")  # a UTF-16 BOM decoded as UTF-8
    pos = 0
    while match := _PROLOG_ITEM.match(text, pos):
        pos = match.end()
    tag = _FIRST_TAG.match(text, pos)
    if tag is not None:
        return 100 if tag.group(1).rpartition(":")[2] in _JUNIT_ROOTS else 30
    return 30 if pos > 0 else 0  # an XML prolog whose root lies beyond the head


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a file is read. Reading allocates a few objects per
    element and keeps every failing result: each collection walked all that was kept, a quarter of
    the time on 100,000 failing cases. The reader makes no reference cycles, so reference counting
    frees everything it drops; whatever cycle anything else made is collected once it resumes."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_brief(path: Path) -> ParsedFile:
    """`parse` with every result's details left empty (registry.parse_file with details=False): the
    500,000-case benchmark's 10,000 tracebacks are not held while the file is read (3 MiB of peak RSS)."""
    return parse(path, details=False)


def parse(path: Path, details: bool = True) -> ParsedFile:
    # Loaded here, not above: every file is sniffed by every reader, and only JUnit files need XML and junitparser.
    from gardener.ingest.junit.collect import CaseCollector
    from gardener.ingest.junit.declared import declared_counts
    from gardener.ingest.junit.go import fold_go_parents, folding_parents
    from gardener.ingest.junit.read import read_cases, read_runs
    from gardener.ingest.junit.runs import Abandon

    collector = CaseCollector(str(path), details)
    with no_cycle_collection():
        try:
            state, partial_reason = read_runs(path, collector.take_batch)
        except Abandon:  # not a well-formed JUnit file in UTF-8: the ordinary reader says what it is
            collector = CaseCollector(str(path), details)
            state, partial_reason = read_cases(path, collector.take_batch)
        results = collector.results(state.pytest)
        if not details and folding_parents(results):  # the fold reads a parent's own text: read it again whole
            return parse(path)
        results = fold_go_parents(results)
    counts = Counts(
        cases=collector.cases,
        failures=collector.failures,
        errors=collector.errors,
        skipped=collector.skipped,
        flaky=countOf(map(_OUTCOME, results), "flaky"),  # no Python code per result, no list
    )
    notes = [note for note in (partial_reason, state.warning(), collector.warning()) if note]
    return ParsedFile(
        results=results,
        counts=counts,
        declared=declared_counts(state.root_tag, state.root_counts, state.top_suite_sums, counts),
        partial=partial_reason is not None,
        warning="; ".join(notes) or None,
    )
