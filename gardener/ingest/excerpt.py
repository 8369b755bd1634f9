"""Bounded excerpts of text evidence: the start and the end of a block, never all of a huge one."""

from __future__ import annotations

from collections import deque

from gardener.redact.text import cut_raw

MAX_LINES = 60
MAX_CHARS = 8 * 1024
MAX_LINE_CHARS = 1000


class Excerpt:
    """Collects lines in order, keeping the first `head` and the last `tail`.

    The end of a traceback or a build log is where the error is, so the tail gets most room.
    """

    def __init__(self, head: int = 15, tail: int = MAX_LINES - 16) -> None:
        self._head: list[str] = []
        self._tail: deque[str] = deque(maxlen=tail)
        self._head_max = head
        self.omitted = 0
        self.last_number: int | None = None

    def add(self, text: str, number: int | None = None) -> None:
        """Append a line; a jump in `number` is marked with an ellipsis line."""
        if number is not None and self.last_number is not None and number > self.last_number + 1:
            self._push("…")
        if number is not None:
            self.last_number = number
        self._push(text if len(text) <= MAX_LINE_CHARS else cut_raw(text, MAX_LINE_CHARS) + " …")

    def _push(self, text: str) -> None:
        if len(self._head) < self._head_max:
            self._head.append(text)
            return
        if len(self._tail) == self._tail.maxlen:
            self.omitted += 1
        self._tail.append(text)

    def __len__(self) -> int:
        return len(self._head) + len(self._tail)

    def render(self) -> str:
        lines = list(self._head)
        if self.omitted:
            lines.append(f"… ({self.omitted} line(s) omitted) …")
        lines.extend(self._tail)
        text = "\n".join(lines).strip("\n")
        if len(text) > MAX_CHARS:
            text = "…\n" + text[-(MAX_CHARS - 2) :].split("\n", 1)[-1]
        return text
