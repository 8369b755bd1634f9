"""The first finding gardener gives one written excerpt, as `gardener classify` reads a pasted log (shared by the
written-excerpt tests)."""

from __future__ import annotations

from pathlib import Path

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
