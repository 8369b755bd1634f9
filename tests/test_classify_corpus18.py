"""Accuracy on the eighteenth labelled set, a clean held-out set of SHORT real CI failure excerpts
(tests/data/classify/corpus18.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Eighteenth set (clean held-out excerpts)"). Each item is 5-60 lines that a public project posted in an
issue or pull-request thread, with the noise around the failure the source shows, weighted towards the
mainstream ecosystems real teams run (pytest/pip/uv, npm/pnpm/jest/mocha/bun, Maven/Gradle, Go, cargo, .NET,
Ruby, PHP, docker, the Actions runner, Travis, Jenkins). Every item was labelled and committed before anything
was run on it, and nobody working on the rules reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each excerpt's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus18.py` prints the tables and the misses (for the lead only).
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
CORPUS18 = DATA / "corpus18.jsonl"
# Every earlier set, corpus17 included (one that is not there is skipped).
EARLIER = sets_before(18, DATA)
# First scoring (by the lead, on the session's starting code afbbdba): 84.4% category / 86.7% exact priority /
# 89.8% evidence on a marked line; the floors are about two points under it.
MIN_CATEGORY = 0.82
MIN_PRIORITY = 0.84
MIN_EVIDENCE = 0.87
# The set's size when it was committed (README, "Eighteenth set").
MIN_ITEMS = 128


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS18), tmp_path_factory.mktemp("corpus18"))


def test_corpus18_is_well_formed() -> None:
    items = load_items(CORPUS18)
    check_excerpt_set(items, "holdout18", least=MIN_ITEMS, kinds=50, ecosystems=40, ci_systems=8)
    # Every category of the taxonomy, with honest unclassified items among them.
    assert len({str(i["category"]) for i in items}) >= 20
    assert any(i["category"] == "unclassified" for i in items)
    assert all(str(i["id"]).startswith("c18-") for i in items)
    assert all(str(i["source"]).startswith("https://github.com/") for i in items)


def test_corpus18_is_fresh() -> None:
    check_fresh_threads(load_items(CORPUS18), EARLIER)


def test_corpus18_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout18", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
