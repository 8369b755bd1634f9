"""Accuracy on the thirteenth labelled set, a clean held-out set of SHORT real CI failure excerpts
(tests/data/classify/corpus13.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Thirteenth set (clean held-out excerpts)"). Each item is 5-60 lines that a public project posted in an
issue or pull-request thread, with the noise around the failure the source shows. Every item was labelled
and committed (f449e30 ... a6af113) before anything was run on it, and nobody working on the rules reads
the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each excerpt's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line. The
floors below are the first scoring minus about two points, so the test guards against regressions; the
gap to the goal is the work of issue 12, not something to tune this set to.

`pytest -s tests/test_classify_corpus13.py` prints the tables and the misses (for the lead only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_scoring import (
    Scored,
    check_accuracy,
    check_excerpt_set,
    check_fresh_threads,
    load_items,
    score,
    sets_before,
)

DATA = Path(__file__).parent / "data" / "classify"
CORPUS13 = DATA / "corpus13.jsonl"
# Every earlier set (one that is not there, e.g. a held-out set merged separately, is skipped).
EARLIER = sets_before(13, DATA)
# First scoring (data commit a6af113, test commit 25feecf, main 2cfcbb0's code): 71.1% category / 75.9% exact
# priority / 83.4% evidence on a marked line (README, "Thirteenth set"); the floors are about two points under it.
MIN_CATEGORY = 0.69
MIN_PRIORITY = 0.73
MIN_EVIDENCE = 0.81


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS13), tmp_path_factory.mktemp("corpus13"))


def test_corpus13_is_well_formed() -> None:
    items = load_items(CORPUS13)
    check_excerpt_set(items, "holdout13", least=150, kinds=50, ecosystems=50, ci_systems=10)


def test_corpus13_is_fresh() -> None:
    check_fresh_threads(load_items(CORPUS13), EARLIER)


def test_corpus13_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout13", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
