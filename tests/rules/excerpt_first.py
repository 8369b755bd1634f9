"""The first finding gardener gives one written excerpt, as `gardener classify` reads a pasted log, and the written
excerpt sets it is checked on (shared by the written-excerpt tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding
from gardener.whole_excerpt import ingest_for_classify


def first_finding_of(text: str, config: Config, tmp_path: Path) -> Finding:
    path = tmp_path / "excerpt.txt"  # a neutral name: the label must not leak through it
    path.write_text(text, encoding="utf-8")
    findings = find(ingest_for_classify([str(path)], config.rules).results, config)
    assert findings, text
    return findings[0]


def written(name: str) -> list[dict[str, Any]]:
    """The items of tests/data/rules/`name`.jsonl."""
    path = Path(__file__).parents[1] / "data" / "rules" / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> Finding:
    """The item's first finding has its labelled category, priority and rule."""
    first = first_finding_of(item["excerpt"], config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == (item["category"], item["priority"], item["rule"])
    return first
