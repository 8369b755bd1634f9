"""The plain text behind the escapes untrusted text carries, so redaction sees a secret however it was written.

An HTML page quoted in a test's output writes a token's `_` as `&#95;`, `&#x5F;` or `&lowbar;` and a URL's `@` as
`&#64;`; a URL in a query string is percent-encoded (`%5F`, `%3A%2F%2F`); a JSON string escapes `\\u005f` and `\\/`.
Each hides a token's shape or a secret's context (`password&#61;x`) from patterns written for the plain form.

`may_be_encoded` is the cheap test: three `in` checks, then one RE2 search only when a `&`, `%` or backslash is
there, so the texts that hold no escape (almost all) pay nothing more. `decode` gives the text a browser, a server or
a JSON parser would read, repeated until nothing changes (`&amp;#95;`, `%2540`), within `_MAX_ROUNDS`. It decodes only
to printable ASCII: an escape of a control character, a newline, a zero-width or bidi character, or anything past
ASCII stays as written, so decoding never brings back what strip_control took out (no secret pattern needs them).
"""

from __future__ import annotations

from gardener import regex as re
from gardener.numbers import bounded_int

_ESCAPE = re.lazy(
    r"&#(?P<dec>[0-9]+);?"  # browsers read a numeric reference without its `;` too
    r"|&#[xX](?P<hex>[0-9A-Fa-f]+);?"
    r"|&(?P<name>[A-Za-z][A-Za-z0-9]*);"
    r"|%(?P<pct>[0-9A-Fa-f][0-9A-Fa-f])"
    r"|\\u(?P<json>[0-9A-Fa-f]{4})"
    r"|\\(?P<slash>/)"
)
_MAX_ROUNDS = 8  # each round undoes one layer of encoding; real text has one or two
_MAX_HEX_DIGITS = 6  # past U+10FFFF: no character


def may_be_encoded(text: str) -> bool:
    """True when `text` holds an escape `decode` undoes; False means decoding cannot change it."""
    return ("&" in text or "%" in text or "\\" in text) and _ESCAPE.search(text) is not None


def decode(text: str) -> str:
    """`text` with its escapes (HTML references, percent-encoding, JSON `\\uXXXX` and `\\/`) read as the
    printable ASCII characters they stand for; other escapes stay as written."""
    for _ in range(_MAX_ROUNDS):
        plain = _ESCAPE.sub(_character, text)
        if plain == text:
            break
        text = plain
    return text


def _character(m: re.Match[str]) -> str:
    if m["dec"] is not None:
        code = bounded_int(m["dec"])
    elif m["hex"] is not None or m["json"] is not None or m["pct"] is not None:
        digits = (m["hex"] or m["json"] or m["pct"]).lstrip("0")
        if len(digits) > _MAX_HEX_DIGITS:
            return str(m[0])
        code = int(digits or "0", 16)
    elif m["name"] is not None:
        return _named(m["name"]) or str(m[0])
    else:
        return "/"
    return chr(code) if 0x20 <= code < 0x7F else str(m[0])


def _named(name: str) -> str | None:
    """The printable ASCII an HTML5 named reference (`lowbar`, `commat`, `sol`, `amp`) stands for, else None."""
    from html.entities import html5  # only texts holding a named reference import the table

    value = html5.get(name + ";")
    return value if value is not None and value.isascii() and value.isprintable() else None
