"""Accuracy on the fourteenth labelled set, a fourth fresh held-out set of LONG real CI logs
(tests/data/classify/corpus14.jsonl, issue 12; how it was built is in the README beside it, "Fourteenth set
(clean held-out long logs)"). The project's honest measure of finding and naming the failing line in logs
nobody tuned rules for: each item is a failed job's log portion of 55-158 lines (two of 55-57) with set-up
noise, passing steps, post-job cleanup and wrapper lines, from downloaded GitHub Actions job logs, a local
`act` run and two local runs committed to their repositories. Every item was labelled and committed
(2be131f, 6f2c43a) before anything was run on it, by a labeller who did not read the rules; nobody working on
the rules reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category, exact
priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal (issue 12
acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line. The floors below are
the first scoring minus about one item, so the test guards against regressions; the gap to the goal is the
work of issue 12, not something to tune this set to.

`pytest -s tests/test_classify_corpus14.py` prints the tables and the misses (for the lead only).
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
CORPUS14 = DATA / "corpus14.jsonl"
# Every earlier set; sets built at the same time (corpus12, corpus13) are checked whenever they are present.
EARLIER = sets_before(14, DATA)
# First scoring (data commits 2be131f, 6f2c43a, scored at 2ba354f with main 5d33446's code): 65.4% category /
# 61.5% exact priority / 76.9% evidence on a marked line (README, "First scoring (fourteenth set)"); the floors sit
# one item (3.8 points) under it.
MIN_CATEGORY = 0.61
MIN_PRIORITY = 0.57
MIN_EVIDENCE = 0.73


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS14), tmp_path_factory.mktemp("corpus14"))


def test_corpus14_is_well_formed() -> None:
    items = load_items(CORPUS14)
    check_well_formed(items, ("holdout14",))
    assert len(items) >= 26
    check_breadth(items)
    check_long_logs(items)
    assert max(str(i["excerpt"]).count("\n") + 1 for i in items) <= 200
    check_fresh(items, EARLIER)


def test_corpus14_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout14", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
