"""GitHub renders `$...$` and `$$...$$` in issues, comments and markdown files as LaTeX math (MathJax): a log line
holding `$\\color{red}{...}$` would be typeset, recoloured or resized in a worklog or an issue. Untrusted text shown
as prose (titles, headings, table cells, root causes) has every `$` escaped (GitHub honours `\\$`); in code spans and
fenced blocks it stays verbatim (GitHub does not look for math there).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gardener
from gardener.view.markdown_safe import cell, code_span, inline

MATH = "expected $\\color{red}{A}$ got $$\\infty$$ for $x and $ y"


def _live_dollars(markdown: str) -> list[str]:
    """The lines of `markdown` holding a `$` that is neither backslash-escaped nor inside a code span or a fence."""
    live: list[str] = []
    fence = ""
    for line in markdown.splitlines():
        stripped = line.lstrip()
        run = len(stripped) - len(stripped.lstrip("`~"))
        if fence:
            if stripped.startswith(fence) and not stripped[len(fence):].strip("`~").strip():
                fence = ""
            continue
        if run >= 3 and stripped[0] in "`~":
            fence = stripped[:run]
            continue
        if _has_live_dollar(line):
            live.append(line)
    return live


def _has_live_dollar(line: str) -> bool:
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            i += 2  # an escaped character, `\$` included
            continue
        if c == "`":
            j = i
            while j < len(line) and line[j] == "`":
                j += 1
            ticks = line[i:j]
            close = line.find(ticks, j)
            while close != -1 and close + len(ticks) < len(line) and line[close + len(ticks)] == "`":
                close = line.find(ticks, close + len(ticks) + 1)
            if close != -1:
                i = close + len(ticks)
                continue
            i = j
            continue
        if c == "$":
            return True
        i += 1
    return False


def test_the_checker_sees_live_and_inert_dollars() -> None:
    assert _has_live_dollar("cost $x$") and _has_live_dollar("`a` $b$")
    assert not _has_live_dollar("cost \\$x\\$ and `$y$` and ``a`$`b``")
    assert _live_dollars("```\n$x$\n```\nok \\$\n") == []


@pytest.mark.parametrize("render", [inline, cell], ids=["inline", "cell"])
def test_dollars_in_prose_and_cells_are_escaped(render: object) -> None:
    assert callable(render)
    out = render(MATH)
    assert not _has_live_dollar(out), out
    assert out.replace("\\$", "$").replace("\\\\", "\\") == MATH  # shown as written
    assert not _has_live_dollar(render("a `$x$` code span and $$y$$"))


def test_dollars_in_code_spans_stay_verbatim() -> None:
    assert code_span(MATH) == f"`{MATH}`"
    assert inline("see `$x$` here") == "see `$x$` here"


ENV = {**os.environ, "PYTHONPATH": str(Path(gardener.__file__).parent.parent)}


def test_no_worklog_or_summary_holds_live_math(tmp_path: Path) -> None:
    # The path a rule captures is the finding's title, a heading and a table row's text.
    log = tmp_path / "build.log"
    log.write_text("Run make\nError: EACCES: permission denied, open '/w/$\\color{red}{x}$/$$y$$.txt'\n"
                   "Error: Process completed with exit code 1.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "gardener", "run", "--no-history", "--out", str(out), str(log)],
                          capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    written = sorted(out.glob("*.md"))
    assert len(written) == 2
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "/w/" in text
        assert _live_dollars(text) == [], path.name
