"""Reading and atomically writing the state file.

Writes go to a temporary file in the same directory, then are renamed over the old file (os.replace is
atomic on POSIX and Windows), so a killed or crashed sandbox leaves either the old or the new state, never
half of one. There is no fsync: it would cost ~10 ms per write for protection against power loss, which a
test and demo server does not need; after one the file may be empty, which is reported, not reset.
A file that exists but cannot be read as a state is an error, never a silent fresh start.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gardener.errors import InputError
from gardener.sandbox.codec import CorruptState, Tables, decode


def load_state_file(path: Path) -> Tables | None:
    """The saved tables, or None when there is no file yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(str(path), f"cannot read sandbox state: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"corrupt sandbox state: not JSON ({_short(exc)})") from exc
    try:
        return decode(data)
    except CorruptState as exc:
        raise InputError(str(path), f"corrupt sandbox state: {exc}") from exc


def save_state_file(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(str(path), f"cannot write sandbox state: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(str(path), f"cannot write sandbox state: {exc.strerror or exc}") from exc
        raise


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120]
