"""The safety layer for untrusted text (test output, log excerpts, messages).

Everything that came from a test run passes through `clean()` before it reaches an issue, a
comment, a worklog, a summary or a terminal; single-line fields (titles, table cells) use
`safe_inline()`; blocks go into `fence()`; budgets use `clip()` after cleaning, never before.

`clean()` runs, in this order (it matters):
1. strip_control: ANSI and control codes out, so `ghp_ab<ESC>[0mcd` becomes one token again;
2. redact_secrets (gardener.redact.secrets): secrets become `[REDACTED:<kind>]`;
3. neutralise_mentions: `@user`, `@org/team`, `#123`, `GH-123` and issue URLs get a zero-width
   space so a log can neither ping people nor cross-link issues;
4. neutralise_markup: GitHub Actions workflow commands (`::set-output`, `##[...]`) and HTML
   comment openers (`<!--`, which could hide text or forge gardener's hidden metadata block).
It is idempotent: clean(clean(x)) == clean(x).

Mentions are neutralised everywhere, also inside code: GitHub does not ping from fenced blocks,
but text is not always fenced and a zero-width space in a decorator (`@pytest.mark.x`) costs
nothing visible. An `@` right after an ASCII letter, digit or `_` is an e-mail address and stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from gardener import regex as re
from gardener.redact.encoded import may_be_encoded
from gardener.redact.names import is_secret_name, secret_env_values
from gardener.redact.secrets import may_hold_secret, redact_secrets
from gardener.redact.text import ZWSP, clip, cut_marker, fence, strip_control

__all__ = [
    "ZWSP",
    "clean",
    "clean_all",
    "clip",
    "cut_marker",
    "fence",
    "is_secret_name",
    "neutralise_markup",
    "neutralise_mentions",
    "redact_name",
    "redact_secrets",
    "safe_inline",
    "secret_env_values",
    "strip_control",
]

# GitHub (Ruby) treats any non-ASCII-word character before "@" as a boundary, so only an ASCII
# word character protects an "@": "a@b.com" stays, "/@types", ".@x" and "ü@x" are neutralised.
# Each pattern consumes the character its old lookahead only peeked at (a digit, a letter, a
# ':'), which can never start another match; the character before is checked in code.
_MENTION = re.lazy(r"@[A-Za-z0-9]")
_ISSUE_NUMBER = re.lazy(r"#[0-9]")  # "#12", "owner/repo#12"; "&#39;" is an HTML entity
_GH_REFERENCE = re.lazy(r"(?i:gh)-[0-9]")
_ISSUE_URL = re.lazy(r"(?i)/(?:issues|pull|pulls|discussions)/[0-9]")
# The runner reads "::command" at the start of a line left-trimmed by .NET's TrimStart, which takes every Unicode
# White_Space character (a no-break or an ideographic space too, not only ASCII blanks), and "##[command" anywhere.
_WORKFLOW_COMMAND = re.lazy(
    r"(?m)^([\t\x0b\f\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*)::")
# Azure Pipelines' `##vso[` and TeamCity's service messages `##teamcity[` are read anywhere in a line too.
_LEGACY_COMMAND = re.lazy(r"(?i)#(#(?:vso|teamcity)?\[)")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _after_word(m: re.Match[str]) -> bool:
    return m.start() > 0 and m.string[m.start() - 1] in _WORD_CHARS


def _break_before_last(m: re.Match[str]) -> str:
    return m[0][:-1] + ZWSP + m[0][-1]


def neutralise_mentions(text: str) -> str:
    """`text` with mentions and issue references broken by a zero-width space."""
    if "@" in text:
        text = _MENTION.sub(lambda m: m[0] if _after_word(m) else _break_before_last(m), text)
    if "#" in text:
        text = _ISSUE_NUMBER.sub(
            lambda m: m[0] if m.start() and m.string[m.start() - 1] == "&" else _break_before_last(m), text
        )
    if "h-" in text or "H-" in text:  # no other character folds to h
        text = _GH_REFERENCE.sub(lambda m: m[0] if _after_word(m) else _break_before_last(m), text)
    if "/" in text and _may_be_issue_url(text):
        text = _ISSUE_URL.sub(_break_before_last, text)
    return text


def _may_be_issue_url(text: str) -> bool:
    """`/i`, `/p` or `/d` in any case (issues, pull(s), discussions): no other character folds to these."""
    lower = text.lower()
    return "/i" in lower or "/p" in lower or "/d" in lower


def neutralise_markup(text: str) -> str:
    """`text` unable to issue workflow commands or open an HTML comment."""
    if "::" in text and ("\n" in text or text.lstrip().startswith("::")):  # one line: only at its start
        text = _WORKFLOW_COMMAND.sub(lambda m: m[1] + ":" + ZWSP + ":", text)
    if "##" in text:
        text = _LEGACY_COMMAND.sub(lambda m: "#" + ZWSP + m[1], text)
    return text.replace("<!--", "<!" + ZWSP + "--")


# Output repeats the same strings (test ids, messages, signatures) many times: each distinct one is
# cleaned once. Bounded by entries and by the length of what is kept.
_MEMO_ENTRIES = 8192
_MEMO_MAX_CHARS = 16_384


def clean(text: str, *, extra_values: Iterable[str] = ()) -> str:
    """The one entry point for untrusted text: readable, secret-free, unable to ping or command."""
    known = tuple(extra_values)
    if len(text) > _MEMO_MAX_CHARS:
        return _clean(text, known)
    return _clean_memo(text, known)


def _clean(text: str, known: tuple[str, ...]) -> str:
    text = redact_secrets(strip_control(text), known)
    return neutralise_markup(neutralise_mentions(text))


_clean_memo = lru_cache(maxsize=_MEMO_ENTRIES)(_clean)


def redact_name(text: str) -> str:
    """A file name or a reader's reason (which may quote the file) without secrets or live mentions, its
    control characters kept for `shown.printable` to show as escapes (JSON escapes them by itself)."""
    return neutralise_mentions(redact_secrets(text))


def clean_all(texts: list[str]) -> list[str]:
    """`[clean(t) for t in texts]`, with one secret prefilter pass over them all: when every text is
    printable ASCII (control stripping leaves it as it is) and no secret trigger nor escape occurs in any of them,
    no text can hold a secret, and only the mention and markup steps run on each. Otherwise each is
    cleaned alone. A finding's thousands of test ids cost one pass, not one each."""
    joined = " ".join(texts)  # a trigger across two texts only sends them the slow way
    if not (joined.isascii() and joined.isprintable()) or may_hold_secret(joined) or may_be_encoded(joined):
        return [clean(t) for t in texts]
    return [neutralise_markup(neutralise_mentions(t)) for t in texts]


_PIPE = re.lazy(r"\|")


def safe_inline(text: str, max_chars: int, *, extra_values: Iterable[str] = ()) -> str:
    """`text` cleaned for a single-line field (an issue title, a markdown table cell).

    Whitespace runs become one space, table pipes are escaped, a trailing backslash is followed by a
    zero-width space (so it cannot escape the cell's closing pipe, and shows as written: gardener's
    markdown helpers drop that space again, and doubling the backslash could not be undone), and the
    result is clipped to `max_chars`.
    """
    flat = " ".join(clean(text, extra_values=extra_values).split())
    flat = _PIPE.sub(lambda m: m[0] if m.start() and flat[m.start() - 1] == "\\" else "\\|", flat)
    if (len(flat) - len(flat.rstrip("\\"))) % 2:
        flat += ZWSP
    return clip(flat, max_chars, keep="head")
