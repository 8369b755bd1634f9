"""`ImportError while loading conftest '…/tests/conftest.py'.`: pytest stops before collecting anything.

pytest prints the header, the import's frames and `E   ModuleNotFoundError: …`, then exits with code 4:
no test ran and no summary follows. The block is one error result for the conftest file (its path as
the frames give it, repo-relative), so the failure is a collection error of that file rather than
the runner's bare exit code.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.pytest_text import lines as pl
from gardener.ingest.pytest_text.blocks import Block
from gardener.model import Result, Source

_HEADER = re.lazy(r"^(?P<kind>ImportError|[A-Z]\w*Error) while loading conftest '(?P<path>[^']+)'")
MAX_LINES = 200


def conftest_header(text: str) -> str | None:
    """The conftest path of an `ImportError while loading conftest '<path>'.` line."""
    if "while loading conftest" not in text:
        return None
    m = _HEADER.match(text.strip())
    return m.group("path") if m else None


def continues(text: str) -> bool:
    """A line of the block: a frame (`path:9: in <module>`), indented source, an `E` line, or the
    exception itself printed unindented after the frames (`SyntaxError: invalid syntax`, when the
    conftest does not even parse)."""
    return bool(text.strip()) and (
        text[:1].isspace() or pl.e_line(text) is not None or pl.frame(text) is not None
        or _exception_line(text)
    )


def _exception_line(text: str) -> bool:
    """`SyntaxError: invalid syntax`: an exception class (not `assert`, not prose) ending the frames."""
    return bool(pl.exception_type(text)) and not text.strip().startswith("assert ")


def start(number: int, text: str, path: str, timestamp: datetime | None) -> Block:
    block = Block(path, number, timestamp, end=number)
    block.excerpt.add(text, number)
    return block


def conftest_result(block: Block, path: str, kind: str) -> Result:
    """The block as an error of the conftest file (named relative when a frame shows it so)."""
    absolute = block.title
    relative = next((f for f, _ in block.frames if absolute.replace("\\", "/").endswith("/" + f.lstrip("./"))), None)
    frame = next((fr for fr in block.frames if fr[0] == relative), block.frames[0] if block.frames else None)
    message = block.e_message() or block.last_exception or f"ImportError while loading conftest '{absolute}'"
    return Result(
        id=relative or absolute,
        outcome="error",
        source=Source(path, kind), source_line=block.start,
        message=message,
        error_type=pl.exception_type(message) or "ImportError",
        details=block.excerpt.render(),
        file=frame[0] if frame else relative or absolute,
        line=frame[1] if frame else None,
        timestamp=block.timestamp,
    )
