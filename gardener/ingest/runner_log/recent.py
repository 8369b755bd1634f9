"""The last lines of a log, shared by the consumers that quote the lines before an event.

The prefilter passes most lines over without cleaning them; they are kept here raw and cleaned only
when a consumer reads them (an incident opening, a verdict's strongest line), so keeping context
costs nothing per line.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from gardener.text import clean_line


class Recent:
    """Up to `size` (line number, text) pairs, oldest first; raw ones are cleaned when read."""

    __slots__ = ("_lines",)

    def __init__(self, size: int) -> None:
        self._lines: deque[tuple[int, str] | tuple[int, str, bool]] = deque(maxlen=size)

    def append(self, number: int, text: str) -> None:
        """A line already clean."""
        self._lines.append((number, text, True))

    def extend_raw(self, first: int, raw: Sequence[str]) -> None:
        """Plain raw lines (see prefilter.py), numbered from `first`."""
        self._lines.extend(zip(range(first, first + len(raw)), raw, strict=True))

    def last(self, count: int) -> list[tuple[int, str]]:
        if count <= 0:
            return []
        size = len(self._lines)
        picked = [self._lines[i] for i in range(max(0, size - count), size)]
        return [(e[0], e[1]) if len(e) == 3 else (e[0], clean_line(e[1]).text) for e in picked]
