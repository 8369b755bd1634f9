"""Rule patterns: RE2 regexes, plus the two non-regular forms rule packs use, run in linear time.

RE2 (gardener/regex.py) has no lookahead and no backreference. Rule packs keep two of their uses,
because each has a linear reading:

- a lookahead `(?!X)` / `(?=X)` outside any repeat is a check at one point of a match: the
  pattern runs without it (an empty marker group keeps the point), and a match whose point is
  followed by X (or not, for `(?=`) is refused; the pattern's next match is tried. RE2 finds
  each match in linear time and each check reads from one point, so a whole scan stays linear
  for the line-anchored patterns rules are written as.
- a backreference after a bounded gap, `A[\\s\\S]{0,N}?B` where B repeats a group A names
  (`(?P=test)`): A's matches, each followed by a search for B (with the group's text as a
  literal) that must start within N characters. At most `MAX_FIRSTS` of A's matches are tried,
  so the cost is bounded by the text plus a fixed number of windows.

Anything else RE2 cannot run (a lookbehind, a lookahead inside a repeat, a backreference without
the gap, a possessive or atomic group) is refused by `compile_rule_pattern` with the reason, and
so by `gardener rules check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from gardener import regex

MAX_FIRSTS = 64  # matches of A a backreference pattern tries before giving up
_GAP = "[\\s\\S]{0,"
_MARK = "__at"


@dataclass(frozen=True, slots=True)
class _Check:
    group: str  # the marker group that keeps the point
    pattern: regex.Pattern[str]  # read at that point
    negative: bool


class RuleMatch:
    """A match of a rule pattern: the parts of `re.Match` the engine reads."""

    __slots__ = ("_groups", "_span", "string")

    def __init__(self, string: str, span: tuple[int, int], groups: dict[str, str | None]) -> None:
        self.string = string
        self._span = span
        self._groups = groups

    def start(self) -> int:
        return self._span[0]

    def end(self) -> int:
        return self._span[1]

    def span(self) -> tuple[int, int]:
        return self._span

    def group(self, index: int = 0) -> str:
        if index != 0:
            raise IndexError("only group 0 by number; named groups through groupdict()")
        return self.string[self._span[0] : self._span[1]]

    def __getitem__(self, name: str) -> str | None:
        return self._groups[name]

    def groupdict(self) -> dict[str, str | None]:
        return dict(self._groups)


class RulePattern:
    """One compiled rule pattern (see the module doc). `pattern` and `flags` are the source's."""

    __slots__ = ("_checks", "_first", "_gap", "_second", "flags", "groupindex", "pattern")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        self.flags = flags
        self._gap = 0
        self._second: tuple[str, ...] = ()
        if "(?P=" in source:
            first, gap, second = _split_gap(source)
            self._gap = gap
            self._second = _split_backrefs(_lead_flags(source) + second)
            self._first, self._checks = _compile_checked(first, flags)
            names = set(self._first.groupindex)
            for i in range(1, len(self._second), 2):
                if self._second[i] not in names:
                    raise regex.error(f"invalid regex: (?P={self._second[i]}) names no group before the gap")
            # The second part must compile on its own (with a literal where each backreference goes).
            regex.compile(_fill(self._second, {n: "x" for n in names}), flags)
        else:
            self._first, self._checks = _compile_checked(source, flags)
        self.groupindex: dict[str, int] = {
            name: i for name, i in self._first.groupindex.items() if not name.startswith(_MARK)
        }

    def __repr__(self) -> str:
        return f"RulePattern({self.pattern!r})"

    @property
    def prefilter(self) -> regex.Pattern[str]:
        """A plain regex every match of this pattern matches (its part before any check or gap)."""
        return self._first

    def _accepted(self, m: regex.Match[str]) -> bool:
        for check in self._checks:
            at = m.start(check.group)
            if at < 0:
                continue  # the marker's branch did not take part in this match
            if (check.pattern.match(m.string, at) is not None) == check.negative:
                return False
        return True

    def _firsts(self, text: str, pos: int) -> Iterator[regex.Match[str]]:
        for m in self._first.finditer(text, pos):
            if not self._checks or self._accepted(m):
                yield m

    def finditer(self, text: str, pos: int = 0) -> Iterator[RuleMatch]:
        if not self._second:
            for m in self._firsts(text, pos):
                yield RuleMatch(text, m.span(), _named(m))
            return
        tried = 0
        for m in self._firsts(text, pos):
            tried += 1
            if tried > MAX_FIRSTS:
                return
            groups = _named(m)
            values = {k: v or "" for k, v in groups.items()}
            second = regex.compile(_fill(self._second, {k: regex.escape(v) for k, v in values.items()}), self.flags)
            found = second.search(text, m.end())
            if found is None or found.start() > m.end() + self._gap:
                continue
            for name, value in found.groupdict().items():
                groups.setdefault(name, value)
            yield RuleMatch(text, (m.start(), found.end()), groups)

    def search(self, text: str, pos: int = 0) -> RuleMatch | None:
        return next(self.finditer(text, pos), None)


def compile_rule_pattern(source: str, flags: int = 0) -> regex.Pattern[str] | RulePattern:
    """A plain RE2 pattern when the source needs nothing more, else a RulePattern; `regex.error` names
    what cannot run in linear time."""
    if "(?=" not in source and "(?!" not in source and "(?P=" not in source:
        return regex.compile(source, flags)
    return RulePattern(source, flags)


class DeferredPattern:
    """A rule pattern compiled on first use: a pack holds ~1,000 patterns and a run tries a few dozen.

    `pattern` and `flags` are the source's; `search`, `finditer` and `groupindex` are the compiled
    pattern's own (bound once, so a call costs what it costs on the compiled pattern); any other
    attribute is the compiled pattern's, looked up on each use. A pack is
    validated when it is parsed (every pattern compiled then, and handed in as `compiled`); a pack read
    back from the compiled-pack cache (gardener/rules/pack_cache.py) compiles each pattern when a rule
    first reaches it. Equal when source and flags are.
    """

    __slots__ = ("_compiled", "finditer", "flags", "groupindex", "pattern", "search")

    search: Callable[..., Any]
    finditer: Callable[..., Iterator[Any]]
    groupindex: dict[str, int]

    def __init__(self, source: str, flags: int = 0, compiled: regex.Pattern[str] | RulePattern | None = None) -> None:
        self.pattern = source
        self.flags = flags
        if compiled is not None:
            self._bind(compiled)

    def _bind(self, compiled: regex.Pattern[str] | RulePattern) -> None:
        self._compiled = compiled
        self.search = compiled.search
        self.finditer = compiled.finditer
        self.groupindex = compiled.groupindex

    def compiled(self) -> regex.Pattern[str] | RulePattern:
        """The compiled pattern (compiling it now if no rule has used it yet)."""
        try:
            return self._compiled
        except AttributeError:
            self._bind(compile_rule_pattern(self.pattern, self.flags))
            return self._compiled

    def __getattr__(self, name: str) -> Any:  # reached for an unset slot, or a name only the compiled one has
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeferredPattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __reduce__(self) -> tuple[type[DeferredPattern], tuple[str, int]]:
        return DeferredPattern, (self.pattern, self.flags)

    def __repr__(self) -> str:
        return f"DeferredPattern({self.pattern!r})"


def any_matches(sources: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether any of the rule-pack pattern `sources` matches a text, compiled on first use: a key change's
    predicate spelling what a widened rule's evidence matched before (gardener/widened_v*.py)."""
    compiled: list[tuple[regex.Pattern[str] | RulePattern, ...]] = []

    def matches(text: str) -> bool:
        if not compiled:
            compiled.append(tuple(compile_rule_pattern(p) for p in sources))
        return any(p.search(text) is not None for p in compiled[0])

    return matches


def _lead_flags(source: str) -> str:
    """The pattern's leading inline flags (`(?im)`), which a part compiled on its own must keep."""
    if source.startswith("(?") and (close := source.find(")")) > 2 and source[2:close].isalpha():
        return source[: close + 1]
    return ""


def _named(m: regex.Match[str]) -> dict[str, str | None]:
    return {k: v for k, v in m.groupdict().items() if not k.startswith(_MARK)}


def _fill(parts: tuple[str, ...], values: dict[str, str]) -> str:
    return "".join(values[p] if i % 2 else p for i, p in enumerate(parts))


def _split_gap(source: str) -> tuple[str, int, str]:
    """`A[\\s\\S]{0,N}?B` → (A, N, B); a backreference must follow exactly one such gap."""
    at = source.find(_GAP)
    close = source.find("}?", at) if at >= 0 else -1
    if at < 0 or close < 0 or not source[at + len(_GAP) : close].isdigit() or source.find(_GAP, close) >= 0:
        raise regex.error(
            "not linear-time-safe: a backreference is only run after one bounded gap, as A[\\s\\S]{0,N}?B with "
            "(?P=name) in B"
        )
    return source[:at], int(source[at + len(_GAP) : close]), source[close + 2 :]


def _split_backrefs(second: str) -> tuple[str, ...]:
    """B split into literal regex text and group names: (text, name, text, name, ..., text)."""
    parts: list[str] = []
    rest = second
    while (at := rest.find("(?P=")) >= 0:
        close = rest.find(")", at)
        parts += [rest[:at], rest[at + 4 : close]]
        rest = rest[close + 1 :]
    parts.append(rest)
    return tuple(parts)


def _compile_checked(source: str, flags: int) -> tuple[regex.Pattern[str], tuple[_Check, ...]]:
    """The pattern with each lookahead replaced by a marker group, and the checks to run there."""
    out: list[str] = []
    checks: list[_Check] = []
    opens: list[int] = []  # indexes in `out` of the groups open around this point
    pending: list[tuple[int, int]] = []  # (depth of the lookahead, index of its check)
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if c == "[":
            end = _class_end(source, i)
            out.append(source[i:end])
            i = end
            continue
        if source.startswith(("(?!", "(?="), i):
            end = _group_end(source, i)
            inner = source[i + 3 : end]
            name = f"{_MARK}{len(checks)}"
            checks.append(_Check(name, regex.compile(_lead_flags(source) + inner, flags), source[i + 2] == "!"))
            pending.append((len(opens), len(checks) - 1))
            out.append(f"(?P<{name}>)")
            i = end + 1
            continue
        if source.startswith(("(?<=", "(?<!"), i):
            raise regex.error("not linear-time-safe: uses a lookbehind, which RE2 cannot run (rewrite it as a check)")
        if c == "(":
            opens.append(i)
        elif c == ")" and opens:
            opens.pop()
            after = source[i + 1 : i + 2]
            if after in ("*", "+", "{") and any(depth > len(opens) for depth, _ in pending):
                raise regex.error("not linear-time-safe: a lookahead inside a repeated group cannot be run as a check")
            pending = [(d, k) for d, k in pending if d <= len(opens)]
        out.append(c)
        i += 1
    return regex.compile("".join(out), flags), tuple(checks)


def _class_end(source: str, start: int) -> int:
    """The index just after the `]` closing the class opened at `start` (a leading `]` is literal)."""
    i = start + 1
    if source.startswith("^", i):
        i += 1
    if source.startswith("]", i):
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _group_end(source: str, start: int) -> int:
    """The index of the `)` closing the group opened at `start`."""
    depth, i = 0, start
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(source, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise regex.error("invalid regex: missing )")


Compiled = Any  # DeferredPattern (over regex.Pattern[str] | RulePattern): what rules/model.Pattern.regex holds
