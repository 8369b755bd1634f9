"""Plain-HTTP downloads of job logs and artifact archives, streamed to disk with a size cap.

GitHub answers `.../jobs/{id}/logs` and `.../artifacts/{id}/zip` with a 302 to a short-lived signed URL on
another host (blob storage). That URL carries its own authorisation, so the download is made without
any credential: the token is never sent to the other host, whatever it is. The body is written in
CHUNK-sized pieces and never held whole. Past `cap` bytes a download is marked partial: an archive
stops there; a log keeps its first quarter and its LAST three quarters of `cap` (a job fails at its
end, so the tail is where the cause is), cut at whole lines, with one line saying how much was left out
between them. A log is streamed to its end only up to STREAM_LIMIT times the cap.
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
MARKER_ROOM = 96  # bytes kept free for the "[gardener: N bytes ... left out here ...]" line
STREAM_LIMIT = 16  # a capped log is read through to its end up to this many times the cap; then it stops


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
    left_out: int = 0  # bytes of a capped log left out between the head and the tail kept


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
    written = seen = left_out = 0
    partial = False
    head_cap = cap // 4 if cut_at_line else cap
    # The tail leaves room for the line saying what was left out, so a capped log is never over the cap.
    tail = _Tail(tmp.with_name(tmp.name + ".tail"), cap - head_cap - MARKER_ROOM) if cut_at_line else None
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer, tmp.open("wb") as out:
            length = answer.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            while chunk := answer.read(CHUNK):
                seen += len(chunk)
                if not partial and written + len(chunk) <= cap:
                    out.write(chunk)
                    written += len(chunk)
                    continue
                partial = True  # over the cap: an archive stops; a log keeps its head and a rolling tail
                if tail is None:
                    out.write(chunk[:cap - written])
                    written = cap
                    break
                if written > head_cap:  # the first time over: what is past the head moves to the tail
                    out.flush()
                    _move_past(tmp, head_cap, tail)
                    written = head_cap
                tail.write(chunk)
                if seen >= STREAM_LIMIT * cap:
                    break
            if not partial and expected is not None and seen < expected:
                # http.client ends a body that stops early without an error: the length says it was cut.
                raise DownloadError(f"download cut short after {seen} of {expected} bytes")
        if partial and tail is not None:
            written = _cut_at_last_line(tmp, written)
            written, left_out = tail.append_to(tmp, seen - written - tail.kept())
        os.replace(tmp, target)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"HTTP {exc.code} {exc.reason}", exc.code) from None
    except http.client.IncompleteRead as exc:
        raise DownloadError(f"download cut short after {seen + len(exc.partial)} bytes") from None
    except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(f"download failed: {reason}") from None
    finally:
        tmp.unlink(missing_ok=True)
        if tail is not None:
            tail.close()
    return Downloaded(target, written, partial, left_out)


class _Tail:
    """The last `keep` bytes of a stream, on disk: written to a spool that is compacted to its last `keep`
    bytes whenever it reaches twice that (so the disk holds at most 2 x keep, and each byte is copied about
    once)."""

    def __init__(self, path: Path, keep: int) -> None:
        self.path, self.keep, self.size = path, max(keep, 1), 0
        self.fh = path.open("wb+")

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.size += len(data)
        if self.size >= 2 * self.keep:
            self.fh.seek(self.size - self.keep)
            last = self.fh.read(self.keep)
            self.fh.seek(0)
            self.fh.truncate()
            self.fh.write(last)
            self.size = len(last)

    def kept(self) -> int:
        return min(self.size, self.keep)

    def append_to(self, path: Path, left_out: int) -> tuple[int, int]:
        """Append the kept tail, from its first whole line, after a line saying what was left out between
        the head and it; the file's new size and the bytes left out."""
        self.fh.seek(self.size - self.kept())
        last = self.fh.read()
        first_nl = last.find(b"\n")
        skipped = first_nl + 1 if 0 <= first_nl < len(last) - 1 else 0
        left_out += skipped
        with path.open("ab") as out:
            out.write(f"[gardener: {left_out} bytes of this log left out here (over the cap)]\n".encode())
            out.write(last[skipped:])
            return out.tell(), left_out

    def close(self) -> None:
        self.fh.close()
        self.path.unlink(missing_ok=True)


def _move_past(path: Path, at: int, tail: _Tail) -> None:
    """Move what `path` holds past byte `at` to the tail (the head is full)."""
    with path.open("rb+") as fh:
        fh.seek(at)
        while piece := fh.read(CHUNK):
            tail.write(piece)
        fh.truncate(at)


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
