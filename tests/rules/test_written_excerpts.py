"""Rules for the failure families real held-out CI output missed, on excerpts written after each tool's format.

tests/data/rules/written_excerpts.jsonl: one excerpt per line with the category, priority and rule that
must explain it (`modelled_on` cites the public thread whose output the excerpt follows, where one did).
They are written, not collected, so they test the rules' generality rather than score them: the scored
real material is tests/data/classify/corpus3.jsonl. Several excerpts pin a boundary (`note`): the same
words in another context belong to another category.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.whole_excerpt import ingest_for_classify
from tests.rules.excerpt_first import written

ITEMS = written("written_excerpts")


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"  # a neutral name: the label must not leak through it
    path.write_text(item["excerpt"], encoding="utf-8")
    findings = find(ingest_for_classify([str(path)], config.rules).results, config)
    assert findings, item["id"]
    first = findings[0]
    assert (first.category, first.priority, first.rule_id) == (item["category"], item["priority"], item["rule"])


def test_the_runner_network_rules_name_the_host_they_could_not_reach(config: Config, tmp_path: Path) -> None:
    titles = {}
    for name in ("net5", "dp15"):
        item = next(i for i in ITEMS if i["id"] == name)
        path = tmp_path / f"{name}.txt"
        path.write_text(item["excerpt"], encoding="utf-8")
        titles[name] = find(ingest_for_classify([str(path)], config.rules).results, config)[0].title
    assert titles == {
        "net5": "Runner cannot reach dev.azure.com while checking out the repository",
        "dp15": "Runner cannot reach proxy.golang.org while fetching dependencies",
    }


def test_composers_script_wrapper_is_never_the_evidence(config: Config, tmp_path: Path) -> None:
    item = next(i for i in ITEMS if i["id"] == "imp1")
    path = tmp_path / "excerpt.txt"
    path.write_text(item["excerpt"], encoding="utf-8")
    (first, *_) = find(ingest_for_classify([str(path)], config.rules).results, config)
    lines = {r.source_line for r in first.results}
    assert lines == {2}, lines  # `PHP Fatal error: ...`, not `Script vendor/bin/phpunit handling the test event ...`
