"""Accuracy on the twenty-second labelled set, a fresh held-out set of LONG real failed CI logs from CI systems the
earlier long-log sets lacked (tests/data/classify/corpus22.jsonl, issue 12; how it was built is in the README beside
it, "Twenty-second set (clean held-out long logs)"). Each item is a failed job's log of 60-300 lines that was made
public in a repository or on a mailing list: Azure Pipelines, App Center and GitHub Actions log archives that
projects saved, a GitLab runner log an app's author kept, a Travis CI log pasted into a blog post, and, read from
mailing-list archives, a GitLab CI log pasted into a patch e-mail, a LAVA lab's job notification and a 0-day kernel
test robot build report quoted in a reply. Every item was labelled and committed before anything was run on it;
nobody working on the rules reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category, exact
priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal (issue 12
acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus22.py` prints the tables and the misses (for the lead only).
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
CORPUS22 = DATA / "corpus22.jsonl"
# Every earlier set (corpus, holdout2, corpus3 ... corpus21); a set not present on the branch is skipped.
EARLIER = sets_before(22, DATA)
# First scoring (by the lead, on the session's starting code f763bdd): 60.0% category / 50.0% exact priority /
# 90.0% evidence on a marked line (10 items: one item is 10 points); the floors are about two points under it.
MIN_CATEGORY = 0.58
MIN_PRIORITY = 0.48
MIN_EVIDENCE = 0.88
# Shape of the set as built (the test holds it to what was committed).
MIN_ITEMS = 10
MIN_KINDS = 17
MIN_CI = 7
MIN_ECOSYSTEMS = 10


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS22), tmp_path_factory.mktemp("corpus22"))


def test_corpus22_is_well_formed() -> None:
    items = load_items(CORPUS22)
    check_well_formed(items, ("holdout22",))
    assert len(items) >= MIN_ITEMS
    assert all(str(i["id"]).startswith("c22-") for i in items)
    check_breadth(items, kinds=MIN_KINDS)
    assert len({str(i["ci"]) for i in items}) >= MIN_CI
    assert len({str(i["ecosystem"]) for i in items}) >= MIN_ECOSYSTEMS
    # The set exists for CI systems other than GitHub Actions: at most three Actions logs.
    assert sum(str(i["ci"]) == "github-actions" for i in items) <= 3


def test_corpus22_logs_are_long() -> None:
    items = load_items(CORPUS22)
    check_long_logs(items)
    assert max(str(i["excerpt"]).count("\n") + 1 for i in items) <= 300


def test_corpus22_is_fresh() -> None:
    check_fresh(load_items(CORPUS22), EARLIER)


def test_corpus22_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout22", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
