"""Whether a rule pattern's matches stay within one line: no match of it can hold a newline.

classify's narrowed memo key (rules/narrow.py) drops the lines of a text that no such pattern can
match in; this tells which patterns allow it. Read from the pattern's parse tree (the parser
prefilter.py uses): a literal newline, a class that holds one (`\\s`, `[^x]`, `\\D`, `\\W`), a dot
under DOTALL, a lookaround or a backreference make a pattern not line-local; so does anything the
parser cannot read. Anchors are fine: at a line's edges `^`, `$`, `\\b` see a newline or the text's
edge, which they treat alike, and `\\A`/`\\z` can only match less often inside a text than on the
line alone.
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]  # re's own parse tree (3.11+)
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

from gardener.rules.prefilter import _sequence as _required
from gardener.rules.prefilter import parsed_alike

_NL = ord("\n")
# Character categories (inside a class or alone) that hold a newline.
_NL_CATEGORIES = frozenset({_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT, _c.CATEGORY_NOT_WORD, _c.CATEGORY_LINEBREAK,
                            _c.CATEGORY_UNI_SPACE, _c.CATEGORY_UNI_NOT_DIGIT, _c.CATEGORY_UNI_NOT_WORD,
                            _c.CATEGORY_UNI_LINEBREAK, _c.CATEGORY_LOC_NOT_WORD})
_CATEGORIES = frozenset({*_NL_CATEGORIES, _c.CATEGORY_NOT_SPACE, _c.CATEGORY_DIGIT, _c.CATEGORY_WORD,
                         _c.CATEGORY_NOT_LINEBREAK, _c.CATEGORY_UNI_NOT_SPACE, _c.CATEGORY_UNI_DIGIT,
                         _c.CATEGORY_UNI_WORD, _c.CATEGORY_UNI_NOT_LINEBREAK, _c.CATEGORY_LOC_WORD})
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


class _NotLocal(Exception):
    pass


def line_local(source: str, flags: int = 0) -> bool:
    """True when no match of the regex `source` (with `flags`) can contain a newline."""
    if not parsed_alike(source):
        return False
    try:
        parsed = _p.parse(source, flags)
    except Exception:  # a source the parser cannot read: assume the worst
        return False
    try:
        _sequence(parsed, bool(parsed.state.flags & re.DOTALL))
    except _NotLocal:
        return False
    return True


def _class_holds_newline(items: Any) -> bool:
    negate, held = False, False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            held = held or arg == _NL
        elif op is _c.RANGE:
            held = held or arg[0] <= _NL <= arg[1]
        elif op is _c.CATEGORY:
            if arg not in _CATEGORIES:
                raise _NotLocal
            held = held or arg in _NL_CATEGORIES
        else:  # anything else in a class: unknown
            raise _NotLocal
    return held != negate


def _sequence(items: Any, dotall: bool) -> None:
    for op, arg in items:
        if op is _c.LITERAL:
            if arg == _NL:
                raise _NotLocal
        elif op is _c.NOT_LITERAL:
            if arg != _NL:  # [^x] holds a newline unless x is one
                raise _NotLocal
        elif op is _c.ANY:
            if dotall:
                raise _NotLocal
        elif op is _c.IN:
            if _class_holds_newline(arg):
                raise _NotLocal
        elif op is _c.AT:
            continue
        elif op is _c.SUBPATTERN:
            _group, add, remove, body = arg
            inner = (dotall or bool(add & re.DOTALL)) and not bool(remove & re.DOTALL)
            _sequence(body, inner)
        elif op in _REPEATS:
            _sequence(arg[2], dotall)
        elif op is _c.BRANCH:
            for branch in arg[1]:
                _sequence(branch, dotall)
        else:  # lookarounds, backreferences, atomic groups, conditionals: read beyond the match or unknown
            raise _NotLocal


def start_needles(source: str, flags: int = 0) -> tuple[frozenset[str] | None, bool]:
    """(literals of which one occurs in the LINE where any match of the regex starts, compare
    case-insensitively?), or (None, _) when the pattern guarantees none. The literals are required
    (prefilter.py) in the pattern's leading line-local part, or in the leading part of the first
    element that is not line-local (of each alternative, for a choice): that part of a match lies
    within the line the match starts in, so a line before the first one holding such a literal
    starts no match."""
    if not parsed_alike(source):
        return None, False
    try:
        parsed = _p.parse(source, flags)
    except Exception:
        return None, False
    found = _start(list(parsed), bool(parsed.state.flags & re.DOTALL))
    fold = bool(parsed.state.flags & re.IGNORECASE)
    if found is not None and fold:
        found = frozenset(s.lower() for s in found)
    return found, fold


def _start(items: Any, dotall: bool) -> frozenset[str] | None:
    lead: list[Any] = []
    for op, arg in items:
        try:
            _sequence([(op, arg)], dotall)
        except _NotLocal:
            pass
        else:
            lead.append((op, arg))
            continue
        tail: frozenset[str] | None = None
        if op is _c.BRANCH:
            alternatives = [_start(list(branch), dotall) for branch in arg[1]]
            if all(a is not None for a in alternatives):
                tail = frozenset().union(*alternatives)  # type: ignore[arg-type]
        elif op is _c.SUBPATTERN and not arg[1] & re.IGNORECASE:
            tail = _start(list(arg[3]), (dotall or bool(arg[1] & re.DOTALL)) and not bool(arg[2] & re.DOTALL))
        elif op in _REPEATS and arg[0] >= 1:
            tail = _start(list(arg[2]), dotall)
        options = [o for o in (_required(lead, 1), tail) if o]
        return max(options, key=lambda o: (min(len(s) for s in o), -len(o))) if options else None
    return _required(lead, 1)
