"""The first finding gardener gives one written excerpt, as `gardener classify` reads a pasted log, and the written
excerpt sets it is checked on (shared by the written-excerpt tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gardener.config import Config
from gardener.model import Finding
from tests.corpus_scoring import classified


def first_finding_of(text: str, config: Config, tmp_path: Path) -> Finding:
    path = tmp_path / "excerpt.txt"  # a neutral name: the label must not leak through it
    path.write_text(text, encoding="utf-8")
    findings = classified(path, config)
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


def assert_modelled_on_fresh_threads(items: list[dict[str, Any]], open_sets: tuple[str, ...]) -> None:
    """Every written item is modelled on a GitHub thread none of `open_sets` (labelled sets under
    tests/data/classify) cites, and ids are unique."""
    classify = Path(__file__).parents[1] / "data" / "classify"
    cited = {
        json.loads(line)["source"].split("#")[0].rstrip("/").lower()
        for name in open_sets
        if (classify / f"{name}.jsonl").exists()
        for line in (classify / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    for item in items:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert item["modelled_on"].lower() not in cited, item["id"]
    assert len({i["id"] for i in items}) == len(items)
