"""Accuracy on the sixteenth labelled set, a clean held-out set of SHORT real CI failure excerpts
(tests/data/classify/corpus16.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Sixteenth set (clean held-out excerpts)"). Each item is 5-60 lines that a public project posted in an
issue or pull-request thread whose repository owner's name starts with m-z (the fifteenth set takes a-l and
digits), with the noise around the failure the source shows. Every item was labelled and committed before
anything was run on it, and nobody working on the rules reads the set, its scores or its misses.

Scored as tests/corpus_scoring.py describes: each excerpt's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line.

`pytest -s tests/test_classify_corpus16.py` prints the tables and the misses (for the lead only).
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
CORPUS16 = DATA / "corpus16.jsonl"
# Every earlier set, corpus15 included when it is there (one that is not there is skipped).
EARLIER = sets_before(16, DATA)
# First scoring (by the lead, main c0935a8's code with key-v6 opened, ec6a0f9): 70.4% category / 73.2% exact priority /
# 73.2% evidence on a marked line; the floors are about two points under it.
# Raised after the session-9 rule work (session 9 kept it closed (its aggregate line was the rule helpers' transfer
# check); at 64c941f it scores 76.1 / 78.9 / 77.5); a point or an item under it.
MIN_CATEGORY = 0.74
MIN_PRIORITY = 0.77
MIN_EVIDENCE = 0.76
# The set's size when it was committed (below the 130 the brief aimed at; README, "Sixteenth set").
MIN_ITEMS = 71


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS16), tmp_path_factory.mktemp("corpus16"))


def test_corpus16_is_well_formed() -> None:
    items = load_items(CORPUS16)
    check_excerpt_set(items, "holdout16", least=MIN_ITEMS, kinds=40, ecosystems=40, ci_systems=8)
    # Every category of the taxonomy but flaky-test and websocket-handshake-error (none found fresh), with
    # honest unclassified items among them.
    assert len({str(i["category"]) for i in items}) >= 18
    assert any(i["category"] == "unclassified" for i in items)
    assert all(str(i["id"]).startswith("c16-") for i in items)
    # Every source a GitHub thread or file of an m-z owner.
    owners = [str(i["source"]).split("/")[3].lower() for i in items]
    assert all(str(i["source"]).startswith("https://github.com/") for i in items)
    assert all("m" <= owner[0] <= "z" for owner in owners), owners


def test_corpus16_is_fresh() -> None:
    check_fresh_threads(load_items(CORPUS16), EARLIER)


def test_corpus16_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout16", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
