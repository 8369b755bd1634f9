"""Whole documents over hostile input: the worklog, the summary, an issue body and a comment, rendered from
results whose test names, messages, details, files, job and step names and attempts hold markdown, parsed
back with a CommonMark parser (markdown-it-py, raw HTML on as GitHub keeps `<img>`, GFM tables and
strikethrough on). Nothing from the input may become a link, an image, raw HTML or a block of its own."""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gardener import render
from gardener.config import Config
from gardener.garden.drafts import Drafts
from gardener.model import Attempt, FileReport, Result, Source
from gardener.pipeline import RunOptions, build_report, write_documents
from gardener.plan.wording import fragment
from gardener.tracker.markers import Marker
from gardener.view.common import Ctx

GFM = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
WHEN = datetime(2024, 5, 1, tzinfo=UTC)
# Each block marker is followed by PWN: a block the input opened would start its text with it.
PIECES = (
    "[click](https://evil.example)", "![img](https://evil.example/p.png)", "<img src=x onerror=alert(1)>",
    "<details>", "</details>", "<!--", "<https://evil.example>", "[x]: https://evil.example", "`", "``", "```",
    "\n# PWN", "\n> PWN", "\n- PWN", "\n1. PWN", "\n| PWN |", "\n---\n", "\n===\n", "\n```PWN\n", "\n    PWN",
    "*", "_", "~~", "\\", "|", "&lt;img&gt;", "@user", "#123", " ", "\n", "AssertionError: ", "FAILED ",
    "Traceback (most recent call last):\n", "pull access denied for x", "No module named 'y'",
)
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=10).map("".join)
ALLOWED_HTML = re.compile(r"<details><summary>\d+ tests affected</summary>|</details>|</?sub>")


@st.composite
def runs(draw: st.DrawFn) -> tuple[tuple[Result, ...], tuple[Attempt, ...]]:
    found = []
    for i in range(draw(st.integers(1, 13))):
        props = tuple((k, draw(text)) for k in draw(st.sets(st.sampled_from(("job", "step", "job_step")))))
        found.append(Result(
            id=f"spec/{draw(text)}_spec.rb::{draw(text)}", outcome=draw(st.sampled_from(("failed", "error"))),
            source=Source(f"logs/{draw(text)}.log", "junit"), source_line=i + 1, message=draw(text),
            error_type=draw(st.sampled_from(("", "AssertionError"))), details=draw(text),
            file=draw(st.one_of(st.none(), text)), properties=props,
        ))
    attempt = Attempt(draw(text), draw(text), None, draw(st.sampled_from(("FAILED", "SUCCESS WITH WARNINGS"))),
                      1, 1.0, draw(text), None, (), WHEN)
    return tuple(found), (attempt,)


def inert(markdown: str, where: str) -> None:
    tokens = GFM.parse(markdown)
    # A table cell may begin with input text ("PWN" of a flattened "\n    PWN"); any other block may not.
    in_cell = {id(t) for before, t in pairwise(tokens) if before.type in ("td_open", "th_open")}
    everything: list[Token] = [*tokens, *(c for t in tokens for c in t.children or ())]
    for t in everything:
        assert t.type != "image", (where, t)
        assert not (t.type == "link_open" and "evil" in str(t.attrs.get("href", ""))), (where, t)
        if t.type in ("html_inline", "html_block"):
            assert ALLOWED_HTML.fullmatch(t.content.strip()), (where, t.content)
        if t.type == "fence":
            assert t.info in ("", "console", "mermaid"), (where, t.info)
        if t.type == "heading_open":
            assert t.markup.startswith("#"), (where, "a setext heading", t.map)
        if t.type == "inline" and id(t) not in in_cell:
            assert not t.content.startswith("PWN"), (where, "a block opened by the input", t.map)
    assert "code_block" not in {t.type for t in tokens}, where


@given(runs())
@example(((Result(id="spec/cart_spec.rb::Cart ` ![pix](http://evil.example/p.png) ` totals", outcome="failed",
                  source=Source("rspec.log", "junit"), source_line=1, message="Failure/Error: [x](http://evil.example)",
                  properties=(("job", "build `[x](http://evil.example)`"),)),), ()))
@example(((Result(id="t::x", outcome="failed", source=Source("a.log", "junit"), source_line=1,
                  properties=(("step", "[click](https://evil.example)"),)),),
          (Attempt("", "", None, "SUCCESS WITH WARNINGS", 1, 1.0, "\n    PWN", None, (), WHEN),)))
def test_no_input_text_renders_live_in_any_document(run: tuple[tuple[Result, ...], tuple[Attempt, ...]]) -> None:
    found, attempts = run
    files = (FileReport(path="in.xml", kind="junit"),)
    ctx = Ctx()
    with tempfile.TemporaryDirectory() as tmp:
        options = RunOptions(out_dir=Path(tmp), now=WHEN, session=(files, found, attempts))
        config = Config(base_dir=Path(tmp))
        report = build_report(options, config)
        out = write_documents(report, options, config, ctx)
        inert(out.worklog_path.read_text(encoding="utf-8"), "worklog")
        inert(out.summary_path.read_text(encoding="utf-8"), "summary")
    drafts = Drafts(report, ctx, render.environment())
    for f in report.findings[:3]:
        inert(drafts.visible(f, Marker(sig=f.signature.digest, count=len(f.results)), {}), f"issue body {f.id}")
        title = fragment(f.title, 120)
        news = [f"Failing again in {fragment(r.id, 200)}: {fragment(r.message, 300)}" for r in f.results[:3]]
        inert(drafts.comment(f"Still failing: {title}", news, f, WHEN, excerpt=True), f"comment {f.id}")


def test_a_finding_with_many_tests_keeps_its_own_collapsed_list() -> None:
    # The allow-list above admits gardener's own <details>: it must really be what a long test list renders.
    found = tuple(Result(id=f"t.py::test_{i} <details>", outcome="failed", source=Source("in.xml", "junit"),
                         source_line=i + 1, message="ConnectionRefusedError: [Errno 111] Connection refused")
                  for i in range(12))
    with tempfile.TemporaryDirectory() as tmp:
        options = RunOptions(out_dir=Path(tmp), now=WHEN, session=((), found, ()))
        config = Config(base_dir=Path(tmp))
        out = write_documents(build_report(options, config), options, config, Ctx())
        worklog = out.worklog_path.read_text(encoding="utf-8")
    html = [t.content.strip() for t in GFM.parse(worklog) if t.type == "html_block"]
    assert html and html[0].startswith("<details><summary>12 tests affected</summary>")
    inert(worklog, "worklog")
    assert "- `t.py::test_0 <details>`" in worklog


def test_a_planted_result_keeps_its_text_readable() -> None:
    found = (replace(Result(id="t.py::test_x", outcome="failed", source=Source("in.xml", "junit"), source_line=1),
                     message="AssertionError: [2025-09-11 13:04:58] snake_case C:\\dir\\file.py"),)
    with tempfile.TemporaryDirectory() as tmp:
        options = RunOptions(out_dir=Path(tmp), now=WHEN, session=((), found, ()))
        config = Config(base_dir=Path(tmp))
        out = write_documents(build_report(options, config), options, config, Ctx())
        summary = out.summary_path.read_text(encoding="utf-8")
    assert "`AssertionError: [2025-09-11 13:04:58] snake_case C:\\dir\\file.py`" in summary
