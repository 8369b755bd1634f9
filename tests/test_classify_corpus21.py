"""Accuracy on the twenty-first labelled set, a fresh held-out set of LONG real failed CI logs from many CI systems
(tests/data/classify/corpus21.jsonl, issue 12; how it was built is in the README beside it, "Twenty-first set
(clean held-out long logs)"). Each item is a failed job's log of 60-300 lines that a public repository committed:
Jenkins consoles kept as CI tools' test fixtures or pasted in course homework, Argo-workflow and Cirrus CI logs
mirrored into archive repositories, a Julia PkgEval log, a Bitrise step's sample and GitHub Actions logs that
projects saved. Every item was labelled and committed before anything was run on it; nobody working on the rules
reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category, exact
priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal (issue 12
acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus21.py` prints the tables and the misses (for the lead only).
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
CORPUS21 = DATA / "corpus21.jsonl"
# Every earlier set (corpus, holdout2, corpus3 ... corpus20); a set not present on the branch is skipped.
EARLIER = sets_before(21, DATA)
# First scoring (by the lead, on the session's starting code f763bdd): 50.0% category / 71.4% exact priority /
# 71.4% evidence on a marked line (14 items: one item is 7 points); the floors are about two points under it.
MIN_CATEGORY = 0.48
MIN_PRIORITY = 0.69
MIN_EVIDENCE = 0.69
# Shape of the set as built (the test holds it to what was committed).
MIN_ITEMS = 14
MIN_KINDS = 20
MIN_CI = 6
MIN_ECOSYSTEMS = 14


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS21), tmp_path_factory.mktemp("corpus21"))


def test_corpus21_is_well_formed() -> None:
    items = load_items(CORPUS21)
    check_well_formed(items, ("holdout21",))
    assert len(items) >= MIN_ITEMS
    assert all(str(i["id"]).startswith("c21-") for i in items)
    check_breadth(items, kinds=MIN_KINDS)
    assert len({str(i["ci"]) for i in items}) >= MIN_CI
    assert len({str(i["ecosystem"]) for i in items}) >= MIN_ECOSYSTEMS
    # Most logs come from CI systems other than GitHub Actions (5 of 14 are Actions logs).
    assert sum(str(i["ci"]) == "github-actions" for i in items) * 5 <= len(items) * 2


def test_corpus21_logs_are_long() -> None:
    items = load_items(CORPUS21)
    check_long_logs(items)
    assert min(str(i["excerpt"]).count("\n") + 1 for i in items) >= 60
    assert max(str(i["excerpt"]).count("\n") + 1 for i in items) <= 300


def test_corpus21_is_fresh() -> None:
    check_fresh(load_items(CORPUS21), EARLIER)


def test_corpus21_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout21", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
