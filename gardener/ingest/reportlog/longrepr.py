"""pytest's serialised failure representation (`longrepr` in report-log entries), made readable.

It comes in three shapes: a plain string (collection errors, some plugins), a `[path, lineno,
reason]` triple (skips) and a dict of `reprcrash` (where it crashed, the exception text) and
`reprtraceback` (the traceback entries), possibly as a `chain` of chained exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gardener.ingest.excerpt import Excerpt
from gardener.ingest.pytest_text import lines as pl


@dataclass(frozen=True, slots=True)
class Failure:
    message: str = ""
    error_type: str = ""
    details: str = ""
    file: str | None = None
    line: int | None = None


def read_longrepr(value: Any, test_file: str | None = None) -> Failure:
    """The readable parts of a longrepr of any shape; unknown shapes give an empty Failure."""
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, list | tuple) and len(value) == 3:
        path, lineno, reason = value
        message = str(reason).removeprefix("Skipped: ")
        return Failure(message=message, file=str(path), line=_line(lineno))
    if isinstance(value, dict):
        return _from_dict(value, test_file)
    return Failure()


def e_message(lines: list[str]) -> str:
    """The last run of pytest `E` lines, indentation removed: the exception as raised."""
    run: list[str] = []
    in_run = False
    for text in lines:
        e = pl.e_line(text)
        if e is None:
            in_run = False
            continue
        if not in_run:
            run = []
        in_run = True
        run.append(e)
    return pl.e_message(run)


def _from_text(text: str) -> Failure:
    lines = text.splitlines()
    excerpt = Excerpt()
    for line in lines:
        excerpt.add(line)
    message = e_message(lines) or next((t.strip() for t in reversed(lines) if t.strip()), "")
    frames = [f for f in (pl.frame(t) for t in lines) if f]
    e_lines = [e for e in map(pl.e_line, lines) if e is not None]
    shown = [f for f in map(pl.frame, e_lines) if f]
    candidates = shown or frames  # a SyntaxError shows the broken line inside its E lines
    where = candidates[-1] if candidates else None
    return Failure(
        message=message,
        error_type=pl.exception_type(message),
        details=excerpt.render(),
        file=where[0] if where else None,
        line=where[1] if where else None,
    )


def _from_dict(value: dict[str, Any], test_file: str | None) -> Failure:
    raw_crash = value.get("reprcrash")
    crash: dict[str, Any] = raw_crash if isinstance(raw_crash, dict) else {}
    chain = value.get("chain")
    tracebacks: list[tuple[Any, str | None]] = []
    if isinstance(chain, list) and chain:
        for link in chain:
            if isinstance(link, list | tuple) and link and (len(link) < 3 or isinstance(link[2], str | None)):
                tracebacks.append((link[0], link[2] if len(link) > 2 else None))
    elif value.get("reprtraceback") is not None:
        tracebacks.append((value["reprtraceback"], None))
    excerpt = Excerpt()
    last_type = ""
    for traceback, description in tracebacks:
        last_type = _render_traceback(traceback, excerpt) or last_type
        if description:
            excerpt.add("")
            excerpt.add(str(description))
            excerpt.add("")
    message = str(crash.get("message") or "")
    path = crash.get("path")
    file = str(path) if path else None
    if file and test_file and file.replace("\\", "/").endswith("/" + test_file):
        file = test_file  # reprcrash paths are absolute; the node id's relative path reads better
    lineno = crash.get("lineno")
    return Failure(
        message=message,
        error_type=last_type.rsplit(".", 1)[-1] if last_type else pl.exception_type(message),
        details=excerpt.render(),
        file=file,
        line=_line(lineno),
    )


def _line(value: Any) -> int | None:
    """A line number, if the value is one (not a bool, not absurd)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**9:
        return value
    return None


def _items(value: Any) -> list[Any]:
    """A JSON array as a list; any other type (a string, a number, an object) holds no items."""
    return value if isinstance(value, list) else []


def _render_traceback(traceback: Any, excerpt: Excerpt) -> str:
    """Add a reprtraceback's entries to `excerpt`; return the exception type its last entry names."""
    if not isinstance(traceback, dict):
        return ""
    last_type = ""
    for entry in _items(traceback.get("reprentries")):
        data = entry.get("data") if isinstance(entry, dict) else None
        if not isinstance(data, dict):
            continue
        for line in _items(data.get("lines")):
            excerpt.add(str(line))
        location = data.get("reprfileloc")
        if isinstance(location, dict):
            excerpt.add("")
            excerpt.add(f"{location.get('path')}:{location.get('lineno')}: {location.get('message')}")
            kind = str(location.get("message") or "")
            last_type = kind if kind.replace(".", "").replace("_", "").isalnum() else last_type
    return last_type
