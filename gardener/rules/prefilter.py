"""Literal prefilters: text a regex cannot match without, so most rules are skipped by `in`.

Python's `re` scans every position of a long log for each of a hundred patterns; most of them
start with a case-insensitive alternation that defeats its literal fast path. Every pattern
here is reduced, from its parse tree, to a set of literals of which at least one must occur in
any text it matches. A plain substring test (memchr-fast) then rules most patterns out before
the regex runs. No literal found means no prefilter: the regex always runs.

Case-insensitive patterns compare lower-cased needles with lower-cased text. (Exotic Unicode
case folds such as U+017F matching `s` are not covered; the rule packs are ASCII.)
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]  # re's own parse tree (3.11+)
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any, Protocol

MIN_NEEDLE = 3

Needles = frozenset[str] | None


def _best(options: list[frozenset[str]], min_len: int = MIN_NEEDLE) -> Needles:
    """The most selective requirement: the one whose shortest literal is longest (and at least `min_len`)."""
    usable = [o for o in options if o and min(len(s) for s in o) >= min_len]
    if not usable:
        return None
    return max(usable, key=lambda o: (min(len(s) for s in o), -len(o)))


def _sequence(items: Any, min_len: int = MIN_NEEDLE) -> Needles:
    options: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append(frozenset({"".join(run)}))
            run.clear()

    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg))
            continue
        flush()
        sub = _element(op, arg, min_len)
        if sub is not None:
            options.append(sub)
    flush()
    return _best(options, min_len)


def _element(op: Any, arg: Any, min_len: int = MIN_NEEDLE) -> Needles:
    if op is _c.SUBPATTERN:
        add_flags = arg[1] or 0
        return None if add_flags & re.IGNORECASE else _sequence(arg[-1], min_len)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = arg
        return _sequence(body, min_len) if low >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(arg, min_len)
    if op is _c.BRANCH:
        alternatives: set[str] = set()
        for branch in arg[1]:
            need = _sequence(branch, min_len)
            if need is None:
                return None
            alternatives |= need
        return frozenset(alternatives)
    return None  # classes, anchors, lookarounds, backreferences: no literal guaranteed


class Source(Protocol):
    """A compiled pattern's source: what is parsed here (RE2 runs it; re only reads its syntax)."""

    @property
    def pattern(self) -> str: ...
    @property
    def flags(self) -> int: ...


def parsed_alike(pattern: str) -> bool:
    """Whether Python's parser reads `pattern` as RE2 (which runs it) does. RE2 reads `[[:space:]]` as a POSIX
    class; Python's parser reads a set and a literal `]`, so the literals it says a match needs would be wrong:
    a pattern with `[:` anywhere gets no needles and is not line-local (linelocal.py)."""
    return "[:" not in pattern


def needles_of(regex: Source) -> tuple[Needles, bool]:
    """(at least one of these literals occurs in every match, compare case-insensitively?)"""
    if not parsed_alike(regex.pattern):
        return None, False
    try:
        parsed = _p.parse(regex.pattern, regex.flags)
    except Exception:  # a pattern re compiled but the private parser cannot read: no prefilter
        return None, False
    fold = bool(parsed.state.flags & re.IGNORECASE)
    found = _sequence(list(parsed))
    if found is not None and fold:
        found = frozenset(s.lower() for s in found)
    return found, fold
