"""Anchor needles (runner_log/anchor_needles.py): a rule passed over by its needles is one that could not
have matched, so match_anchor decides every line as trying each rule in turn does; the cache is a cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener import regex as re
from gardener.ingest.runner_log import anchor_needles, anchors

DATA = Path(__file__).resolve().parents[1] / "data"


def _lines() -> list[str]:
    found: set[str] = set()
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and path.suffix in (".log", ".txt", ".xml", ".jsonl", ".json"):
            with path.open(encoding="utf-8", errors="replace") as fh:
                found.update(line.rstrip("\n")[:2000] for _, line in zip(range(5000), fh, strict=False))
    # The two characters RE2 folds to an ASCII letter, where Python's lower() does not.
    found.update(("No \u017fpace left on device", "\u212Billed", "npm ERR! code ENO\u017fPC"))
    return sorted(found)


def _decided(text: str, marker: str) -> tuple[object, ...] | None:
    a = anchors.match_anchor(text, marker)
    return None if a is None else (id(a.rule), a.subject, a.matched)


def test_gated_rules_decide_every_line_as_trying_each_rule_does(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines()
    assert len(lines) > 5000
    gated = [(_decided(t, ""), _decided(t, "error")) for t in lines]
    assert any(g is not None for g in anchors._gates())
    monkeypatch.setattr(anchors, "_GATES", tuple(None for _ in anchors.RULES))  # every rule tried, as before
    tried = [(_decided(t, ""), _decided(t, "error")) for t in lines]
    assert gated == tried


def test_a_gate_opens_where_re2_would_match() -> None:
    folded = anchor_needles._worked_out(re.lazy("no space left", re.IGNORECASE))
    assert folded == (("no space left",), True)
    for text in ("NO SPACE LEFT", "no \u017fpace left", "No Space Left"):
        assert anchor_needles.opens(folded, text, anchor_needles.folded(text))
        assert re.compile("no space left", re.IGNORECASE).search(text)
    exact = anchor_needles._worked_out(re.lazy(r"\bENOSPC\b"))
    assert exact == (("ENOSPC",), False)
    assert not anchor_needles.opens(exact, "enospc", "enospc")
    assert anchor_needles._worked_out(re.lazy(r"^\d+ failed")) == ((" failed",), False)
    assert anchor_needles._worked_out(re.lazy(r"[[:space:]]x+y")) is None  # read unlike RE2: no gate


def test_the_gates_are_cached_and_a_bad_cache_file_is_a_miss(tmp_path: Path) -> None:
    patterns = (re.lazy("connection refused", re.IGNORECASE), re.lazy(r"\d+"))
    env = {"GARDENER_CACHE": str(tmp_path)}
    first = anchor_needles.gates_for(patterns, env)
    assert first == ((("connection refused",), True), None)
    (entry,) = (tmp_path / "needles").glob("anchors-*.json")
    assert anchor_needles.gates_for(patterns, env) == first
    entry.write_text('{"format": "gardener-anchor-needles-1", "gates": [["x", 1], null]}', encoding="utf-8")
    assert anchor_needles.gates_for(patterns, env) == first  # a gate that is not one: worked out again
    entry.write_text("not json", encoding="utf-8")
    assert anchor_needles.gates_for(patterns, env) == first
    assert anchor_needles.gates_for(patterns[:1], env) == first[:1]  # other patterns: another entry
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert anchor_needles.gates_for(patterns, {"GARDENER_CACHE": str(blocked)}) == first  # unwritable: no error


@pytest.mark.parametrize("line", [
    "error: failed to push some refs to 'https://github.com/acme/app'",
    "npm err! code enospc",
    "e: file:///src/main.kt:12:5 unresolved reference: foo",
    "process completed with exit code 137",
    "collecting pkg12==1.3 (from -r requirements.txt (line 4))",
    "requirement already satisfied: six in /opt/venv/lib/python3.12/site-packages",
    "",
    "\u212Billed by signal 9",  # Kelvin sign: RE2 folds it under (?i) only; _HINTS has no (?i), neither does the Set
])
def test_the_hint_set_answers_as_the_hint_search(line: str) -> None:
    # match_anchor's shortcut asks an RE2 Set (no reverse program) what _HINTS.search would say.
    assert anchors._has_hint(line) is (anchors._HINTS.search(line) is not None)
