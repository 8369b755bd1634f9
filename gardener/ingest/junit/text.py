"""Character data of one XML element, kept bounded however long the element runs."""

from __future__ import annotations

from gardener.ingest.junit.values import DETAILS_LIMIT

# Text kept per element before the middle is dropped; details are bounded again, later.
_TEXT_HEAD = _TEXT_TAIL = 2 * DETAILS_LIMIT


class BoundedText:
    """Character data of one element: the head and the tail, the middle counted but dropped."""

    __slots__ = ("dropped", "head", "size", "tail")

    def __init__(self) -> None:
        self.head: list[str] = []
        self.size = 0
        self.tail = ""
        self.dropped = 0

    def add(self, chunk: str) -> None:
        if self.tail or self.size + len(chunk) > _TEXT_HEAD:
            self.tail += chunk
            if len(self.tail) > 2 * _TEXT_TAIL:
                self.dropped += len(self.tail) - _TEXT_TAIL
                self.tail = self.tail[-_TEXT_TAIL:]
        else:
            self.head.append(chunk)
            self.size += len(chunk)

    def text(self) -> str:
        gap = f"\n[... {self.dropped} characters omitted ...]\n" if self.dropped else ""
        return "".join(self.head) + gap + self.tail
