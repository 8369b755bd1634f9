"""gardener/view/markdown_safe.py against a real CommonMark parser (markdown-it-py, with GitHub's tables and
strikethrough): a code span shows exactly its text; escaped prose and table cells hold no live markdown
wherever a template puts them, and show every character of the input; readable text stays as it was."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gardener import render
from gardener.redact import ZWSP, safe_inline
from gardener.view.markdown_safe import cell, code_span, inline

GFM = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# What CommonMark and GitHub make live: links, images, raw HTML, emphasis, strikethrough, autolinks.
LIVE_INLINE = {"link_open", "image", "html_inline", "em_open", "strong_open", "s_open"}

# Pieces that start markdown (and a few that end it), mixed with arbitrary text.
HOSTILE = (
    "[click](https://evil.example)", "![img](https://evil.example/p.png)", "<img src=x onerror=alert(1)>",
    "<details>", "</details>", "<!--", "-->", "# ", "## ", "> ", "- ", "+ ", "* ", "1. ", "2) ", "|", "||", "---",
    "===", "```", "~~~", "`", "``", "\\", "\\|", "*", "**", "_", "__", "~", "~~", "[", "]", "](", "![", "[^1]",
    "[x]: https://evil.example", "[ ] ", "[x] ", "&amp;", "&#60;", "&lt;img&gt;", "&", ";", "<https://evil.example>",
    "https://evil.example", "@user", "#123", ":", "(", ")", " ", "    ", "\t", "\n", "\r\n", "\u2028", "\x85",
    "a", "snake_case", "C:\\dir\\__init__.py", "\u00e9", "\u3000", "!", ".", "\u200b",
)
# NUL excepted: CommonMark replaces it (redaction strips control codes before text gets here).
hostile = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=14).map("".join).filter(
    lambda s: "\x00" not in s)
no_nul = st.text().filter(lambda s: "\x00" not in s)


def inline_tokens(markdown: str) -> list[Token]:
    return [child for t in GFM.parse(markdown) if t.type == "inline" for child in t.children or ()]


def blocks(markdown: str) -> list[str]:
    return [t.type for t in GFM.parse(markdown) if t.type != "inline"]


def shown(tokens: list[Token]) -> str:
    """What a reader sees: text and code, escapes resolved."""
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def squeeze(text: str) -> str:
    return "".join(text.split()).replace("`", "")


def flat(text: str) -> str:
    return " ".join(text.replace("\\|", "|").split())


# --- code spans ----------------------------------------------------------------------------------------


@given(no_nul.filter(lambda s: "\\|" not in s))
@example("a``b")
@example("`x")
@example("x`")
@example(" x ")
@example("   ")
@example("` `")
@example("a\nb")
def test_a_code_span_shows_exactly_its_text_wherever_it_stands(text: str) -> None:
    expected = " ".join(text.splitlines())
    span = code_span(text)
    if not expected:
        assert span == ""
        return
    for before, after, around in (("", "", ("", "")), ("see ", " here", ("see ", " here")), ("- ", "", ("", "")),
                                  ("**", "**", ("", ""))):
        tokens = [t for t in inline_tokens(before + span + after) if t.type not in ("strong_open", "strong_close")]
        code = [t for t in tokens if t.type == "code_inline"]
        assert len(code) == 1 and code[0].content == expected, (before, span)
        assert shown(tokens) == around[0] + expected + around[1]


def test_the_fence_outruns_every_backtick_run_and_pads_an_edge_backtick() -> None:
    assert code_span("tests/a.py::test_x") == "`tests/a.py::test_x`"
    assert code_span("a ``` b") == "````a ``` b````"
    assert code_span("`x`") == "`` `x` ``"
    assert code_span(" x ") == "`  x  `"  # CommonMark strips one space each side: " x " is shown
    assert code_span("a|b") == "`a|b`" and code_span("a|b", table=True) == "`a\\|b`"
    assert code_span("a\\|b") == "`a|b`"  # safe_inline's escaped pipe is a pipe
    assert code_span("") == ""


# --- prose ---------------------------------------------------------------------------------------------


# Where templates put escaped text (after a label, at the start of a line, under a line, in a list item, in
# bold, in brackets) and the blocks that place itself opens.
PARAGRAPH = {"paragraph_open"}
BULLET = {"bullet_list_open", "list_item_open", "paragraph_open"}
ORDERED = {"ordered_list_open", "list_item_open", "paragraph_open"}
PLACES = (("**Root Cause:** ", "", PARAGRAPH), ("", "", PARAGRAPH), ("para\n", "", PARAGRAPH), ("- ", "", BULLET),
          ("1. **", ":** x", ORDERED), ("Issue (", ")", PARAGRAPH))


@given(hostile)
@example("[click](https://evil.example)")
@example("Cart ` ![pix](http://evil.example/p.png) <img src=x> [x](http://evil.example) `")
@example("a\\")
@example("===")
@example("_a_")
@example("*a*b")
@example("&amp;")
@example("[x]: https://evil.example")
def test_escaped_prose_holds_no_live_markdown_wherever_it_stands(text: str) -> None:
    escaped = inline(text)
    assert "\n" not in escaped and "\r" not in escaped
    for before, after, allowed in PLACES:
        markdown = before + escaped + after
        tokens = inline_tokens(markdown)
        ours = {"strong_open"} if "**" in before else set()
        assert not {t.type for t in tokens} & (LIVE_INLINE - ours), (markdown, [t.type for t in tokens])
        kinds = blocks(markdown)
        assert {k for k in kinds if k.endswith("_open")} <= allowed, (markdown, kinds)
        assert kinds.count("paragraph_open") <= 1, (markdown, kinds)  # "para\n===" would be a heading
    # Every character is shown: the escapes are invisible and nothing else is lost.
    assert squeeze(shown(inline_tokens("x " + escaped + " x"))) == "x" + squeeze(flat(text)) + "x"


@pytest.mark.parametrize(("text", "kept"), [
    ("C:\\GitHub\\netra-apex\\docker", True),
    ("test_websocket_agent_events_suite.py", True),
    ("[2025-09-11 13:04:58] ERROR: Docker services failed to start", True),
    ("token [REDACTED:github-token] in … [63 characters cut] …", True),
    ("expected ':' at line 212; 2 * 3 == 6", True),
    ("R&D, a -> b, 100% done, 500K+ ARR!", True),
    # A lone `$` is escaped too: another field of the same paragraph may hold the `$` that closes GitHub's math.
    ("R&D, a -> b, 100% done, $500K+ ARR!", False),
    ("#7 was closed; 1.5 s; -x", True),  # gardener's own #7 stays a reference
    ("1.5 seconds", True),
    ("The build context directory `C:\\GitHub\\netra-apex\\docker` does not exist", True),
    ("websocket_core\\__init__.py", False),  # `\__init__` would lose its backslash and italicise "init"
])
def test_readable_text_reads_the_same_raw(text: str, kept: bool) -> None:
    assert (inline(text) == text) is kept
    assert shown(inline_tokens(inline(text))).replace("`", "") == text.replace("`", "")


@pytest.mark.parametrize(("attack", "escaped"), [
    ("[click](https://evil.example)", "[click\\](https://evil.example)"),
    ("![img](https://evil.example/p.png)", "![img\\](https://evil.example/p.png)"),
    ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)>"),
    ("<details><summary>x</summary>", "\\<details>\\<summary>x\\</summary>"),
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("a | b", "a \\| b"),
    ("ends a span ` here", "ends a span \\` here"),
    ("`` pair `` kept", "`pair` kept"),
    ("&lt;img&gt;", "\\&lt;img\\&gt;"),
    ("[x] done", "\\[x] done"),
])
def test_each_kind_of_injection_is_escaped(attack: str, escaped: str) -> None:
    assert inline(attack) == escaped


def test_mentions_and_references_stay_neutralised_through_the_escaper() -> None:
    # Ctx.inline (safe_inline) breaks them with a zero-width space; escaping keeps that and adds nothing.
    text = inline(safe_inline("@octocat see #123 <!-- hidden", 200))
    assert text == f"@{ZWSP}octocat see #{ZWSP}123 \\<!{ZWSP}-- hidden"
    assert not any(t.type == "html_inline" for t in inline_tokens(text))


# --- table cells ---------------------------------------------------------------------------------------


@given(hostile)
@example("`a|b`")
@example("a\\")
@example("|")
def test_a_table_cell_stays_one_cell_with_no_live_markdown(text: str) -> None:
    table = f"| h | i |\n|---|---|\n| {cell(text)} | z |\n"
    tokens = GFM.parse(table)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2, (table, [t.type for t in tokens])
    inlines = [t for t in tokens if t.type == "inline"]
    assert inlines[-1].content == "z"
    live = {c.type for t in inlines for c in t.children or ()} & LIVE_INLINE
    assert not live, table
    assert squeeze(shown(list(inlines[-2].children or ()))) == squeeze(flat(text))


# --- the filters ---------------------------------------------------------------------------------------


def test_templates_reach_the_helpers_as_filters() -> None:
    env = render.environment()
    values: dict[str, Any] = {"t": "a`b", "x": "[a](b)", "c": "a|b"}
    out = env.from_string("{{ t|code }} {{ x|md }} {{ c|cell }}").render(**values)
    assert out == "``a`b`` [a\\](b) a\\|b"
