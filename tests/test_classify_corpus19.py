"""Accuracy on the nineteenth labelled set, a fresh held-out set of LONG real failed CI logs from CI systems other
than GitHub Actions (tests/data/classify/corpus19.jsonl, issue 12; how it was built is in the README beside it,
"Nineteenth set (clean held-out long logs)"). Each item is a failed run's log or report of 40-300 lines: Jenkins,
the 0-day kernel test robot, syzbot, osstest, Intel GFX CI, the Bluetooth patchwork CI and Netlify, most of them as
the CI mailed them to public mailing lists (stored in the lists' public archive repositories). Every item was
labelled and committed before anything was run on it; nobody working on the rules reads the set, its scores or its
misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category, exact
priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal (issue 12
acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus19.py` prints the tables and the misses (for the lead only).
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
CORPUS19 = DATA / "corpus19.jsonl"
# Every earlier set (corpus, holdout2, corpus3 ... corpus18); a set not present on the branch is skipped.
EARLIER = sets_before(19, DATA)
# First scoring (by the lead, on the session's starting code afbbdba): 72.7% category / 81.8% exact priority /
# 45.5% evidence on a marked line (8 / 9 / 5 of 11); the floors are about two points under it.
MIN_CATEGORY = 0.70
MIN_PRIORITY = 0.79
MIN_EVIDENCE = 0.43
# Shape of the set as built (the test holds it to what was committed).
MIN_ITEMS = 11
MIN_KINDS = 15
MIN_CI = 7
MIN_ECOSYSTEMS = 8


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS19), tmp_path_factory.mktemp("corpus19"))


def test_corpus19_is_well_formed() -> None:
    items = load_items(CORPUS19)
    check_well_formed(items, ("holdout19",))
    assert len(items) >= MIN_ITEMS
    assert all(str(i["id"]).startswith("c19-") for i in items)
    check_breadth(items, kinds=MIN_KINDS)
    assert len({str(i["ci"]) for i in items}) >= MIN_CI
    assert len({str(i["ecosystem"]) for i in items}) >= MIN_ECOSYSTEMS
    # At least half of the logs come from CI systems other than GitHub Actions.
    assert sum(str(i["ci"]) != "github-actions" for i in items) * 2 >= len(items)


def test_corpus19_logs_are_long() -> None:
    items = load_items(CORPUS19)
    check_long_logs(items)
    assert max(str(i["excerpt"]).count("\n") + 1 for i in items) <= 300


def test_corpus19_is_fresh() -> None:
    check_fresh(load_items(CORPUS19), EARLIER)


def test_corpus19_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout19", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
