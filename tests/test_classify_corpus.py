"""Accuracy on the labelled corpus of real CI failure excerpts (tests/data/classify/corpus.jsonl).

Each excerpt is written to a file, ingested as `gardener classify` does, and its first (most
fundamental) finding is compared with the label. Items are split deterministically (sha1 of the
id): rules were tuned only on the dev split; the held-out split measures generalisation.
Run with `pytest -s tests/test_classify_corpus.py` to see the per-category table.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.whole_excerpt import ingest_for_classify

CORPUS = Path(__file__).parent / "data" / "classify" / "corpus.jsonl"
HELD_OUT_TENTHS = 3
# The levels reached when the rule pack was last tuned, minus about two points.
MIN_CATEGORY = 0.96
MIN_PRIORITY = 0.95


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    split: str
    want: tuple[str, str]
    got: tuple[str, str]


def split_of(item_id: str) -> str:
    bucket = int(hashlib.sha1(item_id.encode()).hexdigest()[:8], 16) % 10
    return "held-out" if bucket < HELD_OUT_TENTHS else "dev"


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    items = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    root = tmp_path_factory.mktemp("corpus")
    config = Config()
    out = []
    for item in items:
        path = root / f"{item['id']}.txt"
        path.write_text(item["excerpt"], encoding="utf-8")
        ing = ingest_for_classify([str(path)], config.rules)
        findings = find(ing.results, config)
        got = (findings[0].category, findings[0].priority) if findings else ("none", "none")
        out.append(Scored(item["id"], split_of(item["id"]), (item["category"], item["priority"]), got))
    return out


def _table(rows: list[Scored]) -> str:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in rows:
        c = per[s.want[0]]
        c[0] += 1
        c[1] += s.got[0] == s.want[0]
        c[2] += s.got == s.want
    lines = [f"{'category':28} {'n':>4} {'category':>9} {'priority':>9}"]
    for name, (n, cat, pri) in sorted(per.items()):
        lines.append(f"{name:28} {n:>4} {cat / n:>9.0%} {pri / n:>9.0%}")
    return "\n".join(lines)


def _accuracy(rows: list[Scored]) -> tuple[float, float]:
    n = len(rows) or 1
    return sum(s.got[0] == s.want[0] for s in rows) / n, sum(s.got[1] == s.want[1] for s in rows) / n


def test_corpus_is_large_and_covers_every_category(scored: list[Scored]) -> None:
    assert len(scored) >= 150
    per_category: dict[str, int] = defaultdict(int)
    for s in scored:
        per_category[s.want[0]] += 1
    assert len(per_category) == 18 and min(per_category.values()) >= 3


def test_accuracy(scored: list[Scored]) -> None:
    for split in ("dev", "held-out"):
        rows = [s for s in scored if s.split == split]
        cat, pri = _accuracy(rows)
        print(f"\n{split}: {len(rows)} items, category {cat:.1%}, exact priority {pri:.1%}\n{_table(rows)}")
    misses = [f"{s.id}: want {s.want} got {s.got}" for s in scored if s.got != s.want]
    print("\nmisses:\n" + "\n".join(misses))
    cat, pri = _accuracy(scored)
    print(f"\noverall: category {cat:.1%}, exact priority {pri:.1%}")
    assert cat >= MIN_CATEGORY, misses
    assert pri >= MIN_PRIORITY, misses
