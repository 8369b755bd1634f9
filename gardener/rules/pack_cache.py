"""The shipped rule pack, parsed once per version of it: a JSON file keyed by a content hash.

Parsing builtin.toml (TOML, ~1,000 regexes compiled to validate them, each reduced to its literal
needles through re's parser) cost ~150 ms of every run. What it yields depends only on the pack's text
and on the code that reads it, so the file's name is the sha256 of both: the pack, every module of
gardener/rules, gardener/model.py and gardener/regex.py, the Python version and the RE2 extension
(path, size, mtime). An edit to any of them is a miss, never a stale hit. A hit is the same RuleSet;
each pattern then compiles when a rule first reaches it (rules/pattern.py DeferredPattern).

The file is plain JSON, never pickle (a cache folder may be shared or restored in CI); anything in it
that does not read back as a pack is a miss. It lives in $GARDENER_CACHE, else $XDG_CACHE_HOME/gardener,
else ~/.cache/gardener, under rules/. A cache that cannot be read or written is no error: the pack is
parsed as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from gardener.cachedir import user_cache_root
from gardener.regex import engine_id
from gardener.rules.model import Category, Pattern, Rule, RuleSet
from gardener.rules.pattern import DeferredPattern

FORMAT = "gardener-rule-pack-4"
STALE_S = 30 * 86400  # an entry no run has written for this long belongs to code that is gone
_HERE = Path(__file__).resolve().parent
# Every source file whose text can change what a pack parses to (besides the pack itself).
_CODE = (*sorted(_HERE.glob("*.py")), _HERE.parent / "model.py", _HERE.parent / "regex.py")


def cache_dir(environ: Mapping[str, str]) -> Path:
    return user_cache_root(environ) / "rules"


def pack_key(pack: str | bytes) -> str | None:
    """The hash naming a pack's cache file (the same for a text and its UTF-8 bytes); None when the code that
    reads packs cannot be read (no cache)."""
    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{sys.version}\0".encode())
    try:
        h.update(engine_id().encode() + b"\0")
        for path in _CODE:
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except (OSError, AttributeError):
        return None
    h.update(pack if isinstance(pack, bytes) else pack.encode("utf-8"))
    return h.hexdigest()


# -- RuleSet <-> JSON: every field a model's constructor takes, so a field added to the model is carried
# without a change here (fields it computes itself are computed again; a value JSON cannot hold means no cache).


def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.init)


_PATTERN_FIELDS = _init_fields(Pattern)
_REGEX_AT = _PATTERN_FIELDS.index("regex")
_NEEDLES_AT = _PATTERN_FIELDS.index("needles")


def _plain(value: Any) -> Any:
    if isinstance(value, Pattern):  # one small object a pattern: its fields in order, the regex as [source, flags] and
        # the needles as a sorted list (as a {"$set"} object they would cost the parser a second callback a pattern)
        values: list[Any] = []
        for name in _PATTERN_FIELDS:
            v = getattr(value, name)
            if name == "regex":
                values.append([v.pattern, v.flags])
            elif name == "needles":
                values.append(None if v is None else sorted(v))
            else:
                values.append(_plain(v))
        return {"$p": values}
    if isinstance(value, frozenset):
        return {"$set": sorted(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"rule pack cache: cannot store {type(value).__name__}")


def _tuples(value: Any) -> Any:
    return tuple(map(_tuples, value)) if type(value) is list else value


def _object(raw: dict[str, Any]) -> Any:
    """json's object_hook: each object as it is parsed (innermost first), so the pack is built in one pass
    of the C parser instead of a second walk over what it made (~half the cost of a load)."""
    if "$p" in raw:
        values = raw["$p"]
        source, flags = values[_REGEX_AT]
        values[_REGEX_AT] = DeferredPattern(source, flags)
        if values[_NEEDLES_AT] is not None:
            values[_NEEDLES_AT] = frozenset(values[_NEEDLES_AT])
        return Pattern(*values)
    if "$set" in raw:
        return frozenset(raw["$set"])
    for k, v in raw.items():  # a model's (or a pattern's) fields: JSON arrays are tuples in the models
        if type(v) is list:
            raw[k] = _tuples(v)
    return raw


def dump(rules: RuleSet) -> str:
    return json.dumps({
        "format": FORMAT,
        "categories": {n: {k: _plain(getattr(c, k)) for k in _init_fields(Category)}
                       for n, c in rules.categories.items()},
        "rules": [{k: _plain(getattr(r, k)) for k in _init_fields(Rule)} for r in rules.rules],
    }, separators=(",", ":"))


def load(text: str) -> RuleSet:
    """A RuleSet from `dump`'s text; ValueError, KeyError or TypeError when it is not one."""
    data = json.loads(text, object_hook=_object)
    if type(data) is not dict or data.get("format") != FORMAT:
        raise ValueError("not a rule pack cache")
    categories = {n: Category(**c) for n, c in data["categories"].items()}
    rules = tuple(Rule(**r) for r in data["rules"])
    return RuleSet(categories=categories, rules=rules)


def cached_pack(pack: str | bytes, parse: Callable[[str], RuleSet], environ: Mapping[str, str] = os.environ) -> RuleSet:
    """`parse(text)`, read from the cache when this pack was parsed by this code before. Given as bytes (UTF-8),
    the pack is decoded only on a miss: the shipped one decodes to ~1.8 MB of str (an emoji makes it 4 bytes a
    character), which a hit never reads."""
    key = pack_key(pack)
    if key is None:
        return parse(_text(pack))
    where = cache_dir(environ)
    path = where / f"pack-{key[:32]}.json"
    try:
        return load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        pass  # no entry yet, or not one this code wrote: parse it and (re)write it
    rules = parse(_text(pack))
    with contextlib.suppress(TypeError):  # a model field JSON cannot hold: parse every time, as before
        _write(where, path, dump(rules))
    return rules


def _text(pack: str | bytes) -> str:
    return pack.decode("utf-8") if isinstance(pack, bytes) else pack


def _write(where: Path, path: Path, text: str) -> None:
    """Atomically (a reader sees the whole file or none); then drop entries left by code long gone. Entries
    of other checkouts sharing the folder stay: each names its own code."""
    tmp: str | None = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".pack-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
        tmp = None
        horizon = time.time() - STALE_S
        for old in where.glob("pack-*.json"):
            if old.stat().st_mtime < horizon:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
