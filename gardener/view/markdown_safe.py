"""Untrusted text made inert in markdown: code spans, escaped prose, table cells. Pure.

Test names, messages, evidence lines, paths, job and step names come from test output that anyone
who can open a pull request writes. Redaction (gardener.redact) has already taken secrets out and
broken @mentions, #123 references and `<!--` by the time text gets here; these helpers stop the
rest of markdown: a link or image (`[x](url)`, `![x](url)`), raw HTML (`<img onerror=...>`,
`<details>`), a backtick run that ends the code span around it, emphasis, GitHub's math (`$...$`, `$$...$$`),
and a line start that makes a heading, list, quote, rule or table row. GitHub renders GFM (CommonMark plus tables and
strikethrough); the rules below are CommonMark's.

- `code_span(text)`: text shown literally in a code span. The fence is one backtick longer than the
  longest run inside, so nothing inside can close it; a space pads content that starts or ends with
  a backtick (CommonMark strips one space from each side when both are there).
- `inline(text)`: text shown as prose on one line. Markdown punctuation that could start something is
  backslash-escaped, and only where it could (an underscore inside a word, a lone `*` between spaces,
  `&` not followed by an entity name, a backslash before a letter and a `]` no link can follow stay as
  they are), so a Windows path, `test_websocket_events` or `[12:04:58] ERROR` reads the same raw and
  rendered. A pair of equal backtick runs in
  the text (a rule's `` `path` ``, a quoted `name`) stays a code span, re-fenced with `code_span`.
- `cell(text)`: `inline` for a GFM table cell: pipes escaped inside code spans too (GFM splits the row
  before it parses spans).

Whitespace runs (newlines included) become one space: each helper returns one line. Text from
`safe_inline` arrives with its pipes escaped (`\\|`) and a zero-width space after a trailing backslash;
both are read back first, so they are neither doubled nor shown. Templates reach these as the Jinja filters
`code`, `md` and `cell`.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterator

__all__ = ["FILTERS", "cell", "code_span", "inline"]

_ASCII_PUNCT = frozenset(string.punctuation)
_ENTITY_CHARS = frozenset(string.ascii_letters + string.digits + "#")
_MAX_ENTITY = 32  # longer than any HTML entity name or numeric reference
# Escaped wherever they are: HTML and autolinks (`<`), table pipes, and GitHub's math delimiters (`$x$`, `$$x$$`,
# `` $`x`$ `` are typeset by MathJax in issues and markdown files; `\$` is a dollar sign).
_ALWAYS = frozenset("<|$")
# A `]` that a link or image needs: `](url)`, `][ref]`, `]: url` (a definition), or at the end of the text,
# where the template decides what follows. `[2025-09-11 13:04:58] ERROR` and `[REDACTED:token]` stay as
# they are: a bracket pair links only through such a `]` (a reference definition needs `]:` too).
_LINK_AFTER_BRACKET = frozenset("([:")
# Delimiter runs: escaped when CommonMark's flanking rules let the run open or close emphasis
# (strikethrough for `~`, GitHub's extension, follows the `*` rules).
_DELIMITERS = frozenset("*_~")
_TASK_BOXES = ("[ ]", "[x]", "[X]")  # a list item starting so is a checkbox
# Text holding none of these (most test ids, paths and messages) is returned as it is once its first
# character is seen to; a set's isdisjoint scans a string in C.
_MAY_ESCAPE = frozenset("`\\*_~<|]&$")


def code_span(text: str, *, table: bool = False) -> str:
    """`text` as a code span that shows it literally; "" for empty text. `table`: inside a GFM table cell."""
    body = _unpipe(" ".join(text.splitlines()))
    if not body:
        return ""
    ticks = "`" * (_longest_run(body, "`") + 1)
    if body[0] == "`" or body[-1] == "`" or (body[0] == " " and body[-1] == " " and body.strip(" ")):
        body = f" {body} "
    if table:
        body = body.replace("|", "\\|")
    return f"{ticks}{body}{ticks}"


def inline(text: str, *, table: bool = False) -> str:
    """`text` as one line of prose in which nothing is live markdown; its own backtick pairs stay code."""
    flat = " ".join(_unpipe(text).split())
    if _MAY_ESCAPE.isdisjoint(flat) and (table or not _starts_block(flat)):
        return flat
    out: list[str] = []
    for is_code, start, end in _segments(flat):
        if is_code:
            out.append(code_span(_strip_one_space(flat[start:end]), table=table))
        else:
            out.append(_escape(flat, start, end, line_start=not table))
    return "".join(out)


def cell(text: str) -> str:
    """`inline` for a GFM table cell."""
    return inline(text, table=True)


def _md_filter(text: object) -> str:
    return inline(str(text))


def _code_filter(text: object) -> str:
    return code_span(str(text))


def _cell_filter(text: object) -> str:
    return cell(str(text))


# The Jinja filters (gardener/render.py registers them): `{{ t|code }}`, `{{ title|md }}`, `{{ x|cell }}`.
FILTERS = {"md": _md_filter, "code": _code_filter, "cell": _cell_filter}


def _unpipe(text: str) -> str:
    """`text` without safe_inline's guards for the tables it used to be the only guard of: its escaped pipes
    (`\\|`) and the zero-width space it puts after a trailing backslash (no other step puts one after a backslash)."""
    if "\\|" in text:
        text = text.replace("\\|", "|")
    return text.replace(_BACKSLASH_GUARD, "\\") if _BACKSLASH_GUARD in text else text


_BACKSLASH_GUARD = "\\\u200b"


def _longest_run(text: str, char: str) -> int:
    if char not in text:
        return 0
    longest = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        longest = max(longest, run)
    return longest


def _strip_one_space(content: str) -> str:
    """What CommonMark shows of a code span's content: one space off each side when both have one."""
    if len(content) >= 2 and content[0] == " " and content[-1] == " " and content.strip(" "):
        return content[1:-1]
    return content


def _segments(text: str) -> Iterator[tuple[bool, int, int]]:
    """(is_code, start, end): a backtick run and the next run of the same length enclose code (end
    and start exclude the runs); other text, lone runs included, is prose."""
    runs: list[tuple[int, int]] = []  # (start, length)
    i = 0
    while i < len(text):
        if text[i] == "`":
            j = i
            while j < len(text) and text[j] == "`":
                j += 1
            runs.append((i, j - i))
            i = j
        else:
            i += 1
    later: dict[int, list[int]] = {}  # run length -> indexes into runs, last first
    for k in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[k][1], []).append(k)
    prose_from = 0
    k = 0
    while k < len(runs):
        start, length = runs[k]
        same = later[length]
        while same and same[-1] <= k:
            same.pop()
        if not same:
            k += 1
            continue
        closer = same.pop()
        if start > prose_from:
            yield False, prose_from, start
        yield True, start + length, runs[closer][0]
        prose_from = runs[closer][0] + length
        k = closer + 1
    if prose_from < len(text):
        yield False, prose_from, len(text)


def _kind(c: str | None) -> str:
    """"space", "punct" or "other" as CommonMark's flanking rules see a character; None: unknown."""
    if c is None:
        return "?"
    if c.isspace():
        return "space"
    if c in _ASCII_PUNCT or unicodedata.category(c)[0] in "PS":
        return "punct"
    return "other"


def _may_delimit(char: str, before: str, after: str) -> bool:
    """Whether a run of `char` between characters of these kinds can open or close emphasis; an
    unknown kind ("?", the edge of the text: the template decides what is there) is every kind."""
    for b in ("space", "punct", "other") if before == "?" else (before,):
        for a in ("space", "punct", "other") if after == "?" else (after,):
            left = a != "space" and (a != "punct" or b in ("space", "punct"))
            right = b != "space" and (b != "punct" or a in ("space", "punct"))
            if char == "_":
                if (left and (not right or b == "punct")) or (right and (not left or a == "punct")):
                    return True
            elif left or right:
                return True
    return False


def _entity_follows(text: str, i: int, end: int) -> bool:
    """`&name;` or `&#123;` starts at text[i] (an `&`): CommonMark would show the character it names."""
    j = i + 1
    while j < end and j - i <= _MAX_ENTITY and text[j] in _ENTITY_CHARS:
        j += 1
    return j > i + 1 and j < end and text[j] == ";"


def _escape(text: str, start: int, end: int, line_start: bool = True) -> str:
    """text[start:end] as prose; the text around it (code spans) decides how delimiter runs flank.
    `line_start`: the text may begin a line, so a first character (or an ordered list's `1.`) that would
    begin a block is escaped; a table cell cannot hold blocks."""
    out: list[str] = []
    line_start = line_start and start == 0
    block_mark = _block_marker(text[:end]) if line_start else -1
    i = start
    while i < end:
        c = text[i]
        if c in _DELIMITERS:
            j = i
            while j < end and text[j] == c:
                j += 1
            before = _kind(text[i - 1]) if i > 0 else "?"
            after = _kind(text[j]) if j < len(text) else "?"
            run = text[i:j]
            if i == block_mark or _may_delimit(c, before, after):
                run = "".join("\\" + x for x in run)
            out.append(run)
            i = j
            continue
        if c in _ALWAYS or c == "`" or i == block_mark:
            out.append("\\" + c)
        elif c == "]" and (i + 1 == len(text) or text[i + 1] in _LINK_AFTER_BRACKET):
            out.append("\\]")
        elif c == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else None
            out.append("\\\\" if nxt is None or nxt in _ASCII_PUNCT else c)
        elif c == "&" and _entity_follows(text, i, len(text)):
            out.append("\\&")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _starts_block(text: str) -> bool:
    return _block_marker(text) >= 0


def _block_marker(text: str) -> int:
    """Where a line starting with `text` would begin a block (heading, quote, list item, rule, setext
    underline, fence, task box): the index of the character to escape, else -1. `#7 was closed`, `1.5 s`
    and `-x` begin none and are left as they are."""
    if not text:
        return -1
    c, rest = text[0], text[1:2]
    only_c = not text.strip(c + " ")  # the whole line is this character (and spaces)
    if c == ">" or text.startswith(("~~~", *_TASK_BOXES)):
        return 0
    if c == "#":
        hashes = len(text) - len(text.lstrip("#"))
        return 0 if hashes <= 6 and text[hashes : hashes + 1] in ("", " ") else -1
    if c in "-+*" and rest in ("", " "):
        return 0
    if (c in "-=" and only_c) or (c in "*_" and only_c and text.count(c) >= 3):
        return 0
    digits = len(text) - len(text.lstrip("0123456789"))
    if 0 < digits <= 9 and text[digits : digits + 1] in (".", ")") and text[digits + 1 : digits + 2] in ("", " "):
        return digits
    return -1
