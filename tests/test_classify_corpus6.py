"""Accuracy on the sixth labelled set, a second fresh held-out one of LONG real CI logs
(tests/data/classify/corpus6.jsonl, issue 12 item 8; how it was built is in the README beside it,
"Sixth set"). Built because corpus5's misses have since steered rule work (by family), so corpus5
is no longer a clean measure. Each item is a job log portion of 49-210 lines with set-up noise,
passing steps, post-job cleanup and wrapper lines. Every item was labelled and committed (d77bb1e,
168028f) before anything was run on it, and the set is kept away from the work that improves the
rules.

Scored as tests/corpus_scoring.py describes: each log's first finding against its label (category,
exact priority, evidence on a marked line), overall and per category, ecosystem and CI system. Goal
(issue 12 acceptance): 95% category, 80% exact priority, 75% of first findings on a marked line. The
floors below are the first scoring minus about two points, so the test guards against regressions;
the gap to the goal is the work of issue 12, not something to tune this set to (labels change only
when objectively wrong, item by item in the README).

`pytest -s tests/test_classify_corpus6.py` prints the tables and the misses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus_scoring import (
    Scored,
    check_accuracy,
    check_breadth,
    check_long_logs,
    check_well_formed,
    load_items,
    score,
)

DATA = Path(__file__).parent / "data" / "classify"
CORPUS6 = DATA / "corpus6.jsonl"
CORPUS5 = DATA / "corpus5.jsonl"
# First scoring (data commits d77bb1e + 168028f, scored with main 05b792c's code): 50.0% category /
# 66.7% exact priority / 61.1% evidence on a marked line; the floors are about two points under it.
# Raised after session 5's rule work (main 75d675b: holdout6 97.2 / 97.2 / 94.4), about one item under it.
MIN_CATEGORY = 0.94
MIN_PRIORITY = 0.94
MIN_EVIDENCE = 0.91


def _repository(source: str) -> str:
    return "/".join(source.split("/")[3:5]).lower()


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(load_items(CORPUS6), tmp_path_factory.mktemp("corpus6"))


def test_corpus6_is_well_formed() -> None:
    items = load_items(CORPUS6)
    check_well_formed(items, ("holdout6",))
    assert len(items) >= 36
    check_breadth(items)
    sources = [str(i["source"]) for i in items]
    # Fresh: no file and no repository of corpus5 is used again, one item per repository.
    with CORPUS5.open(encoding="utf-8") as lines:
        earlier = [str(json.loads(line)["source"]) for line in lines if line.strip()]
    assert not set(sources) & set(earlier)
    assert not {_repository(s) for s in sources} & {_repository(s) for s in earlier}
    assert len({_repository(s) for s in sources}) == len(items)
    check_long_logs(items)


def test_corpus6_accuracy(scored: list[Scored]) -> None:
    check_accuracy("holdout6", scored, (MIN_CATEGORY, MIN_PRIORITY, MIN_EVIDENCE))
