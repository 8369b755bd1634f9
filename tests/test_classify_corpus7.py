"""Accuracy on the seventh labelled set, a third fresh held-out one of LONG real CI logs
(tests/data/classify/corpus7.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Seventh set"). Built because corpus6's misses now steer rule work, so corpus6 is no longer a clean
measure. Each item is a job log portion of 64-143 lines from a repository whose owner name starts with
a-m (the eighth set takes n-z), with set-up noise, passing steps, post-job cleanup and wrapper lines.
Every item was labelled and committed before anything was run on it, and nobody working on the rules
reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line. The
floors below are the first scoring minus a few points, so the test guards against regressions; the gap
to the goal is the work of issue 12, not something to tune this set to.

`pytest -s tests/test_classify_corpus7.py` prints the tables and the misses (for the lead only).
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
CORPUS7 = DATA / "corpus7.jsonl"
EARLIER = sets_before(7, DATA)
# First scoring (data commit of 22 items, scored with main a2dbd78's code): 77.3% category / 77.3% exact
# priority / 68.2% evidence on a marked line; the floors sit about one item (4.5 points) under it. Raised in
# session 6 once the set was open for rule work (100 / 95.5 / 86.4 by the end of the session): one item under.
MIN_CATEGORY = 0.95
MIN_PRIORITY = 0.90
MIN_EVIDENCE = 0.81


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS7), tmp_path_factory.mktemp("corpus7"))


def test_corpus7_is_well_formed() -> None:
    items = load_items(CORPUS7)
    check_well_formed(items, ("holdout7",))
    assert len(items) >= 22
    check_breadth(items)
    check_long_logs(items)
    check_fresh(items, EARLIER, owners="abcdefghijklm")  # the eighth set takes n-z and digits


def test_corpus7_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout7", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
