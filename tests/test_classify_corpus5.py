"""Accuracy on the fifth labelled set, a fresh held-out one of LONG real CI logs
(tests/data/classify/corpus5.jsonl, issue 12 item 8; how it was built is in the README beside it).
Unlike corpus3/corpus4 (short excerpts), each item is a job log portion of 46-231 lines with set-up
noise, passing steps, post-job cleanup and wrapper lines, so the evidence rate measures whether the
first finding is located on the explaining lines of a long log. Every item was labelled and committed
(c27680e) before anything was run on it, and the set is kept away from the work that improves the rules.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line. The
floors below are the first scoring minus about two points, so the test guards against regressions;
the gap to the goal is the work of issue 12, not something to tune this set to (labels change only
when objectively wrong, item by item in the README).

`pytest -s tests/test_classify_corpus5.py` prints the tables and the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_scoring import (
    Scored,
    check_accuracy,
    check_breadth,
    check_long_logs,
    check_well_formed,
    load_items,
    score,
)

CORPUS5 = Path(__file__).parent / "data" / "classify" / "corpus5.jsonl"
# First scoring (data commit c27680e, scored with main c4c07b0's code): 46.3% category / 59.3% exact
# priority / 64.8% evidence on a marked line; the floors are about two points under it.
# Raised after session 5's rule work (main 75d675b: holdout5 87.0 / 85.2 / 94.4), about one item under it; again
# after session 6's convention rules (94.4 / 92.6 / 94.4).
MIN_CATEGORY = 0.92
MIN_PRIORITY = 0.90
MIN_EVIDENCE = 0.92


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS5), tmp_path_factory.mktemp("corpus5"))


def test_corpus5_is_well_formed() -> None:
    items = load_items(CORPUS5)
    check_well_formed(items, ("holdout5",))
    assert len(items) >= 54
    check_breadth(items)
    check_long_logs(items)


def test_corpus5_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout5", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
