"""Title / root-cause / remediation templates filled from a rule's named captures.

Syntax: `{name}` (first captured value), `{name*}` (every distinct value, comma-separated),
`{name|basename}` (last path component), `{name|lower}`, `{name|port}` (a network port: in a
signature key, a fixed service port is kept out of the masks because it names the service; a
random ephemeral port is masked as usual), `{name?fallback text}` (used when nothing was
captured), `{name+text with %}` (an optional phrase: the text with `%` replaced by the value when
something was captured, else nothing; without `%` the value follows the text), so an optional
part still reads as a sentence: `cannot be imported{module+ (importing `%` fails)}`. A template
with a missing capture and no fallback or phrase renders `{name}` as "unknown".
Deliberately not str.format: user templates must not reach attributes or indexes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from gardener import regex as re
from gardener.normalize import keep_verbatim
from gardener.rules.endpoints import fixed_port

PLACEHOLDER = re.lazy(
    r"\{(?P<name>[A-Za-z_]\w*)(?P<all>\*)?(?:\|(?P<filter>basename|lower|port))?"
    r"(?:\+(?P<phrase>[^{}?]*))?(?:\?(?P<fallback>[^{}]*))?\}"
)


def names_in(template: str) -> set[str]:
    return {m.group("name") for m in PLACEHOLDER.finditer(template)}


def _basename(value: str) -> str:
    parts = [p for p in re.split(r"[/\\]", value.rstrip("/\\")) if p]
    return parts[-1] if parts else value


# One placeholder, parsed: (name, all values, filter, phrase, fallback).
_Slot = tuple[str, bool, str | None, str | None, str | None]


@functools.lru_cache(maxsize=2048)
def _parsed(template: str) -> tuple[tuple[str, _Slot | None], ...]:
    """The template as (literal text, placeholder after it) pieces: parsed once, filled per finding."""
    pieces: list[tuple[str, _Slot | None]] = []
    at = 0
    for m in PLACEHOLDER.finditer(template):
        slot = (m.group("name"), bool(m.group("all")), m.group("filter"), m.group("phrase"), m.group("fallback"))
        pieces.append((template[at : m.start()], slot))
        at = m.end()
    pieces.append((template[at:], None))
    return tuple(pieces)


def _fill(slot: _Slot, captures: Mapping[str, Sequence[str]], key: bool) -> str:
    name, every, kind, phrase, fallback = slot
    values = [v for v in captures.get(name, ()) if v]
    if not values:
        return fallback if fallback is not None else ("" if phrase is not None else "unknown")
    chosen = list(dict.fromkeys(values)) if every else values[:1]
    if kind == "basename":
        chosen = [_basename(v) for v in chosen]
    elif kind == "lower":
        chosen = [v.lower() for v in chosen]
    elif kind == "port" and key:
        chosen = [keep_verbatim(v) if fixed_port(v) else v for v in chosen]
    joined = ", ".join(chosen)
    if phrase is None:
        return joined
    return phrase.replace("%", joined) if "%" in phrase else phrase + joined


def render(template: str, captures: Mapping[str, Sequence[str]], *, key: bool = False) -> str:
    """The template filled in; `key=True` for a signature key (see the `port` filter)."""
    if "{" not in template:  # no placeholder: most titles and causes of test-scoped rules
        return template
    return "".join(text + (_fill(slot, captures, key) if slot is not None else "") for text, slot in _parsed(template))
