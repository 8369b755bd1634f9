"""Accuracy on the fourth labelled set, a fresh held-out one: real failing-CI excerpts from many
languages and CI systems (tests/data/classify/corpus4.jsonl, issue 12 item 8; how it was built is
in the README beside it). Every item was labelled and committed before anything was run on it, and
the set is kept away from the work that improves the rules, so it measures how gardener does on
logs it was not tuned to.

Scored as tests/corpus_scoring.py describes: each excerpt's first finding against its label
(category, exact priority, evidence on a marked line), overall and per category, ecosystem and CI
system. Goal (issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a
marked line. The floors below are the first scoring minus about two points, so the test guards
against regressions; the gap to the goal is the work of issue 12, not something to tune this set
to (labels change only when objectively wrong, item by item in the README).

`pytest -s tests/test_classify_corpus4.py` prints the tables and the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_scoring import Scored, check_accuracy, check_breadth, check_well_formed, load_items, score

CORPUS4 = Path(__file__).parent / "data" / "classify" / "corpus4.jsonl"
# First scoring (commit b977b39, main 6b48a2a's code): 70.2% category / 80.3% exact priority / 83.7%
# evidence on a marked line; the floors are about two points under it.
# Raised after session 5's rule work (main 75d675b: holdout4 89.9 / 90.4 / 88.9), about one item under it; again
# after session 6's convention rules (94.7 / 94.7 / 88.9), about three items under it.
MIN_CATEGORY = 0.93
MIN_PRIORITY = 0.93
MIN_EVIDENCE = 0.86


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS4), tmp_path_factory.mktemp("corpus4"))


def test_corpus4_is_well_formed() -> None:
    items = load_items(CORPUS4)
    check_well_formed(items, ("holdout4",))
    assert len(items) >= 200
    check_breadth(items)


def test_corpus4_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout4", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
