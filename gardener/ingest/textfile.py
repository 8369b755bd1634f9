"""Reading a text input line by line in bounded memory, with one decoding policy for all text kinds.

UTF-8 is expected. A file that is mostly UTF-8 with a few stray bytes (a tool printed Latin-1) is
decoded with replacement and the parser says so in its warning; a file that is not text at all is
refused with the first offending byte. UTF-16 with a BOM (Windows PowerShell's `Out-File`) is
decoded as such. Lines longer than the limit are cut, the rest of the line skipped, never held.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from gardener.errors import InputError
from gardener.ingest.base import SNIFF_BYTES, unreadable_reason
from gardener.text import decode_utf8, incomplete_tail, text_problem

DEFAULT_MAX_LINE = 64 * 1024
CHUNK_BYTES = 1 << 18
_BOM = b"\xef\xbb\xbf"


class TextFile:
    """One text file: `lines()` streams (line number, text); counters say what was repaired."""

    def __init__(self, path: Path, max_line: int = DEFAULT_MAX_LINE) -> None:
        self.path = path
        self.max_line = max_line
        self.bad_bytes = 0
        self.first_bad: tuple[int, int] | None = None
        self.cut_lines = 0
        self._utf16 = False
        self._check()

    def _fail(self, reason: str) -> InputError:
        return InputError(str(self.path), reason)

    def _check(self) -> None:
        try:
            with self.path.open("rb") as fh:
                head = fh.read(SNIFF_BYTES + 1)
        except OSError as exc:
            raise self._fail(unreadable_reason(exc)) from None
        complete = len(head) <= SNIFF_BYTES
        head = head[:SNIFF_BYTES]
        self._utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        if not head.strip() or (self._utf16 and not head[2:].replace(b"\x00", b"").strip()):
            raise self._fail("empty file")
        if not self._utf16 and b"\x00" in head:
            raise self._fail("binary file (NUL bytes), not text")
        problem = text_problem(head, complete)
        if problem:
            raise self._fail(problem)

    def lines(self) -> Iterator[tuple[int, str]]:
        """(1-based line number, line without its end) for every line of the file."""
        try:
            yield from self._utf16_lines() if self._utf16 else self._utf8_lines()
        except FileNotFoundError:
            raise self._fail("file vanished while it was read") from None
        except OSError as exc:
            raise self._fail(f"read failed: {exc.strerror or exc}") from None

    def chunks(self, size: int = CHUNK_BYTES) -> Iterator[tuple[int, list[str], str | None]]:
        """(first line number, lines, text) in file order: the same lines as `lines()`, read in blocks.

        A block with `text` (its lines joined by newlines) is a run of complete lines decoded at once:
        valid UTF-8, none cut, none holding a BOM. Each of its lines still ends in any `\r` it had (a
        caller cleaning it strips that, as `lines()` does). Where a block is not that simple (a stray
        byte, a line past `max_line`, no newline within `size` bytes) its lines come one at a time,
        text None, already decoded and cut as `lines()` gives them, so memory stays bounded by `size`
        and `max_line` whatever the file holds.
        """
        if self._utf16:
            for number, line in self.lines():
                yield number, [line], None
            return
        try:
            yield from self._utf8_chunks(size)
        except FileNotFoundError:
            raise self._fail("file vanished while it was read") from None
        except OSError as exc:
            raise self._fail(f"read failed: {exc.strerror or exc}") from None

    def _utf8_chunks(self, size: int) -> Iterator[tuple[int, list[str], str | None]]:
        number, offset = 1, 0
        with self.path.open("rb") as fh:
            while True:
                fh.seek(offset)
                data = fh.read(size)
                if not data:
                    return
                body = data if len(data) < size else data[: data.rfind(b"\n") + 1]
                whole = self._whole_lines(body, number)
                if whole is not None:
                    text, lines = whole
                    yield number, lines, text
                    number += len(lines)
                    offset += len(body)
                    continue
                fh.seek(offset)  # line by line, as `lines()` reads them, until past this block
                consumed = 0
                for raw, used in _bounded_lines(fh, self.max_line, self):
                    yield number, [self._decode_line(raw, number, offset + consumed)], None
                    number += 1
                    consumed += used
                    if consumed >= max(len(body), 1):
                        break
                if not consumed:
                    return
                offset += consumed

    def _whole_lines(self, body: bytes, number: int) -> tuple[str, list[str]] | None:
        """The text (its final newline dropped) and lines of `body` when it decodes as it is and no line
        needs cutting, else None."""
        if not body or (number == 1 and body.startswith(_BOM)):
            return None
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        ascii = len(text) == len(body)
        if body.endswith(b"\n"):
            text = text[:-1]
        lines = text.split("\n")
        longest = max(map(len, lines))  # characters; bytes only matter for text that is not ASCII
        if longest * 4 >= self.max_line and not ascii:
            longest = max(map(len, body.split(b"\n")))
        if longest >= self.max_line:
            return None
        return text, lines

    def _decode_line(self, raw: bytes, number: int, offset: int) -> str:
        data = raw[3:] if number == 1 and raw.startswith(_BOM) else raw
        decoded = decode_utf8(data, offset + len(raw) - len(data))
        if decoded.bad_bytes:
            self.bad_bytes += decoded.bad_bytes
            self.first_bad = self.first_bad or decoded.first_bad
        return decoded.text.rstrip("\r\n")

    def _utf8_lines(self) -> Iterator[tuple[int, str]]:
        offset = 0
        with self.path.open("rb") as fh:
            for number, (raw, consumed) in enumerate(_bounded_lines(fh, self.max_line, self), start=1):
                data = raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
                decoded = decode_utf8(data, offset + len(raw) - len(data))
                if decoded.bad_bytes:
                    self.bad_bytes += decoded.bad_bytes
                    self.first_bad = self.first_bad or decoded.first_bad
                offset += consumed
                yield number, decoded.text.rstrip("\r\n")

    def _utf16_lines(self) -> Iterator[tuple[int, str]]:
        with self.path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-16", errors="replace") as fh:
            for number, line in enumerate(iter(lambda: fh.readline(self.max_line), ""), start=1):
                if not line.endswith("\n") and len(line) >= self.max_line:
                    self.cut_lines += 1
                    while (rest := fh.readline(self.max_line)) and not rest.endswith("\n"):
                        pass
                self.bad_bytes += line.count("\ufffd")
                yield number, line.rstrip("\r\n")

    def warning(self) -> str | None:
        """One sentence on what was repaired while reading, or None."""
        notes = []
        if self.bad_bytes and self.first_bad:
            value, where = self.first_bad
            notes.append(f"{self.bad_bytes} byte(s) of invalid UTF-8 replaced (first 0x{value:02x} at offset {where})")
        elif self.bad_bytes:
            notes.append(f"{self.bad_bytes} undecodable character(s) replaced")
        if self.cut_lines:
            notes.append(f"{self.cut_lines} line(s) longer than {self.max_line} bytes cut")
        return "; ".join(notes) or None


def _bounded_lines(fh: io.BufferedReader, limit: int, owner: TextFile) -> Iterator[tuple[bytes, int]]:
    """(line, bytes consumed): lines of at most `limit` bytes; the rest of a longer one is dropped."""
    while line := fh.readline(limit):
        consumed = len(line)
        if len(line) >= limit and not line.endswith(b"\n"):
            owner.cut_lines += 1
            line = line[: len(line) - incomplete_tail(line)]
            while rest := fh.readline(limit):
                consumed += len(rest)
                if rest.endswith(b"\n"):
                    break
        yield line, consumed
