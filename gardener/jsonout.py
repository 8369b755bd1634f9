"""`--json` output written as it is produced, never built whole in memory.

The text is byte-identical to `json.dumps(payload, indent=2, ensure_ascii=False) + "\\n"`; the
difference is that a list value may be any iterable (a generator of results), which is written
item by item, so peak memory holds one batch of items rather than the whole document.

Lists are encoded in batches by orjson when it is installed, unless a batch holds something orjson
spells differently (an exponent float, an integer beyond 64 bits, a non-string key): that batch,
and everything without orjson, goes through the standard library. One difference remains: a NaN
or infinite float, which the standard library writes as invalid JSON (`NaN`), orjson writes as
`null`; gardener's readers never produce one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from types import ModuleType
from typing import Any, TextIO

_INDENT = "  "
_BATCH = 256  # items per write: fewer syscalls, bounded memory (a batch of results and its text, ~0.5 MB)

_orjson: ModuleType | None
try:  # optional: about 4x faster for large outputs; the fallback writes the same bytes
    import orjson as _orjson
except ImportError:  # pragma: no cover - the fallback is tested by setting _orjson to None
    _orjson = None

_STDLIB = json.JSONEncoder(indent=2, ensure_ascii=False)
# Where orjson and repr() spell a float differently: repr() writes an exponent below 1e-4 and
# from 1e16 ("1e-05", "1e+16"), orjson writes "0.00001" and "1e16". Every such number in orjson's
# text has an exponent or starts "0.0000" (checked over 1e-30..1e30); a string that merely looks
# like one (a digit then `e` in a hex id) costs a walk of its batch for floats, and only a batch that
# holds one goes through the slower, always exact, standard library. The text is searched for
# `[0-9][eE]` with every digit mapped to 0 and E to e by one bytes.translate, then for "0e": a
# hundredth of what the regular expression cost (0.2 s on 10,000 results), the same answer.
_FOLD_DIGITS = bytes.maketrans(b"123456789E", b"000000000e")


def _may_differ(text: bytes) -> bool:
    """Whether orjson's `text` holds `[0-9][eE]` or `0.0000`, where orjson may spell a float otherwise."""
    return b"0.0000" in text or b"0e" in text.translate(_FOLD_DIGITS)


def _encode_list(values: list[Any]) -> str:
    """`values` as the standard library indents a list at the top level: `[\n  item,\n  item\n]`."""
    if _orjson is not None:
        try:
            text: bytes = _orjson.dumps(values, option=_orjson.OPT_INDENT_2)
        except (TypeError, _orjson.JSONEncodeError):  # a non-string key, an integer beyond 64 bits
            return _STDLIB.encode(values)
        if not _may_differ(text) or not _has_float(values):  # the look-alike is in a string
            return text.decode("utf-8")
    return _STDLIB.encode(values)


def _has_float(value: Any) -> bool:
    """A float anywhere in `value`: the only values orjson and the standard library spell differently."""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_float(v) for v in value)
    return False


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (list, tuple, Iterator)) or (
        isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict))
    )


def chunks(payload: dict[str, Any], level: int = 0) -> Iterator[str]:
    """The indented text of an object, in pieces; list values are streamed a batch at a time."""
    if not payload:
        yield "{}"
        return
    pad = _INDENT * (level + 1)
    first = True
    for key, value in payload.items():
        yield ("{\n" if first else ",\n") + pad + json.dumps(key, ensure_ascii=False) + ": "
        first = False
        if isinstance(value, dict):
            yield from chunks(value, level + 1)
        elif _is_sequence(value):
            yield from _items(value, level + 1)
        else:
            yield _STDLIB.encode(value)
    yield "\n" + _INDENT * level + "}"


def _items(values: Iterable[Any], level: int) -> Iterator[str]:
    it = iter(values)
    shift = "\n" + _INDENT * level
    opener = "["
    while batch := list(islice(it, _BATCH)):
        text = _encode_list(batch)  # "[\n  a,\n  b\n]"
        del batch
        yield opener
        yield text[1:-2].replace("\n", shift)  # "\n  a,\n  b" indented: two copies of the text, not four
        opener = ","
    yield "[]" if opener == "[" else shift + "]"


def write_json(payload: dict[str, Any], out: TextIO) -> None:
    """Write `payload` as indented JSON and a newline, piece by piece."""
    for piece in chunks(payload):
        out.write(piece)
    out.write("\n")
    out.flush()
