"""Which parser reads which file: detection from content, then the parser's own `parse`.

Each parser module exposes `KIND`, `sniff(head: str) -> int` (0 = not mine, higher = surer)
and `parse(path: Path) -> ParsedFile`, raising InputError for a file it must reject. A module may
also expose `parse_brief(path)`: the same results without their `details` (the failure text, which
`gardener ingest` never shows), so that a big report's tracebacks are not held while it is read.

A reader's module is imported when a file is sniffed or read by it, not before: a JUnit report is
known by JUnit's own sniff (SURE, a score no other reader gives), so reading one never loads the log
readers (tens of milliseconds and ~8 MiB of patterns and their libraries).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from gardener.errors import InputError
from gardener.ingest.base import SNIFF_BYTES, ParsedFile, unreadable_reason


@dataclass(frozen=True, slots=True)
class Parser:
    kind: str
    sniff: Callable[[str], int]
    parse: Callable[[Path], ParsedFile]
    parse_brief: Callable[[Path], ParsedFile]  # details left empty; `parse` where a reader has no brief one


def _parser(module: ModuleType) -> Parser:
    return Parser(kind=module.KIND, sniff=module.sniff, parse=module.parse,
                  parse_brief=getattr(module, "parse_brief", module.parse))


# Each reader's kind and module. Order breaks ties: the more structured format wins.
MODULES: dict[str, str] = {
    "junit": "gardener.ingest.junit",
    "reportlog": "gardener.ingest.reportlog",
    "pytest": "gardener.ingest.pytest_text",
    "log": "gardener.ingest.runner_log",
}
# A sniff score that no later reader can beat (JUnit's for a testsuites/testsuite root: the others
# score at most 95): the readers after it are not asked, nor imported.
SURE = 100


@cache
def parser(kind: str) -> Parser:
    found = _parser(importlib.import_module(MODULES[kind]))
    assert found.kind == kind, (found.kind, kind)
    return found


def all_parsers() -> tuple[Parser, ...]:
    """Every reader, in tie-breaking order (each imported)."""
    return tuple(parser(kind) for kind in MODULES)


def read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(str(path), unreadable_reason(exc)) from None


def reject_unreadable(path: Path, head: bytes) -> None:
    """Refuse what no parser can read: empty files and binary data."""
    if not head.strip():
        raise InputError(str(path), "empty file")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "binary file (NUL bytes), not a test report or log")


def detect(path: Path, head: bytes) -> Parser:
    """The parser whose sniff is surest about this content; the name only breaks ties.

    A file named `.xml` is XML or nothing: read as a log it would pass as a green run.
    """
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    best_score, best = 0, None
    for kind in MODULES:
        candidate = parser(kind)
        score = candidate.sniff(text)
        if best is None or score > best_score:
            best_score, best = score, candidate
        if score >= SURE:
            break
    assert best is not None
    if path.suffix.lower() == ".xml" and best.kind != "junit":
        start = text.lstrip()[:1]
        raise InputError(str(path), f"not XML: named .xml but starts with {start!r}, not '<'")
    if best_score <= 0:
        raise InputError(str(path), "not a recognised test report or log")
    return best


# What a reader bug looks like on hostile input. Caught at the file boundary so that the
# other files are still read; the fuzz suite (tests/fuzz) is what keeps these from happening.
_READER_BUGS = (RecursionError, OverflowError, TypeError, ValueError, KeyError, IndexError, AttributeError)


def parse_file(path: Path, kind: str = "auto", *, details: bool = True) -> tuple[str, ParsedFile]:
    """(kind, what the file holds); with details=False a reader may leave each result's details empty."""
    head = read_head(path)
    reject_unreadable(path, head)
    try:
        chosen = detect(path, head) if kind == "auto" else parser(kind)
        return chosen.kind, (chosen.parse if details else chosen.parse_brief)(path)
    except _READER_BUGS as exc:
        reason = f"{type(exc).__name__}: {str(exc)[:200]}".splitlines()[0]
        raise InputError(str(path), f"could not be read (gardener reader error, please report: {reason})") from None
