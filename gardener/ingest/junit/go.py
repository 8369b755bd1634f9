"""Go test failures in JUnit: gotestsum and go-junit-report copy the console into the case's text and
write a bare `message="Failed"`, so the failure is read from that text as the console reader reads it
(gotest.failure): the compiler error, panic, race report or testify `Error:` rather than its first line.

A parent test that failed only because a subtest did (`TestA` beside `TestA/case`, its own text no
more than `=== RUN` / `--- FAIL:` lines) is no failure of its own: it is folded into the subtest. Files
count it as they list it; only the results drop it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from xml.etree.ElementTree import Element

from gardener.ingest.gotest.failure import GoFailure, explain, looks_like_go, own_output
from gardener.model import FAILING_OUTCOMES, Result

_ID = attrgetter("id")  # no Python code per result

# Message attributes that say nothing of the failure (case.py reads them too, with choose_message's test).
GO_PLACEHOLDERS = frozenset({"", "failed", "failure", "fail", "error"})


def may_be_go(result_elems: Sequence[Element]) -> bool:
    """Whether the writer gave no message of its own (go_failure reads the text only then)."""
    return bool(result_elems) and (result_elems[0].get("message") or "").strip().lower() in GO_PLACEHOLDERS


def go_failure(result_elems: Sequence[Element], details: str) -> GoFailure | None:
    """What a Go case's failure text says, when the writer gave no message of its own."""
    if not may_be_go(result_elems):
        return None
    if not details or not looks_like_go(details):
        return None
    found = explain(details.splitlines())
    return found if found.message else None


def fold_go_parents(results: tuple[Result, ...]) -> tuple[Result, ...]:
    """The results without Go parents that failed only through a failing subtest (pure)."""
    parents = _parents_of_failing(r.id for r in results if r.outcome in FAILING_OUTCOMES and "/" in r.id)
    if not parents or parents.isdisjoint(map(_ID, results)):  # ids as file paths: no parent is a test
        return results
    kept = []
    for r in results:
        if r.is_failing and r.id in parents and not own_output(r.details.splitlines()):
            continue
        kept.append(r)
    return tuple(kept)


def folding_parents(results: tuple[Result, ...]) -> bool:
    """Whether fold_go_parents would look at any result's own text (a failing parent of a failing subtest)."""
    parents = _parents_of_failing(r.id for r in results if r.outcome in FAILING_OUTCOMES and "/" in r.id)
    return bool(parents) and any(r.is_failing and r.id in parents for r in results)


def _parents_of_failing(failing: Iterable[str]) -> set[str]:
    """Every id a failing subtest sits under: each id's part before each of its `/` (`TestA` and `TestA/b` of
    `TestA/b/c`). A set, not a sorted list bisected per result: a report whose ids are file paths holds
    100,000 ids with a `/` and only a few distinct parts before it."""
    parents: set[str] = set()
    for test_id in failing:
        at = test_id.find("/")
        while at != -1:
            parents.add(test_id[:at])
            at = test_id.find("/", at + 1)
    return parents
