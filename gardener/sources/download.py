"""Plain-HTTP downloads of job logs and artifact archives, streamed to disk with a size cap.

GitHub answers `.../jobs/{id}/logs` and `.../artifacts/{id}/zip` with a 302 to a short-lived signed URL on
another host (blob storage). That URL carries its own authorisation, so the download is made without
any credential: the token is never sent to the other host, whatever it is. The body is written in
CHUNK-sized pieces and never held whole; past `cap` bytes the download stops and is marked partial
(a log is then cut at its last complete line).
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from gardener import __version__

CHUNK = 256 * 1024
TIMEOUT_S = 60


class DownloadError(Exception):
    """A download that failed; `status` is the HTTP status when there was one."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True, slots=True)
class Downloaded:
    path: Path
    bytes: int
    partial: bool


def download(url: str, target: Path, cap: int, *, cut_at_line: bool = False, timeout_s: float = TIMEOUT_S,
             tries: int = 3) -> Downloaded:
    """Stream `url` into `target` (written beside it first, then renamed), at most `cap` bytes. A download
    that breaks off (a dropped connection, a body cut short) is tried again, up to `tries` times in all; an
    HTTP error answer is not."""
    for attempt in range(1, tries + 1):
        try:
            return _download(url, target, cap, cut_at_line, timeout_s)
        except DownloadError as exc:
            if exc.status is not None or attempt == tries:
                raise
    raise AssertionError("unreachable")


def _download(url: str, target: Path, cap: int, cut_at_line: bool, timeout_s: float) -> Downloaded:
    if not url.startswith(("https://", "http://")):
        raise DownloadError(f"refusing a download URL that is not http(s): {url[:80]!r}")
    request = urllib.request.Request(url, headers={"User-Agent": f"gardener/{__version__}"})  # no Authorization
    tmp = target.with_name(f".{target.name}.part{os.getpid()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    partial = False
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer, tmp.open("wb") as out:
            length = answer.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            while chunk := answer.read(CHUNK):
                room = cap - written
                if len(chunk) > room:
                    chunk, partial = chunk[:room], True
                out.write(chunk)
                written += len(chunk)
                if partial:
                    break
            if not partial and expected is not None and written < expected:
                # http.client ends a body that stops early without an error: the length says it was cut.
                raise DownloadError(f"download cut short after {written} of {expected} bytes")
        if partial and cut_at_line:
            written = _cut_at_last_line(tmp, written)
        os.replace(tmp, target)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"HTTP {exc.code} {exc.reason}", exc.code) from None
    except http.client.IncompleteRead as exc:
        raise DownloadError(f"download cut short after {written + len(exc.partial)} bytes") from None
    except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(f"download failed: {reason}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return Downloaded(target, written, partial)


def _cut_at_last_line(path: Path, size: int) -> int:
    """Drop the incomplete last line of a capped log; the new size."""
    with path.open("rb+") as fh:
        back = min(size, 1024 * 1024)
        fh.seek(size - back)
        tail = fh.read(back)
        nl = tail.rfind(b"\n")
        if nl >= 0:
            size = size - back + nl + 1
            fh.truncate(size)
    return size
