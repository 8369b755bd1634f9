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
from types import ModuleType
from typing import Any, TextIO

_INDENT = "  "
_BATCH = 64  # items per write: few syscalls, bounded memory (a batch of results and its text, ~0.1 MB)
_BATCH_VALUES = 2048  # values (items and their list members) per write (8192 held 3 MiB more on 100k failures)

_orjson: ModuleType | None
try:  # optional: about 4x faster for large outputs; the fallback writes the same bytes
    import orjson as _orjson
except ImportError:  # pragma: no cover - the fallback is tested by setting _orjson to None
    _orjson = None

_STDLIB = json.JSONEncoder(indent=2, ensure_ascii=False)
# Where orjson and repr() spell a float differently: repr() writes an exponent below 1e-4 and
# from 1e16 ("1e-05", "1e+16"), orjson writes "0.00001" and "1e16". Every such number in orjson's
# text has an exponent or starts "0.0000" (checked over 1e-30..1e30); a string that merely looks
# like one is told apart below, and only a batch that holds such a number goes through the slower,
# always exact, standard library. The text is searched for
# `[0-9][eE]` with every digit mapped to 0 and E to e by one bytes.translate, then for "0e": a
# hundredth of what the regular expression cost (0.2 s on 10,000 results), the same answer.
_FOLD_DIGITS = bytes.maketrans(b"123456789E", b"000000000e")


def _may_differ(text: bytes) -> bool:
    """Whether orjson's `text` holds `[0-9][eE]` or `0.0000`, where orjson may spell a float otherwise."""
    return b"0.0000" in text or b"0e" in text.translate(_FOLD_DIGITS)


# `_may_differ` is also true of a string that merely looks like a number (a digit then `e` in a hex
# id). In indented output a number is the last token of its line (then a comma at most), while a
# string value or key ends in its closing quote (a newline inside a string is escaped): so only a token
# of that shape at a line's end is a number. RE2 (loaded when output is written, not for `--help`)
# reads orjson's bytes once, in linear time.
_DIFFERS_SOURCE = rb"(?:[0-9][eE][-+]?[0-9]+|0\.0000[0-9]*),?$"
_differs: Any = None


def _spelled_differently(text: bytes) -> bool:
    global _differs
    if _differs is None:
        from gardener import regex

        _differs = regex.compile(_DIFFERS_SOURCE, regex.MULTILINE)
    return bool(_differs.search_start(text) >= 0)


def _encode_list(values: list[Any]) -> str:
    """`values` as the standard library indents a list at the top level: `[\n  item,\n  item\n]`."""
    if _orjson is not None:
        try:
            text: bytes = _orjson.dumps(values, option=_orjson.OPT_INDENT_2)
        except (TypeError, _orjson.JSONEncodeError):  # a non-string key, an integer beyond 64 bits
            return _STDLIB.encode(values)
        if not _may_differ(text) or not _spelled_differently(text):  # the look-alike is in a string
            return text.decode("utf-8")
    return _STDLIB.encode(values)


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


def _weight(item: Any) -> int:
    """About how many values `item` writes, counting its own list values (a finding's tests) one level down."""
    if isinstance(item, dict):
        return 1 + sum(len(v) for v in item.values() if isinstance(v, (list, tuple)))
    return 1


def _batches(it: Iterator[Any]) -> Iterator[list[Any]]:
    """At most _BATCH items, and fewer once they hold _BATCH_VALUES values: a finding with 10,000 tests
    is a batch of its own, so the text of one batch stays small."""
    batch: list[Any] = []
    weight = 0
    for item in it:
        batch.append(item)
        weight += _weight(item)
        if len(batch) >= _BATCH or weight >= _BATCH_VALUES:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def _items(values: Iterable[Any], level: int) -> Iterator[str]:
    shift = "\n" + _INDENT * level
    opener = "["
    for batch in _batches(iter(values)):
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
