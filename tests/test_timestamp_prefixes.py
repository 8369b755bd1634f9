"""Prefixes a CI console puts before every line: the clean text is the line as its tool printed it.

Jenkins' Timestamper writes `[2024-01-17T10:00:01.123Z] ` (Pipeline) or a bare time of day `10:00:01 `
(freestyle); the line after it keeps its own indentation, which multi-line rules (ghc's `    • Couldn't match`
under its `file.hs:12:5: error:` line) read.
"""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.text import clean_line
from gardener.whole_excerpt import ingest_for_classify


def test_a_bracketed_timestamp_keeps_the_lines_indentation() -> None:
    assert clean_line("[2024-01-17T10:00:01.123Z]     • Couldn't match type").text == "    • Couldn't match type"


def test_a_time_of_day_prefix_is_stripped() -> None:
    assert clean_line("10:00:01 + make test").text == "+ make test"
    assert clean_line("[10:00:01] npm ERR! code E404").text == "npm ERR! code E404"
    eslint = "12:7  error  'foo' is defined but never used"  # a line:column, not a time of day
    assert clean_line(eslint).text == eslint


def test_a_stamped_console_is_classified_like_a_plain_one(tmp_path: Path) -> None:
    lines = ["src/Cart.hs:12:5: error:", "    • Couldn't match expected type ‘Int’ with actual type ‘[Char]’",
             "    • In the expression: \"total\""]
    config = Config()
    found = []
    for name, prefix in (("plain", ""), ("iso", "[2024-01-17T10:00:01.123Z] "), ("clock", "10:00:01 ")):
        path = tmp_path / f"{name}.log"
        path.write_text("\n".join(prefix + line for line in lines) + "\n", encoding="utf-8")
        first = find(ingest_for_classify([str(path)], config.rules).results, config)[0]
        found.append((first.category, first.rule_id))
    assert found == [("compile-error", "compile.diagnostic")] * 3
