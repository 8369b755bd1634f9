"""Accuracy on the eighth labelled set, a TRAINING set of LONG real CI logs for the rule writers
(tests/data/classify/corpus8.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Eighth set (training)"). Each item is a job log portion of 43-141 lines with set-up noise, passing
steps, post-job cleanup and wrapper lines. Every item was labelled and committed (7e47ac2, 797fc0a)
before anything was run on it. Unlike corpus6/corpus7 this set is meant to be read and tuned on; its
sources are disjoint from the held-out corpus7 by owner name (n-z or a digit here, a-m there) and
share no repository with corpus3-6.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. The
floors below are the first scoring minus a few points, so the test guards against regressions; as
rules are written from this set its figures should rise (raise the floors with them).

`pytest -s tests/test_classify_corpus8.py` prints the tables and the misses.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from tests.corpus_scoring import (
    Scored,
    check_accuracy,
    check_breadth,
    check_fresh,
    check_well_formed,
    load_items,
    score,
)

DATA = Path(__file__).parent / "data" / "classify"
CORPUS8 = DATA / "corpus8.jsonl"
EARLIER = tuple(DATA / f"corpus{n}.jsonl" for n in (3, 4, 5, 6))
# First scoring (data commits 7e47ac2 + 797fc0a, scored with main a2dbd78's code): see the README's
# "First scoring (eighth set)": 55.6% category / 63.9% exact priority / 69.4% evidence on a
# marked line; the floors are about three points under it.
# Raised after session 5's rule work (main 75d675b: train8 94.4 / 91.7 / 97.2), about one item under it.
MIN_CATEGORY = 0.91
MIN_PRIORITY = 0.88
MIN_EVIDENCE = 0.94


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS8), tmp_path_factory.mktemp("corpus8"))


def test_corpus8_is_well_formed() -> None:
    items = load_items(CORPUS8)
    check_well_formed(items, ("train8",))
    assert len(items) >= 36
    check_breadth(items)
    check_fresh(items, EARLIER, owners="nopqrstuvwxyz0123456789")  # corpus7 takes a-m


def test_corpus8_logs_are_long() -> None:
    """The brief's 40-150 lines per log, most of them 60 or more."""
    lengths = [str(i["excerpt"]).count("\n") + 1 for i in load_items(CORPUS8)]
    assert min(lengths) >= 40 and max(lengths) <= 150
    assert statistics.median(lengths) >= 60


def test_corpus8_accuracy(scored: list[Scored]) -> None:
    check_accuracy("train8", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
