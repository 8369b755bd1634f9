"""Accuracy on the third labelled set: real CI failures from many languages and CI systems
(tests/data/classify/corpus3.jsonl, issue 12 item 8; how it was built is in the README beside it).

Each excerpt is written to a neutrally named file, ingested as `gardener classify` does, and its
first (most fundamental) finding is compared with the label; no finding counts as
`unclassified`/P2. Three measures, overall, per split (`train` / `holdout3`), per category and per
ecosystem:

- category: the first finding's category equals the label;
- exact priority: its priority equals the label;
- evidence on a marked line: a line the first finding gives as its evidence is one of the item's
  `failing_lines`. A finding's evidence lines are where its failing results were read
  (`Source.line`), and, for a result read without a line, the excerpt lines holding the first line of
  its message (the error line the worklog quotes).

Goal (issue 12 acceptance, measured on held-out material like `holdout3`): 95% category, 80% exact
priority, 75% of first findings on a marked line. The floors asserted below are what the code met
when this set was first scored (minus about two points from the lowest of train, holdout3 and
both together), so the test guards against regressions and stays green; the gap to the goal is the
work of issue 12, not something to tune this set to. First scoring (commit 75176ce, before gardener
had any `compile-error` / `lint-failure` rule): train 48.1% / 67.7% / 57.9%, holdout3 44.6% / 69.1% /
52.9% (category / exact priority / evidence on a marked line); the README beside the data has the
tables.

`pytest -s tests/test_classify_corpus3.py` prints the tables; `CORPUS3_SPLIT=train` (or
`holdout3`) scores one split only.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding
from gardener.whole_excerpt import ingest_for_classify

CORPUS3 = Path(__file__).parent / "data" / "classify" / "corpus3.jsonl"
NO_FINDING = ("unclassified", "P2")
SPLITS = ("train", "holdout3")
# Floors the current code meets (see the module docstring); the goal is 95% / 80% / 75%.
# Raised with issue 12's locator, categories and priority moves (any-ci-log): overall 82.8% / 87.6% / 79.2%,
# holdout3 alone 75.0% / 82.8% / 70.6%; the floors hold for either split alone, minus about two points.
# Raised again with ci-log-rules (families_more.py, errors a job went on from, more runners' summaries): train
# 97.0% / 97.0% / 92.6%, holdout3 91.7% / 94.1% / 87.3% (holdout3 had been looked at for which mechanisms
# generalise badly, so its figures flatter); the floors sit about three points under holdout3.
MIN_CATEGORY = 0.88
MIN_PRIORITY = 0.90
MIN_EVIDENCE = 0.84


@dataclass(frozen=True, slots=True)
class Scored3:
    id: str
    split: str
    category: str
    ecosystem: str
    ci: str
    want: tuple[str, str]
    got: tuple[str, str]
    on_marked_line: bool

    @property
    def category_ok(self) -> bool:
        return self.got[0] == self.want[0]

    @property
    def priority_ok(self) -> bool:
        return self.got[1] == self.want[1]


def _items() -> list[dict[str, object]]:
    lines = CORPUS3.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evidence_lines(finding: Finding, excerpt: str) -> frozenset[int]:
    """The 1-based excerpt lines a finding gives as its evidence (see the module docstring)."""
    lines = excerpt.split("\n")
    found: set[int] = set()
    for r in finding.results:
        if not r.is_failing:
            continue
        if r.source.line is not None:
            found.add(r.source.line)
            continue
        first = r.message.strip().splitlines()[0].strip() if r.message.strip() else ""
        if first:
            found.update(n for n, text in enumerate(lines, 1) if first in text)
    return frozenset(found)


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored3]:
    wanted = os.environ.get("CORPUS3_SPLIT", "")
    root = tmp_path_factory.mktemp("corpus3")
    config = Config()
    out = []
    for n, item in enumerate(_items()):
        if wanted and item["split"] != wanted:
            continue
        excerpt = str(item["excerpt"])
        # Neutral file names: the label must not leak into the input through its name.
        path = root / f"excerpt-{n:03}.txt"
        path.write_text(excerpt, encoding="utf-8")
        findings = find(ingest_for_classify([str(path)], config.rules).results, config)
        got = (findings[0].category, findings[0].priority) if findings else NO_FINDING
        marked = set(item["failing_lines"]) if isinstance(item["failing_lines"], list) else set()
        on_line = bool(findings) and bool(evidence_lines(findings[0], excerpt) & marked)
        out.append(Scored3(str(item["id"]), str(item["split"]), str(item["category"]), str(item["ecosystem"]),
                           str(item["ci"]), (str(item["category"]), str(item["priority"])), got, on_line))
    return out


def rates(rows: Sequence[Scored3]) -> tuple[float, float, float]:
    n = len(rows) or 1
    return (sum(s.category_ok for s in rows) / n, sum(s.priority_ok for s in rows) / n,
            sum(s.on_marked_line for s in rows) / n)


def table(title: str, rows: Sequence[Scored3], key: Callable[[Scored3], str]) -> str:
    groups: dict[str, list[Scored3]] = defaultdict(list)
    for s in rows:
        groups[key(s)].append(s)
    out = [f"{title:30} {'n':>4} {'category':>9} {'priority':>9} {'evidence':>9}"]
    for name, group in sorted(groups.items()):
        cat, pri, ev = rates(group)
        out.append(f"{name:30} {len(group):>4} {cat:>9.0%} {pri:>9.0%} {ev:>9.0%}")
    return "\n".join(out)


def test_corpus3_is_well_formed() -> None:
    items = _items()
    ids = [str(i["id"]) for i in items]
    assert len(ids) == len(set(ids))
    for item in items:
        excerpt = str(item["excerpt"])
        lines = item["failing_lines"]
        assert isinstance(lines, list) and lines, item["id"]
        assert all(isinstance(n, int) and 1 <= n <= excerpt.count("\n") + 1 for n in lines), item["id"]
        assert item["split"] in SPLITS and item["priority"] in ("P0", "P1", "P2", "P3"), item["id"]
        assert str(item["source"]).startswith("https://"), item["id"]
    held = sum(1 for i in items if i["split"] == "holdout3")
    assert held >= 0.3 * len(items)


def test_corpus3_accuracy(scored: list[Scored3]) -> None:
    for split in SPLITS:
        rows = [s for s in scored if s.split == split]
        if not rows:
            continue
        cat, pri, ev = rates(rows)
        print(f"\n{split}: {len(rows)} items, category {cat:.1%}, exact priority {pri:.1%}, "
              f"evidence on a marked line {ev:.1%}")
        print(table("category", rows, lambda s: s.category))
        print(table("ecosystem", rows, lambda s: s.ecosystem))
        print(table("ci", rows, lambda s: s.ci))
    misses = [f"{s.id}: want {s.want} got {s.got}{'' if s.on_marked_line else ' (evidence off the marked lines)'}"
              for s in scored if s.got != s.want or not s.on_marked_line]
    print("\nmisses:\n" + "\n".join(misses))
    cat, pri, ev = rates(scored)
    print(f"\noverall: {len(scored)} items, category {cat:.1%}, exact priority {pri:.1%}, "
          f"evidence on a marked line {ev:.1%}")
    assert cat >= MIN_CATEGORY and pri >= MIN_PRIORITY and ev >= MIN_EVIDENCE, misses
