"""Accuracy on the seventeenth labelled set, a fresh held-out set of LONG real failed CI job logs
(tests/data/classify/corpus17.jsonl, issue 12; how it was built is in the README beside it, "Seventeenth set
(clean held-out long logs)"). Each item is a failed job's log (or a long contiguous part of it) of 53-275 lines
that public repositories committed: GitHub Actions, Jenkins, Google Cloud Build, Travis CI and PaaS build logs
(Vercel, Render, Easypanel) plus one Docker build. Every item was labelled and committed before anything was
run on it; nobody working on the rules reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category, exact
priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal (issue 12
acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus17.py` prints the tables and the misses (for the lead only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_scoring import (
    Scored,
    check_accuracy,
    check_breadth,
    check_fresh,
    check_long_logs,
    check_well_formed,
    load_items,
    score,
    sets_before,
)

DATA = Path(__file__).parent / "data" / "classify"
CORPUS17 = DATA / "corpus17.jsonl"
# Every earlier set (corpus, holdout2, corpus3 ... corpus16); a set not present on the branch is skipped.
EARLIER = sets_before(17, DATA)
# First scoring (by the lead, on ec6a0f9's code): 65.0% category / 60.0% exact priority / 70.0% evidence on a marked
# line; the floors are about two points under it.
# Raised after the session-9 rule work (session 9 opened it for rule work; at 64c941f it scores 70.0 / 65.0 / 90.0); a
# point or an item under it.
MIN_CATEGORY = 0.65
MIN_PRIORITY = 0.60
MIN_EVIDENCE = 0.85


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS17), tmp_path_factory.mktemp("corpus17"))


def test_corpus17_is_well_formed() -> None:
    items = load_items(CORPUS17)
    check_well_formed(items, ("holdout17",))
    assert len(items) >= 20
    assert all(str(i["id"]).startswith("c17-") for i in items)
    check_breadth(items, kinds=25)
    assert len({str(i["ci"]) for i in items}) >= 5
    assert len({str(i["ecosystem"]) for i in items}) >= 15


def test_corpus17_logs_are_long() -> None:
    items = load_items(CORPUS17)
    check_long_logs(items)
    assert max(str(i["excerpt"]).count("\n") + 1 for i in items) <= 300


def test_corpus17_is_fresh() -> None:
    check_fresh(load_items(CORPUS17), EARLIER)


def test_corpus17_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout17", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
