"""Accuracy on the eleventh labelled set, a third fresh held-out set of LONG real CI logs
(tests/data/classify/corpus11.jsonl, issue 12; how it was built is in the README beside it, "Eleventh set
(clean held-out long logs)"). The project's honest measure of finding and naming the failing line in logs
nobody tuned rules for: each item is a failed job's log portion of 55-145 lines with set-up noise, passing
steps, post-job cleanup and wrapper lines. Every item was labelled and committed (c61e4c1 ... 5a20328) before
anything was run on it, by a labeller who did not read the rules; nobody working on the rules reads the set,
its scores or its misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category, exact
priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal (issue 12
acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line. The floors below are
the first scoring minus about one item, so the test guards against regressions; the gap to the goal is the
work of issue 12, not something to tune this set to.

`pytest -s tests/test_classify_corpus11.py` prints the tables and the misses (for the lead only).
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
CORPUS11 = DATA / "corpus11.jsonl"
# Every earlier set; corpus10 (built at the same time from issue threads) is checked whenever it is present.
EARLIER = sets_before(11, DATA)
# First scoring (data commits c61e4c1 ... 5a20328, scored at 9fce5c1 with main ad83241's code): 73.3% category /
# 76.7% exact priority / 76.7% evidence on a marked line (README, "First scoring (eleventh set)"); the floors sit
# one item (3.3 points) under it.
MIN_CATEGORY = 0.70
MIN_PRIORITY = 0.73
MIN_EVIDENCE = 0.73


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS11), tmp_path_factory.mktemp("corpus11"))


def test_corpus11_is_well_formed() -> None:
    items = load_items(CORPUS11)
    check_well_formed(items, ("holdout11",))
    assert len(items) >= 30
    check_breadth(items)
    check_long_logs(items)
    assert max(str(i["excerpt"]).count("\n") + 1 for i in items) <= 150
    check_fresh(items, EARLIER)


def test_corpus11_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout11", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
