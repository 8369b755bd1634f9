"""Following a Python traceback through a log: one block, anchored at its final exception line.

A traceback starts at `Traceback (most recent call last):`, continues with lines indented
deeper than that header (frames, source, carets) and ends at the first line back at the
header's indentation: the exception. Chained tracebacks (`During handling of the above
exception...`) are followed by the caller, which merges them into one incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.numbers import bounded_int

HEADER = "Traceback (most recent call last):"
CHAIN_LINES = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)
_FRAME = re.lazy(r'^\s*File "(.+?)", line (\d+)')
_EXCEPTION = re.lazy(r"^([A-Za-z_][\w.]*)(?::\s.*|:)?$")
_MAX_BLANKS = 2

MORE, DONE, BROKEN = "more", "done", "broken"


def starts_traceback(text: str) -> bool:
    """A traceback header, alone or after a log prefix (`ERROR:    Traceback (most recent ...`)."""
    return text.rstrip().endswith(HEADER)


@dataclass(slots=True)
class Traceback:
    start: int
    indent: int
    excerpt: Excerpt = field(default_factory=lambda: Excerpt(head=10, tail=45))
    frame: tuple[str, int] | None = None
    exception: str = ""
    blanks: int = 0
    chained: bool = False  # continues the exception before it (`During handling of ...`)
    # A prefix every line of the traceback repeats (pytest's `INTERNALERROR> `, compose's `web_1  | `), and the
    # header's indent after it: lines that carry it are read without it.
    prefix: str = ""
    prefix_indent: int = 0

    @classmethod
    def begin(cls, number: int, text: str, context: list[tuple[int, str]]) -> Traceback:
        tb = cls(start=number, indent=len(text) - len(text.lstrip()))
        before = text[: text.rfind(HEADER)]
        if before.strip():
            tb.prefix = before.rstrip()
            after = text[len(tb.prefix) :]
            tb.prefix_indent = len(after) - len(after.lstrip())
        for n, line in context:
            tb.excerpt.add(line, n)
        tb.excerpt.add(text, number)
        return tb

    def feed(self, number: int, text: str) -> str:
        """MORE while the traceback goes on, DONE at its exception line, BROKEN if it stops short."""
        base = self.indent
        if self.prefix and text.startswith(self.prefix):
            text, base = text[len(self.prefix) :], self.prefix_indent
        stripped = text.strip()
        if not stripped:
            self.blanks += 1
            if self.blanks > _MAX_BLANKS:
                return BROKEN
            self.excerpt.add(text, number)
            return MORE
        self.blanks = 0
        indent = len(text) - len(text.lstrip())
        if indent > base or (indent == base and stripped in (HEADER, *CHAIN_LINES)):
            self.excerpt.add(text, number)
            if m := _FRAME.match(text):
                self.frame = (m.group(1), bounded_int(m.group(2)))
            return MORE
        if indent == base and _EXCEPTION.match(stripped):
            self.excerpt.add(text, number)
            self.exception = stripped
            return DONE
        return BROKEN

    @property
    def error_type(self) -> str:
        name = self.exception.split(":", 1)[0].strip()
        return name.rsplit(".", 1)[-1] if name else "Traceback"
