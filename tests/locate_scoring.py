"""Scoring "first finding on the labelled lines": logs whose explaining lines a person marked.

A log is scored by gardener's first (most fundamental) finding: its category against the label, and
whether its evidence line (the first result's line in that log) is one of the marked lines. Shared by
the family logs' test (tests/test_locate_families.py) and any labelled corpus of whole logs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.whole_excerpt import ingest_for_classify


@dataclass(frozen=True, slots=True)
class Located:
    name: str
    groups: tuple[str, ...]  # what the figures are broken down by (category, ecosystem, CI system)
    want_category: str
    got_category: str
    labelled: frozenset[int]
    got_line: int | None
    got_priority: str

    @property
    def on_line(self) -> bool:
        return self.got_line is not None and self.got_line in self.labelled

    @property
    def category_ok(self) -> bool:
        return self.got_category == self.want_category


def locate(path: Path, config: Config) -> tuple[str, int | None, str]:
    """The first finding's category, evidence line in `path` and priority (`none` when no finding)."""
    ingested = ingest_for_classify([str(path)], config.rules)
    findings = find(ingested.results, config)
    if not findings:
        return "none", None, "none"
    first = findings[0]
    lines = [r.source_line for r in first.results if r.source.path == str(path) and r.source_line is not None]
    return first.category, (lines[0] if lines else None), first.priority


def table(rows: Iterable[Located], by: int) -> str:
    """Per value of `groups[by]`: items, category right, first finding on the labelled lines."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        counts = per[row.groups[by]]
        counts[0] += 1
        counts[1] += row.category_ok
        counts[2] += row.on_line
    out = [f"{'':28} {'n':>4} {'category':>9} {'on line':>8}"]
    for name, (n, cat, line) in sorted(per.items()):
        out.append(f"{name:28} {n:>4} {cat / n:>9.0%} {line / n:>8.0%}")
    return "\n".join(out)
