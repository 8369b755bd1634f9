"""line_category's table gated by its patterns' needles (anchor_needles.py): a pattern passed over because the line
lacks its literals is one that could not have matched, so name_line names every line as searching each does."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener import line_category
from tests.ingest.test_anchor_needles import _lines


def _named(text: str) -> tuple[str, str] | None:
    named = line_category.name_line(text)
    return None if named is None else (named.category, named.words)


def test_gated_table_names_every_line_as_searching_each_pattern_does(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines()  # every line of the test data, and the two characters RE2 folds to an ASCII letter
    assert len(lines) > 5000
    gated = [_named(t) for t in lines]
    gates = line_category._table_gates()
    assert sum(g is not None for g in gates) > len(gates) // 2  # most patterns have needles
    assert sum(g is not None for g in gated) > 100  # lines the table names: the comparison is not of Nones
    monkeypatch.setattr(line_category, "_GATES", tuple(None for _ in line_category._TABLE))  # every pattern searched
    assert [_named(t) for t in lines] == gated


def test_the_table_gates_have_their_own_cache_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GARDENER_CACHE", str(tmp_path))
    monkeypatch.setattr(line_category, "_GATES", None)
    first = line_category._table_gates()
    (entry,) = (tmp_path / "needles").glob("line-category-*.json")  # beside the anchor rules' entry, not over it
    monkeypatch.setattr(line_category, "_GATES", None)
    assert line_category._table_gates() == first  # read back
    entry.write_text("not json", encoding="utf-8")
    monkeypatch.setattr(line_category, "_GATES", None)
    assert line_category._table_gates() == first  # a bad entry is a miss
