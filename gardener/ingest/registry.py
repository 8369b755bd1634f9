"""Which parser reads which file: detection from content, then the parser's own `parse`.

Each parser module exposes `KIND`, `sniff(head: str) -> int` (0 = not mine, higher = surer)
and `parse(path: Path) -> ParsedFile`, raising InputError for a file it must reject.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from gardener.errors import InputError
from gardener.ingest import junit, pytest_text, reportlog, runner_log
from gardener.ingest.base import SNIFF_BYTES, ParsedFile, unreadable_reason


@dataclass(frozen=True, slots=True)
class Parser:
    kind: str
    sniff: Callable[[str], int]
    parse: Callable[[Path], ParsedFile]


def _parser(module: ModuleType) -> Parser:
    return Parser(kind=module.KIND, sniff=module.sniff, parse=module.parse)


# Order breaks ties: the more structured format wins.
PARSERS: tuple[Parser, ...] = tuple(_parser(m) for m in (junit, reportlog, pytest_text, runner_log))
BY_KIND: dict[str, Parser] = {p.kind: p for p in PARSERS}


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
    scored = [(p.sniff(text), -i, p) for i, p in enumerate(PARSERS)]
    best_score, _, best = max(scored, key=lambda t: (t[0], t[1]))
    if path.suffix.lower() == ".xml" and best.kind != junit.KIND:
        start = text.lstrip()[:1]
        raise InputError(str(path), f"not XML: named .xml but starts with {start!r}, not '<'")
    if best_score <= 0:
        raise InputError(str(path), "not a recognised test report or log")
    return best


# What a reader bug looks like on hostile input. Caught at the file boundary so that the
# other files are still read; the fuzz suite (tests/fuzz) is what keeps these from happening.
_READER_BUGS = (RecursionError, OverflowError, TypeError, ValueError, KeyError, IndexError, AttributeError)


def parse_file(path: Path, kind: str = "auto") -> tuple[str, ParsedFile]:
    head = read_head(path)
    reject_unreadable(path, head)
    try:
        parser = detect(path, head) if kind == "auto" else BY_KIND[kind]
        return parser.kind, parser.parse(path)
    except _READER_BUGS as exc:
        reason = f"{type(exc).__name__}: {str(exc)[:200]}".splitlines()[0]
        raise InputError(str(path), f"could not be read (gardener reader error, please report: {reason})") from None
