"""Linear-time matching for untrusted text: the one way gardener runs a regex on test output or logs.

Every pattern is compiled by RE2 (google-re2), whose automata match in time linear in the input:
no pattern, shipped or user-written, can backtrack catastrophically on a crafted line. Patterns RE2
cannot compile (lookarounds, backreferences, possessive or atomic groups) are refused at compile
time with `error`, so a rule pack that needs one is rejected when it is loaded, not when it hangs.

The API is the subset of Python's `re` that gardener uses (compile, search, match, fullmatch,
finditer, findall, sub, subn, split, escape; Match.group/groups/groupdict/start/end/span), with
Python's spellings translated where RE2 differs: `\\Z` is `\\z`, `{,n}` is `{0,n}`, `\\uXXXX` is
`\\x{XXXX}`. Semantics that differ and are kept: `\\d`, `\\w`, `\\s` and `\\b` are ASCII classes, and
`$` without MULTILINE matches only at the very end (not before a final newline).

`MAX_LINE` caps the length of a line any rule sees (`clip_lines`); the cut is reported by the
caller (the rule engine says it in the evidence).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar, overload

import re2 as _re2  # google-re2
from re2 import _re2 as _core  # the RE2 object itself: the wrapper's per-call decoding costs 5x on hits

__all__ = [
    "DOTALL",
    "IGNORECASE",
    "LINEWISE",
    "MAX_LINE",
    "MULTILINE",
    "LiteralSet",
    "Match",
    "Pattern",
    "PatternSet",
    "clip_lines",
    "compile",
    "error",
    "escape",
    "findall",
    "fullmatch",
    "lazy",
    "match",
    "search",
    "split",
    "sub",
    "subn",
]

IGNORECASE = 2  # the values re uses, so a flag from either module means the same
MULTILINE = 8
DOTALL = 16
# gardener's own: no match holds a newline (RE2's never_nl), so a search over many lines finds each
# match within its line and never scans past it (`\s*` or `[^x]*` cannot run on through the next lines).
LINEWISE = 1 << 10
_FLAG_PREFIX = ((IGNORECASE, "i"), (MULTILINE, "m"), (DOTALL, "s"))

# Longest line a rule pattern is shown; longer lines are cut (see clip_lines). 8 KiB keeps every
# real diagnostic whole while ~1,000 patterns over one 60 KB line of ':' stay in milliseconds.
MAX_LINE = 8192


class error(ValueError):
    """A pattern RE2 cannot compile: bad syntax, or a feature that is not linear-time."""


_UNANCHORED = _core.RE2.Anchor.UNANCHORED
_ANCHOR_START = _core.RE2.Anchor.ANCHOR_START
_ANCHOR_BOTH = _core.RE2.Anchor.ANCHOR_BOTH
_NULL = (-1, -1)


def _options(latin1: bool, linewise: bool = False) -> Any:
    options = _re2.Options()
    options.log_errors = False  # errors come back as exceptions; RE2 would also print them to stderr
    options.never_nl = linewise
    if latin1:  # a bytes pattern: one byte, one character, so offsets are byte offsets
        options.encoding = _re2.Options.Encoding.LATIN1
    return options


# Substrings every rewrite below starts with; a pattern holding none of them is its own translation (the
# common case: skipping the character loop saves ~5 ms of start-up over the ~450 patterns compiled then).
_REWRITTEN = ("\\Z", "\\u", "{,", "[]", "[^]")


def translate(pattern: str) -> str:
    """Python `re` spellings RE2 reads differently or not at all, outside character classes."""
    if not any(marker in pattern for marker in _REWRITTEN):
        return pattern
    return _rewrite(pattern)


def source_tokens(pattern: str) -> Iterator[tuple[int, str, bool]]:
    """(position, token, inside a character class) over a pattern's source, for rewriters that must leave
    class syntax alone: a backslash escape (two characters), a class opening (`[` or `[^`, with a `]` right
    after it, which is a literal: `[]`, `[^]`), or one character. The `]` that closes a class is inside it."""
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            yield i, pattern[i : i + 2], in_class
            i += 2
        elif in_class:
            in_class = c != "]"
            yield i, c, True
            i += 1
        elif c == "[":
            opener = "[^" if pattern.startswith("[^", i) else "["
            if pattern.startswith("]", i + len(opener)):
                opener += "]"
            in_class = True
            yield i, opener, False
            i += len(opener)
        else:
            yield i, c, False
            i += 1


def _rewrite(pattern: str) -> str:
    out: list[str] = []
    skip_to = 0  # tokens a rewrite consumed (the hex digits of `\u`, the comma of `{,`)
    for i, token, in_class in source_tokens(pattern):
        if i < skip_to:
            continue
        hex4 = pattern[i + 2 : i + 6]
        if token == "\\u" and len(hex4) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in hex4):
            out.append("\\x{" + hex4 + "}")
            skip_to = i + 6
        elif in_class:
            out.append(token)
        elif token == "\\Z":
            out.append("\\z")
        elif token.startswith("[") and token.endswith("]"):  # a literal ] first in the class
            out.append(token[:-1] + "\\]")
        elif token == "{" and pattern.startswith("{,", i):
            out.append("{0,")
            skip_to = i + 2
        else:
            out.append(token)
    return "".join(out)


_S = TypeVar("_S", str, bytes)  # Pattern[str] / Match[bytes] read as with re


_NOT_LINEAR = (
    (("invalid perl operator: (?=", "invalid perl operator: (?!"), "a lookahead"),
    (("invalid perl operator: (?<=", "invalid perl operator: (?<!"), "a lookbehind"),
    (("invalid perl operator: (?>",), "an atomic group"),
    (tuple(f"bad repetition operator: {op}+" for op in "+*?"), "a possessive repeat"),
)


def _why(reason: str, pattern: str) -> str:
    """RE2's complaint, said as what makes the pattern unsafe when it is a feature, not a typo."""
    for prefixes, feature in _NOT_LINEAR:
        if reason.startswith(prefixes):
            return f"not linear-time-safe: uses {feature}, which needs a backtracking engine ({reason})"
    if "(?P=" in pattern or (reason.startswith("invalid escape sequence: \\") and reason[-1:].isdigit()):
        return f"not linear-time-safe: uses a backreference, which needs a backtracking engine ({reason})"
    if reason.startswith("invalid repetition size"):
        return f"not linear-time-safe: a counted repeat over 1000 ({reason})"
    return f"invalid regex: {reason}"


class Match(Generic[_S]):
    """One match: spans in characters of `string`, like `re.Match`."""

    __slots__ = ("_spans", "re", "string")

    def __init__(self, pattern: Pattern[_S], string: _S, spans: list[tuple[int, int]]) -> None:
        self.re: Pattern[_S] = pattern
        self.string: _S = string
        self._spans = spans

    def _index(self, group: int | str) -> int:
        if isinstance(group, str):
            try:
                index: int = self.re.groupindex[group]
                return index
            except KeyError:
                raise IndexError(f"no such group {group!r}") from None
        if not 0 <= group < len(self._spans):
            raise IndexError(f"no such group {group}")
        return group

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._spans[self._index(group)]

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def _text(self, index: int) -> _S | Any:
        a, b = self._spans[index]
        return None if a < 0 else self.string[a:b]

    @overload
    def group(self) -> str: ...
    @overload
    def group(self, group: int | str, /) -> _S | Any: ...
    @overload
    def group(self, group: int | str, other: int | str, /, *more: int | str) -> tuple[_S | Any, ...]: ...
    def group(self, *groups: int | str) -> _S | Any | tuple[_S | Any, ...]:
        if not groups:
            return self._text(0)
        if len(groups) == 1:
            g = groups[0]
            if type(g) is int and 0 <= g < len(self._spans):  # the common call, without _index
                a, b = self._spans[g]
                return None if a < 0 else self.string[a:b]
            return self._text(self._index(g))
        return tuple(self._text(self._index(g)) for g in groups)

    def __getitem__(self, group: int | str) -> _S | Any:
        return self._text(self._index(group))

    def groups(self, default: Any = None) -> tuple[_S | Any, ...]:
        string = self.string
        return tuple(default if a < 0 else string[a:b] for a, b in self._spans[1:])

    def groupdict(self, default: Any = None) -> dict[str, _S | Any]:
        return {
            name: default if (t := self._text(i)) is None else t for name, i in self.re.groupindex.items()
        }

    @property
    def lastindex(self) -> int | None:
        best: int | None = None
        end = -1
        for i in range(1, len(self._spans)):
            a, b = self._spans[i]
            if a >= 0 and b >= end:
                best, end = i, b
        return best

    @property
    def lastgroup(self) -> str | None:
        index = self.lastindex
        return next((name for name, i in self.re.groupindex.items() if i == index), None)

    @property
    def pos(self) -> int:
        return 0

    @property
    def endpos(self) -> int:
        return len(self.string)

    def expand(self, template: str) -> str:
        return _expand(template, self)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<gardener.regex.Match span={self.span()} match={self.group()!r}>"


def _expand(template: str, m: Match[Any]) -> str:
    """`\\1`, `\\g<1>`, `\\g<name>` and escapes, as re's replacement templates."""
    out: list[str] = []
    i, n = 0, len(template)
    while i < n:
        c = template[i]
        if c != "\\" or i + 1 == n:
            out.append(c)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt.isdigit():
            j = i + 1
            while j < n and j < i + 3 and template[j].isdigit():
                j += 1
            out.append(m.group(int(template[i + 1 : j])) or "")
            i = j
        elif nxt == "g" and i + 2 < n and template[i + 2] == "<":
            close = template.index(">", i + 3)
            ref = template[i + 3 : close]
            out.append(m.group(int(ref) if ref.isdigit() else ref) or "")
            i = close + 1
        else:
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
    return "".join(out)


# The text last encoded: the rule engine runs hundreds of patterns over the same string.
_last: tuple[str, bytes, _CharOffsets | None] = ("", b"", None)


def _encoded(text: str) -> tuple[bytes, _CharOffsets | None]:
    """UTF-8 of `text`, and its offset map (None when ASCII: bytes and characters coincide)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1], last[2]
    data = text.encode("utf-8", "surrogatepass")
    offsets = None if len(data) == len(text) else _CharOffsets(text, data)
    _last = (text, data, offsets)
    return data, offsets


class Pattern(Generic[_S]):
    """A compiled RE2 pattern with the `re.Pattern` methods gardener uses."""

    __slots__ = ("__weakref__", "_rx", "flags", "groupindex", "groups", "pattern")

    def __init__(self, pattern: _S, flags: int = 0) -> None:
        self.pattern: _S = pattern
        self.flags = flags
        latin1 = isinstance(pattern, bytes)
        prefix = "".join(letter for bit, letter in _FLAG_PREFIX if flags & bit)
        text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
        source = (f"(?{prefix})" if prefix else "") + translate(text)
        rx = _core.RE2(source.encode("latin-1" if latin1 else "utf-8"), _options(latin1, bool(flags & LINEWISE)))
        if not rx.ok():
            reason = rx.error()
            raise error(_why(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason), text))
        self._rx = rx
        self.groups: int = rx.NumberOfCapturingGroups()
        self.groupindex: dict[str, int] = {
            name.decode("utf-8"): index for name, index in rx.NamedCapturingGroups()
        }

    def __repr__(self) -> str:
        return f"gardener.regex.compile({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __reduce__(self) -> tuple[Callable[..., Pattern[Any]], tuple[_S, int]]:
        return compile, (self.pattern, self.flags)

    def _iter(self, anchor: Any, text: _S, pos: int = 0, endpos: int | None = None) -> Iterator[Match[_S]]:
        data, char_at = (text, None) if isinstance(text, bytes) else _encoded(text)
        if char_at is None:
            start, stop = max(0, pos), len(data) if endpos is None else max(0, min(endpos, len(data)))
            while start <= stop:
                spans = self._rx.Match(anchor, data, start, stop)
                if spans[0] == _NULL:
                    return
                yield Match(self, text, spans)
                end = spans[0][1]
                start = end + 1 if end == spans[0][0] else end
                if anchor is not _UNANCHORED:
                    return
            return
        # Non-ASCII: map byte offsets to characters incrementally.
        start = char_at.byte(max(0, pos))
        stop = len(data) if endpos is None else char_at.byte(max(0, min(endpos, len(text))))
        while start <= stop:
            spans = self._rx.Match(anchor, data, start, stop)
            if spans[0] == _NULL:
                return
            yield Match(self, text, [_NULL if s == _NULL else (char_at.char(s[0]), char_at.char(s[1])) for s in spans])
            a, b = spans[0]
            if a == b:  # empty match: step over one whole character
                b += 1
                while b < len(data) and (data[b] & 0xC0) == 0x80:
                    b += 1
                start = b
            else:
                start = b
            if anchor is not _UNANCHORED:
                return

    def _first(self, anchor: Any, text: _S, pos: int, endpos: int | None) -> Match[_S] | None:
        data, char_at = (text, None) if isinstance(text, bytes) else _encoded(text)
        if char_at is None and pos <= 0 and endpos is None:  # the common call: no generator, one probe
            spans = self._rx.Match(anchor, data, 0, len(data))
            return None if spans[0] == _NULL else Match(self, text, spans)
        return next(self._iter(anchor, text, pos, endpos), None)

    def search(self, text: _S, pos: int = 0, endpos: int | None = None) -> Match[_S] | None:
        return self._first(_UNANCHORED, text, pos, endpos)

    def match(self, text: _S, pos: int = 0, endpos: int | None = None) -> Match[_S] | None:
        return self._first(_ANCHOR_START, text, pos, endpos)

    def fullmatch(self, text: _S, pos: int = 0, endpos: int | None = None) -> Match[_S] | None:
        return self._first(_ANCHOR_BOTH, text, pos, endpos)

    def match_groups(self, text: _S, default: Any = None) -> tuple[_S | Any, ...] | None:
        """`match(text).groups(default)`, or None when it does not match, without building a Match."""
        data, char_at = (text, None) if isinstance(text, bytes) else _encoded(text)
        if char_at is not None:
            m = self.match(text)
            return None if m is None else m.groups(default)
        spans = self._rx.Match(_ANCHOR_START, data, 0, len(data))
        if spans[0] == _NULL:
            return None
        return tuple(default if a < 0 else text[a:b] for a, b in spans[1:])

    def search_start(self, text: _S, pos: int = 0) -> int:
        """Where the first match at or after `pos` starts, or -1: `search` without building a Match."""
        data, char_at = (text, None) if isinstance(text, bytes) else _encoded(text)
        if char_at is None:
            if pos > len(data):
                return -1
            return int(self._rx.Match(_UNANCHORED, data, max(0, pos), len(data))[0][0])
        m = self.search(text, pos)
        return -1 if m is None else m.start()

    def finditer(self, text: _S, pos: int = 0, endpos: int | None = None) -> Iterator[Match[_S]]:
        return self._iter(_UNANCHORED, text, pos, endpos)

    def findall(self, text: _S, pos: int = 0, endpos: int | None = None) -> list[Any]:
        if self.groups == 0:
            return [text[a:b] for a, b in self.spans(text, pos, endpos)]
        found = self._all_spans(text, pos, endpos)
        if self.groups == 1:
            return [text[a:b] if a >= 0 else "" for _, (a, b) in found]
        if self.groups == 2:  # the usual (file, function) of a frame: no generator per match
            return [(text[a:b] if a >= 0 else "", text[c:d] if c >= 0 else "") for _, (a, b), (c, d) in found]
        return [tuple([text[a:b] if a >= 0 else "" for a, b in spans[1:]]) for spans in found]

    def spans(self, text: _S, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
        """`[m.span() for m in finditer(text)]`, without a Match per match (hot loops over many matches)."""
        return [spans[0] for spans in self._all_spans(text, pos, endpos)]

    def _all_spans(self, text: _S, pos: int, endpos: int | None) -> list[Any]:
        """Every match's group spans, as finditer finds them; an ASCII text's straight from RE2 (no generator and
        no Match object per match: a few microseconds each over tens of thousands of tracebacks' frames)."""
        data, char_at = (text, None) if isinstance(text, bytes) else _encoded(text)
        if char_at is not None:
            return [m._spans for m in self._iter(_UNANCHORED, text, pos, endpos)]
        # _iter's loop again, as a plain loop: sharing its generator costs spans() ~20% (a frame resumed per match).
        found = []
        match = self._rx.Match
        start, stop = max(0, pos), len(data) if endpos is None else max(0, min(endpos, len(data)))
        while start <= stop:
            spans = match(_UNANCHORED, data, start, stop)
            a, end = spans[0]
            if a < 0:
                break
            found.append(spans)
            start = end + 1 if end == a else end
        return found

    def subn(self, repl: _S | Callable[[Match[_S]], _S], text: _S, count: int = 0) -> tuple[_S, int]:
        data = text if isinstance(text, bytes) else _encoded(text)[0]
        if self._rx.Match(_UNANCHORED, data, 0, len(data))[0] == _NULL:  # most texts: one probe, no match
            return text, 0
        pieces: list[_S] = []
        end = done = 0
        for m in self.finditer(text):
            a, b = m.span()
            pieces.append(text[end:a])
            pieces.append(repl(m) if callable(repl) else _expand(repl, m))  # type: ignore[arg-type]
            end = b
            done += 1
            if done == count:
                break
        if not done:
            return text, 0
        pieces.append(text[end:])
        return text[:0].join(pieces), done

    def sub(self, repl: _S | Callable[[Match[_S]], _S], text: _S, count: int = 0) -> _S:
        return self.subn(repl, text, count)[0]

    def split(self, text: _S, maxsplit: int = 0) -> list[_S | Any]:
        pieces: list[_S | Any] = []
        end = 0
        for done, m in enumerate(self.finditer(text), 1):
            pieces.append(text[end : m.start()])
            pieces.extend(m.groups())
            end = m.end()
            if done == maxsplit:
                break
        pieces.append(text[end:])
        return pieces


class _CharOffsets:
    """Byte offset <-> character offset in one non-ASCII string, moved from the last one asked.

    Each move costs the distance moved (in C), so a scan that goes forward, or steps back a
    little (a name, then the value after it), stays linear in the text.
    """

    __slots__ = ("_b", "_c", "_data", "_text")

    def __init__(self, text: str, data: bytes) -> None:
        self._text = text
        self._data = data
        self._b = 0
        self._c = 0

    def char(self, byte: int) -> int:
        if byte >= self._b:
            self._c += len(self._data[self._b : byte].decode("utf-8", "surrogatepass"))
        else:
            self._c -= len(self._data[byte : self._b].decode("utf-8", "surrogatepass"))
        self._b = byte
        return self._c

    def byte(self, char: int) -> int:
        if char >= self._c:
            self._b += len(self._text[self._c : char].encode("utf-8", "surrogatepass"))
        else:
            self._b -= len(self._text[char : self._c].encode("utf-8", "surrogatepass"))
        self._c = char
        return self._b


@overload
def compile(pattern: str | Pattern[str], flags: int = 0) -> Pattern[str]: ...
@overload
def compile(pattern: bytes | Pattern[bytes], flags: int = 0) -> Pattern[bytes]: ...
def compile(pattern: Any, flags: int = 0) -> Any:
    """The compiled pattern (cached); raises `error` for a pattern that is not linear-time-safe."""
    if isinstance(pattern, Pattern):
        return pattern
    return _compile(pattern, flags)


@functools.lru_cache(maxsize=4096)
def _compile(pattern: str | bytes, flags: int) -> Pattern[Any]:
    compiled: Pattern[Any] = Pattern(pattern, flags)
    _LIVE[(pattern, flags)] = compiled
    return compiled


@overload
def lazy(pattern: str, flags: int = 0) -> Pattern[str]: ...
@overload
def lazy(pattern: bytes, flags: int = 0) -> Pattern[bytes]: ...
def lazy(pattern: Any, flags: int = 0) -> Any:
    """`compile(pattern, flags)`, compiled when first used: for a module's constant patterns, of which a
    command uses a few (a run compiling the ~450 its modules hold would spend ~30 ms on it). Only for
    gardener's own patterns, whose errors a test finds; a user's pattern is compiled when it is read,
    so a bad one is refused there."""
    deferred: Pattern[Any] = _Lazy(pattern, flags)
    _DEFERRED.add(deferred)
    return deferred


class _Lazy(Pattern[_S]):
    """A `Pattern` whose RE2 object is made on first use. Until then the slots `compile` fills are unset,
    so reading one reaches `__getattr__`, which fills them; from then on every method is Pattern's own,
    at Pattern's cost."""

    __slots__ = ()

    def __init__(self, pattern: _S, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        if name not in _FILLED:
            raise AttributeError(name)
        compiled = _compile(self.pattern, self.flags)
        self._rx = compiled._rx  # shared with any compile() of the same source
        self.groups = compiled.groups
        self.groupindex = compiled.groupindex
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"gardener.regex.lazy({self.pattern!r})"


_FILLED = frozenset(("_rx", "groups", "groupindex"))

# Every pattern compiled and still in use, so tests can run each against hostile input; and every
# deferred one, compiled or not, so none escapes them.
_LIVE: weakref.WeakValueDictionary[tuple[str | bytes, int], Pattern[Any]] = weakref.WeakValueDictionary()
_DEFERRED: weakref.WeakSet[Pattern[Any]] = weakref.WeakSet()


def live_patterns() -> tuple[Pattern[Any], ...]:
    """The patterns still referenced (module constants, rule packs, caches), one per source and flags;
    a deferred one not used yet is among them, and compiles when it is."""
    found: dict[tuple[str | bytes, int], Pattern[Any]] = {(p.pattern, p.flags): p for p in _DEFERRED}
    found.update(_LIVE.items())
    return tuple(found.values())


def engine_id() -> str:
    """Which RE2 build compiles patterns (its extension's path, size and mtime): part of the key of a cache
    of anything RE2 validated (gardener/rules/pack_cache.py). OSError when it cannot be told."""
    import os

    path = str(_core.__file__)
    st = os.stat(path)
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}"


def search(pattern: _S, text: _S, flags: int = 0) -> Match[_S] | None:
    return compile(pattern, flags).search(text)


def match(pattern: _S, text: _S, flags: int = 0) -> Match[_S] | None:
    return compile(pattern, flags).match(text)


def fullmatch(pattern: _S, text: _S, flags: int = 0) -> Match[_S] | None:
    return compile(pattern, flags).fullmatch(text)


def findall(pattern: _S, text: _S, flags: int = 0) -> list[Any]:
    return compile(pattern, flags).findall(text)


def sub(pattern: _S, repl: _S | Callable[[Match[_S]], _S], text: _S, count: int = 0, flags: int = 0) -> _S:
    return compile(pattern, flags).sub(repl, text, count)


def subn(
    pattern: _S, repl: _S | Callable[[Match[_S]], _S], text: _S, count: int = 0, flags: int = 0
) -> tuple[_S, int]:
    return compile(pattern, flags).subn(repl, text, count)


def split(pattern: _S, text: _S, maxsplit: int = 0, flags: int = 0) -> list[_S | Any]:
    return compile(pattern, flags).split(text, maxsplit)


def escape(text: _S) -> _S:
    """`text` as a literal pattern (the same escaping Python's re uses; RE2 reads it the same)."""
    if isinstance(text, bytes):
        return b"".join(b"\\" + bytes([c]) if c in _SPECIAL_BYTES else bytes([c]) for c in text)
    return text.translate(_ESCAPES)


_SPECIAL = frozenset("()[]{}?*+-|^$\\.&~# \t\n\r\v\f")
_SPECIAL_BYTES = frozenset(ord(c) for c in _SPECIAL)
_ESCAPES = {ord(c): "\\" + c for c in _SPECIAL}  # str.translate: one C loop (the rule pack's ~1,000 needles at start)


class LiteralSet:
    """Which of many literals occur in a text, found in one pass (an RE2 Set of the escaped literals).

    A few hundred `in` tests per text cost a scan each; the Set's automaton reads the text once. But
    compiling the Set costs as much as scanning ~30,000 characters with every literal (~5 ms for the rule
    pack's ~600 case-folded needles), more than a short run reads: until the texts searched add up to
    that, each is scanned literal by literal with `in`, which finds exactly what the Set would (see
    `_FOLD`), and the Set is compiled when they do. `fold` compares case-insensitively (the literals as
    given, any case in the text).
    """

    __slots__ = ("_budget", "_scanned", "_set", "_unscanned", "fold", "literals")

    def __init__(self, literals: tuple[str, ...], fold: bool = False, scan: bool = True) -> None:
        self.literals = literals
        self.fold = fold
        self._set: Any = None
        self._budget = _SCAN_BUDGET if literals and scan else 0
        # (literal, what to look for): with `fold`, the ASCII literals lower-cased; the others, whose RE2
        # folding `in` cannot copy, go to a Set of their own (few: one in the rule pack).
        self._scanned = tuple((lit, lit.lower() if fold else lit) for lit in literals if not fold or lit.isascii())
        self._unscanned: LiteralSet | None = None
        if scan and len(self._scanned) < len(literals):
            self._unscanned = LiteralSet(tuple(lit for lit in literals if not lit.isascii()), fold, scan=False)

    def _compile(self) -> Any:
        options = _options(False)
        options.case_sensitive = not self.fold
        found = _re2.Set.SearchSet(options)
        for literal in self.literals:
            found.Add(escape(literal))
        try:
            found.Compile()
        except _re2.error:
            # More literal text than RE2's automaton memory holds (hundreds of test names thousands of
            # characters long): no Set; from now on each literal is looked for on its own (`_scan`).
            return False
        return found

    def find(self, text: str) -> frozenset[str]:
        if not self.literals or not text:
            return frozenset()
        if self._set is None:
            cost = len(text) + 256  # a call per literal costs about as much as scanning 256 characters
            if cost <= self._budget:
                self._budget -= cost
                return self._scan(text)
            self._set = self._compile()
        if self._set is False:
            return self._scan(text) | self._folded_non_ascii(text)
        data, _ = _encoded(text)
        literals = self.literals
        return frozenset(literals[i] for i in self._set.Match(data) or ())

    def _folded_non_ascii(self, text: str) -> frozenset[str]:
        """With `fold`, the non-ASCII literals `text` holds, compared case-folded: only when there is no Set,
        where Python's case folding stands in for RE2's (they differ on a few characters)."""
        if not self.fold:
            return frozenset()
        folded = text.casefold()
        return frozenset(lit for lit in self.literals if not lit.isascii() and lit.casefold() in folded)

    def _scan(self, text: str) -> frozenset[str]:
        folded = (text.lower() if text.isascii() else text.translate(_FOLD)) if self.fold else text
        found = {lit for lit, needle in self._scanned if needle in folded}
        if self._unscanned is not None:
            found |= self._unscanned.find(text)
        return frozenset(found)


# Texts scanned literal by literal (in characters, plus 256 a text) before a LiteralSet compiles its Set.
_SCAN_BUDGET = 32 * 1024
# What RE2 matches case-insensitively for an ASCII letter: its two cases, and for k and s one more
# character each (KELVIN SIGN, LATIN SMALL LETTER LONG S); tests/test_regex.py reads RE2 to hold this.
# A text mapped by it holds a lower-cased ASCII literal exactly where RE2's folding finds the literal.
_FOLD = {**{ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}, 0x212A: ord("k"), 0x17F: ord("s")}


class PatternSet:
    """Which of many patterns match somewhere in a text, found in one pass (an RE2 Set).

    Each pattern, given as (source, flags), is in the Set as `compile(source, flags)` compiles it (its
    flags inline, the same options), so a pattern is in `matching(text)` exactly when its `search(text)`
    finds a match; none is compiled on its own. When RE2's automaton runs out of memory the Set answers
    nothing; an empty pattern added first (it matches every text) tells that apart, and `matching` then
    returns None: unknown, search each pattern yourself.
    """

    __slots__ = ("_sets", "size")

    def __init__(self, patterns: tuple[tuple[str, int], ...], memory: int = 0) -> None:
        self.size = len(patterns)
        # RE2 compiles a Set within its memory budget (`memory` bytes, else SET_MEMORY); a Set too big for it is split
        # in halves, each its own Set (one more pass over the text each), so a growing rule pack keeps its Sets.
        self._sets: tuple[tuple[int, Any], ...] = tuple(_sets_of(patterns, 0, memory or SET_MEMORY))

    def matching(self, text: str) -> frozenset[int] | None:
        """The indices (into the patterns given) of those that match in `text`; None when unknown."""
        data, _ = _encoded(text)  # shared with the searches that usually follow on the same text
        sets = self._sets
        if len(sets) == 1:  # the usual Set: its answer as it comes, without a set merging halves
            hits = sets[0][1]._set.Match(data)
            if not hits or 0 not in hits:
                return None
            return frozenset([i - 1 for i in hits if i])
        found: set[int] = set()
        for offset, compiled in sets:
            hits = compiled._set.Match(data)  # the wrapper would re-encode a str; bytes go straight through
            if not hits or 0 not in hits:
                return None
            found.update(offset + i - 1 for i in hits if i)
        return frozenset(found)

    def any_match(self, text: str) -> bool | None:
        """Whether any of the patterns matches somewhere in `text` (`bool(matching(text))`); None when unknown.
        The text is encoded here, not through _encoded's one-text cache: nothing else searches it (a test id)."""
        data = text.encode("utf-8", "surrogatepass")
        hit = False
        for _, compiled in self._sets:
            hits = compiled._set.Match(data)
            if not hits or 0 not in hits:
                return None
            hit = hit or len(hits) > 1
        return hit


SET_MEMORY = 64 << 20


def _sets_of(patterns: tuple[tuple[str, int], ...], offset: int, memory: int) -> Iterator[tuple[int, Any]]:
    """(offset of its first pattern, compiled Set) for `patterns`, split in halves while a Set does not compile; a
    pattern that does not compile even alone raises `error`."""
    options = _options(False)
    # RE2's default budget (8 MiB) holds a rule pack's Set only just, leaving its DFA too little room to cache states:
    # matching then falls back to the slow NFA on most texts. The budget is a ceiling, not an allocation.
    options.max_mem = memory
    found = _re2.Set.SearchSet(options)
    try:
        found.Add("")  # index 0: matches every text
        for pattern, flags in patterns:
            prefix = "".join(letter for bit, letter in _FLAG_PREFIX if flags & bit)
            found.Add((f"(?{prefix})" if prefix else "") + translate(pattern))
        found.Compile()
    except _re2.error as exc:
        if len(patterns) < 2 or "compile Set" not in str(exc):
            raise error(f"cannot build a pattern set: {exc}") from None
        half = len(patterns) // 2
        yield from _sets_of(patterns[:half], offset, memory)
        yield from _sets_of(patterns[half:], offset + half, memory)
        return
    yield offset, found


def clip_lines(text: str, limit: int = MAX_LINE) -> tuple[str, int]:
    """`text` with every line longer than `limit` cut to it, and how many lines were cut."""
    if len(text) <= limit:
        return text, 0
    lines = text.split("\n")
    cut = sum(1 for line in lines if len(line) > limit)
    if not cut:
        return text, 0
    return "\n".join(line[:limit] if len(line) > limit else line for line in lines), cut
