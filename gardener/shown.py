"""Names and messages as a terminal shows them: one line each, control characters made visible.

A file name is untrusted: `x\\n::warning::…` would put a workflow command at the start of a line
GitHub Actions reads, and an escape sequence could rewrite the terminal. Every path and message
gardener prints goes through `printable()` first; JSON output escapes them by itself.
"""

from __future__ import annotations

import functools
import re

# C0 (tab and newline included: a shown name is one line), DEL, C1, Unicode line and paragraph
# separators, and bidi overrides that make shown text differ from the stored name.
_UNPRINTABLE = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m[0]
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` on one line, each control character shown as its escape (`\\n`, `\\x1b`, `\\u202e`)."""
    return _unprintable().sub(_escape, text)


@functools.cache
def _unprintable() -> re.Pattern[str]:
    """Compiled when first needed: `--help` prints no name (compiling it is ~0.4 ms of its start)."""
    return re.compile(_UNPRINTABLE)
