"""Writing gardener's outputs: every OS failure becomes an OutputError naming the path (exit 1).

`--out` that cannot be created, a file or device in its place, a read-only directory, a full
disk: each is a one-line gardener error, not an unexpected one.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

from gardener.errors import OutputError


def reason(exc: OSError) -> str:
    """What went wrong, in words, without the path (the caller names it)."""
    if isinstance(exc, FileExistsError) or exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "not a directory"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def make_dir(path: Path) -> None:
    """`path` and its parents as directories; anything else in the way is an OutputError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(path), reason(exc)) from None
    if not path.is_dir():
        raise OutputError(str(path), "not a directory")


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write through a temporary file beside `path`, then rename, so a reader never sees half.
    `text` may come in pieces (a streamed JSON document), written as they come."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                fh.writelines(text)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError(str(path), reason(exc)) from None


def append_text(path: Path, text: str) -> None:
    """Append to a file another program reads (the step summary, the step outputs)."""
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(str(path), reason(exc)) from None


def size_of(path: Path) -> int:
    """The size of an existing output file, 0 when it does not exist yet."""
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError as exc:
        raise OutputError(str(path), reason(exc)) from None
