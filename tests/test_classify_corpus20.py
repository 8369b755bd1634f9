"""Accuracy on the twentieth labelled set, a clean held-out set of SHORT real CI failure excerpts
(tests/data/classify/corpus20.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Twentieth set (clean held-out excerpts)"). Each item is 5-60 lines that a public project posted in an
issue or pull-request thread, with the noise around the failure the source shows, weighted towards the
failures a real team meets (test assertions, timeouts and exceptions, dependency installs, compile and lint,
docker and registries, the CI runner) across pytest/pip/uv, npm/pnpm/jest/vitest/mocha, Maven/Gradle/JUnit,
Go, cargo, .NET, Ruby, PHP, docker/BuildKit/compose, the Actions runner and Jenkins, plus a long tail. Every
item was labelled and committed before anything was run on it, and nobody working on the rules reads the
set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each excerpt's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus20.py` prints the tables and the misses (for the lead only).
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
CORPUS20 = DATA / "corpus20.jsonl"
# Every earlier set, corpus19 included (one that is not there is skipped).
EARLIER = sets_before(20, DATA)
# First scoring (by the lead, on the session's starting code f763bdd): 89.7% category / 90.5% exact priority /
# 91.4% evidence on a marked line; the floors are about two points under it.
MIN_CATEGORY = 0.87
MIN_PRIORITY = 0.88
MIN_EVIDENCE = 0.89
# The set's size when it was committed (README, "Twentieth set").
MIN_ITEMS = 116


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS20), tmp_path_factory.mktemp("corpus20"))


def test_corpus20_is_well_formed() -> None:
    items = load_items(CORPUS20)
    check_excerpt_set(items, "holdout20", least=MIN_ITEMS, kinds=90, ecosystems=80, ci_systems=8)
    # Every category of the taxonomy, at least 4 items each, honest unclassified items among them.
    categories = [str(i["category"]) for i in items]
    assert len(set(categories)) == 20
    assert min(categories.count(c) for c in set(categories)) >= 4
    assert all(str(i["id"]).startswith("c20-") for i in items)
    assert all(str(i["source"]).startswith("https://github.com/") for i in items)
    # Every item says what could mislead a reader and why it carries its label.
    assert all(str(i["trap"]) and str(i["note"]) for i in items)


def test_corpus20_is_fresh() -> None:
    check_fresh_threads(load_items(CORPUS20), EARLIER)


def test_corpus20_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout20", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
