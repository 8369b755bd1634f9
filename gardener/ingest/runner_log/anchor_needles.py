"""Each anchor rule's needles: literals of which one occurs in any line its pattern matches.

A line that passes the finder's hints is tried against the anchor rules in order (anchors.py). A
line no rule matches used to compile and search every pattern of the table: ~190 RE2 compiles, about
6% of a `gardener run` on the bundled example, and more with every family rule added. With needles
(gardener/rules/prefilter.py, as the rule pack has them) a rule whose literals are not in the line is
passed over by `in`; only the rules a line names are compiled. A pattern without needles (or with
non-ASCII ones, where Python's and RE2's case folding part) is always tried.

Working the needles out parses each pattern with Python's regex parser (~40 ms for the table), so
they are kept in the cache folder (cachedir.py), in a JSON file named by a hash of the patterns and of
the code that reads them; a file that does not read back is a miss, a cache that cannot be written
no error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from gardener import regex as re
from gardener.cachedir import user_cache_root
from gardener.rules.prefilter import needles_of

FORMAT = "gardener-anchor-needles-1"
_READER = Path(__file__).resolve().parents[2] / "rules" / "prefilter.py"  # needles_of: its text is in the key

Gate = tuple[tuple[str, ...], bool] | None  # (needles, compare case-folded?); None: always try the rule


def gates_for(patterns: Sequence[re.Pattern[str]], environ: Mapping[str, str] = os.environ, name: str = "anchors"
              ) -> tuple[Gate, ...]:
    """One gate per pattern, from the cache when these patterns were read by this code before (`name`: the table's,
    the start of its cache file's name)."""
    key = _key(patterns)
    path = user_cache_root(environ) / "needles" / f"{name}-{key[:32]}.json" if key else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and len(data["gates"]) == len(patterns):
                return tuple(_gate(g) for g in data["gates"])
    gates = tuple(_worked_out(p) for p in patterns)
    if path is not None:
        _write(path, json.dumps({"format": FORMAT, "gates": [[list(g[0]), g[1]] if g else None for g in gates]}))
    return gates


def _gate(raw: object) -> Gate:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 2:
        raise TypeError("not a gate")
    needles, fold = raw
    if not isinstance(needles, list) or not needles or not all(isinstance(n, str) for n in needles):
        raise TypeError("not a gate")
    return tuple(needles), bool(fold)


def _worked_out(pattern: re.Pattern[str]) -> Gate:
    needles, fold = needles_of(pattern)
    if not needles or not all(n.isascii() for n in needles):
        return None
    return tuple(sorted(needles)), fold


def _key(patterns: Sequence[re.Pattern[str]]) -> str | None:
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    try:
        h.update(_READER.read_bytes())
    except OSError:
        return None
    for p in patterns:
        h.update(f"\0{p.flags}\0{p.pattern}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _write(path: Path, text: str) -> None:
    """Atomically (a reader sees the whole file or none); a failure is no error."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".anchors-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def folded(text: str) -> str:
    """`text` as a fold gate compares it: ASCII letters lower-cased, and the two other characters RE2's
    case folding takes for an ASCII letter (KELVIN SIGN, LONG S) mapped to it (regex.LiteralSet does the same)."""
    return text.lower() if text.isascii() else text.translate(re._FOLD)


def opens(gate: Gate, text: str, lowered: str) -> bool:
    """Whether the rule behind `gate` may match `text` (`lowered`: `folded(text)`)."""
    if gate is None:
        return True
    needles, fold = gate
    hay = lowered if fold else text
    return any(n in hay for n in needles)
