"""Character data of one XML element, kept bounded however long the element runs."""

from __future__ import annotations

from gardener.ingest.junit.values import DETAILS_LIMIT

# Text kept per element before the middle is dropped; details are bounded again, later.
_TEXT_HEAD = _TEXT_TAIL = 2 * DETAILS_LIMIT


class BoundedText:
    """Character data of one element: the head and the tail, the middle counted but dropped. What is kept
    does not depend on how the parser cut the text into calls (where the file's reads fell): the head is
    the first _TEXT_HEAD characters, and once anything is dropped the tail is the last _TEXT_TAIL."""

    __slots__ = ("dropped", "head", "size", "tail")

    def __init__(self) -> None:
        self.head: list[str] = []
        self.size = 0
        self.tail = ""
        self.dropped = 0

    def add(self, chunk: str) -> None:
        if self.size < _TEXT_HEAD:
            room = _TEXT_HEAD - self.size
            if len(chunk) <= room:
                self.head.append(chunk)
                self.size += len(chunk)
                return
            self.head.append(chunk[:room])
            self.size = _TEXT_HEAD
            chunk = chunk[room:]
        self.tail += chunk
        if len(self.tail) > 2 * _TEXT_TAIL:
            self.dropped += len(self.tail) - _TEXT_TAIL
            self.tail = self.tail[-_TEXT_TAIL:]

    def text(self) -> str:
        tail, dropped = self.tail, self.dropped
        if dropped and len(tail) > _TEXT_TAIL:
            dropped += len(tail) - _TEXT_TAIL
            tail = tail[-_TEXT_TAIL:]
        gap = f"\n[... {dropped} characters omitted ...]\n" if dropped else ""
        return "".join(self.head) + gap + tail
