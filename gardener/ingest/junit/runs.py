"""Runs of plain testcases read from the raw bytes, so that the bulk of a big report costs no Python per case.

A report of half a million tests is mostly `<testcase .../>` elements one after another, without a child:
each is only counted, keyed and remembered for rerun matching. Expat calling back into Python twice for
each of them (a start and an end) cost more than the whole iterparse baseline. Instead each stretch of
element content is searched, before expat sees it, by one regular expression (`Template`) for consecutive
self-closing testcases whose attributes are plain, and each such run is cut out and replaced by one
processing instruction naming it, padded with the line breaks the run spanned. Expat still reads
everything else and reports every other element in order, with the same line numbers; the reader
(stream.CaseReader.take_run) takes a run's cases at once where expat reports its instruction, in
document order: their key attributes as columns, decoded a span at a time, their line numbers and full
attributes only if something asks for them (the first cases of a file, which are listed; a rerun).

What is cut out must read exactly as expat would read it, so a run holds only what cannot read otherwise:
- a file in UTF-8 (declared or by default), and only after the root element started;
- never inside a comment, CDATA section or processing instruction (a small lexer follows `<!--`,
  `<![CDATA[`, `<?` and their ends from the file's start; anything else after `<!` stops the fast read);
- `<testcase` (no prefix) with every attribute double-quoted and holding no `<`, `&` (no entity or
  character reference to expand), control character or line break (no normalisation), names in the
  order the template was made from (so no duplicate), spaces or tabs between them, then `/>`; only
  spaces, tabs and line breaks between the cases of one run; a stretch with bytes that are not UTF-8,
  U+FFFE or U+FFFF, is fed as it is.
Everything else goes to expat as it is. Any parse error, or a run met where no plain case can stand
(after the root closed), raises Abandon: the caller reads the file again the ordinary way (read.py), so
errors, salvage and partial results are exactly the ordinary reader's.

The template is Python's `re`, not RE2 (gardener.regex): RE2 takes ten times as long to hand back the
captured values. It cannot backtrack more than linearly: every step is a literal or a class whose end
is the next literal (`"`, a name after spaces), and a value cannot run past the next `<`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, compress, islice, repeat

from gardener.ingest.junit.case import CaseContext

# The processing instruction that stands for a run: its target cannot be guessed by a file.
TARGET = "gardener-run-" + os.urandom(8).hex()
_MARK = b"<?" + TARGET.encode("ascii") + b" "

_VALUE = rb'"([^"<&\x00-\x1f]*)"'
_SKIPPED = rb'"[^"<&\x00-\x1f]*"'
_PLAIN_CASE = re.compile(rb'<testcase((?:[ \t]+[A-Za-z_:][-A-Za-z0-9_.:]*="[^"<&\x00-\x1f]*")*)[ \t]*/>')
_ATTR_NAME = re.compile(rb'([A-Za-z_:][-A-Za-z0-9_.:]*)="')
_OPENER = re.compile(rb"<[!?]")
_XML_SPACE = b" \t\r\n"
_NOT_UTF8_XML = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE, U+FFFF: UTF-8, but not XML characters
_TEMPLATES_KEPT = 32
# A stretch longer than this without a `<` stops the fast read (what is held back waits for one).
MAX_HELD = 4 * 1024 * 1024


class Abandon(Exception):
    """The fast read met what only the ordinary reader reads exactly: read the file again that way."""


_KEY_NAMES = ("file", "classname", "name")


class Template:
    """Self-closing testcases with these attribute names, in this order. `pattern` captures the key
    attributes' values only (fewer objects per case); `full` (made when first asked for) all of them."""

    __slots__ = ("_full", "keyed", "names", "pattern", "width")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.keyed = tuple(name for name in names if name in _KEY_NAMES)  # captured by `pattern`, in order
        self.width = len(self.keyed) + 1  # split() gives a separator, then one value per key attribute
        self.pattern = self._compile(self.keyed)
        self._full: re.Pattern[bytes] | None = None

    @property
    def full(self) -> re.Pattern[bytes]:
        if self._full is None:
            self._full = self._compile(self.names)
        return self._full

    def _compile(self, captured: tuple[str, ...]) -> re.Pattern[bytes]:
        body = b"".join(
            rb"[ \t]+" + re.escape(name.encode("ascii")) + b"=" + (_VALUE if name in captured else _SKIPPED)
            for name in self.names
        )
        return re.compile(b"<testcase" + body + rb"[ \t]*/>")


class Cases:
    """The plain testcases of one stretch of content (`piece`), as `template.pattern.split` gave them:
    the separators between them and, when every case names its file, their case.case_key; else their key
    attributes' values, decoded when their suite is known. All attributes are read again when asked for."""

    __slots__ = ("_rows", "columns", "keys", "piece", "seps", "template")

    def __init__(self, template: Template, parts: list[bytes], piece: bytes) -> None:
        width = template.width
        self.template = template
        self.piece = piece
        self.seps = parts[0::width]  # seps[i] is before case i, seps[-1] after the last
        raw = dict(zip(template.keyed, (parts[i::width] for i in range(1, width)), strict=True))
        files = raw.get("file")
        self.keys: list[str] | None = None
        self.columns: tuple[list[str] | None, ...] = ()
        if files is not None and b"" not in files:  # case_key's first shape, whatever the suite: built here
            empty = repeat(b"")
            joined = map(b"\0".join, zip(files, raw.get("classname") or empty, raw.get("name") or empty, strict=False))
            self.keys = _decoded(list(joined))
        else:  # keyed by the suite's file or name: case_key's columns (None: no such attribute)
            self.columns = tuple(_decoded(raw[name]) if name in raw else None for name in _KEY_NAMES)
        self._rows: list[tuple[bytes, ...]] | None = None

    def attrs(self, lo: int, hi: int) -> list[dict[str, str]]:
        """Cases lo..hi's attributes as expat gives them."""
        if self._rows is None:
            self._rows = self.template.full.findall(self.piece)  # the same matches as split's
        names = self.template.names
        rows = self._rows[lo:hi]
        if not names:
            return [{} for _ in rows]
        if len(names) == 1:  # findall gives the values themselves, not 1-tuples
            return [{names[0]: value.decode("utf-8")} for value in rows]  # type: ignore[attr-defined]
        return [dict(zip(names, [value.decode("utf-8") for value in row], strict=True)) for row in rows]

    def lines(self, lo: int, hi: int, first: int) -> list[int]:
        """Cases lo..hi's lines, case lo's being `first` (a case holds no line break, its separators may)."""
        return list(accumulate(map(line_breaks, islice(self.seps, lo + 1, hi)), initial=first))

    def text_between(self, i: int) -> str:
        """The separator before case i as expat reports it as text (line ends normalised)."""
        return self.seps[i].decode("ascii").replace("\r\n", "\n").replace("\r", "\n")


def _decoded(values: list[bytes]) -> list[str]:
    """One decode for a column (no value holds \\x01, a control character)."""
    return b"\x01".join(values).decode("utf-8").split("\x01")


def line_breaks(text: bytes) -> int:
    """Line breaks as expat counts them: \\r\\n, \\r and \\n each one."""
    return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")


class Run:
    """Cases lo..hi of one Cases, one after another; `line` (case lo's) is set when expat reaches the run."""

    __slots__ = ("cases", "hi", "line", "lo")

    def __init__(self, cases: Cases, lo: int, hi: int) -> None:
        self.cases, self.lo, self.hi = cases, lo, hi
        self.line = 0


class RunFeeder:
    """Feeds a file's bytes to `feed` (the safe expat reader) with runs of plain testcases cut out and
    registered in `runs`, while `rooted()` says the root element has started; see the module text."""

    def __init__(self, feed: Callable[[bytes], None], rooted: Callable[[], bool], runs: dict[int, Run]) -> None:
        self._feed = feed
        self._rooted = rooted
        self.runs = runs
        self._held = b""  # bytes from the last `<` read: fed with what follows
        self._closer: bytes | None = None  # the end of the comment, CDATA section or PI we are in
        self._lost = False  # what the lexer met it cannot follow: everything goes as it is
        self._template: Template | None = None
        self._templates: dict[tuple[str, ...], Template] = {}
        self._next_id = 0

    def give_up(self) -> None:
        """Feed everything as it is from now on (a file not in UTF-8)."""
        self._lost = True

    def feed(self, data: bytes) -> None:
        if self._lost:
            self._flush_held()
            self._feed(data)
            return
        data = self._held + data if self._held else data
        cut = data.rfind(b"<")
        if cut <= 0:  # no tag starts after the first byte: wait for one, within bounds
            self._held = data
            if len(data) > MAX_HELD:
                self._lost = True
                self._flush_held()
            return
        self._held = data[cut:]
        self._take(data[:cut])

    def close(self) -> None:
        """Feed what is held (the file's end)."""
        held, self._held = self._held, b""
        if held:
            if self._lost:
                self._feed(held)
            else:
                self._take(held)

    def _flush_held(self) -> None:
        held, self._held = self._held, b""
        if held:
            self._feed(held)

    def _take(self, part: bytes) -> None:
        """A part ending before a `<` (so holding no tag, comment opener or closer cut in two)."""
        for piece, content in self._pieces(part):
            if content and not self._lost and self._rooted():
                self._feed(self._cut_runs(piece))
            else:
                self._feed(piece)

    def _pieces(self, part: bytes) -> Iterator[tuple[bytes, bool]]:
        """`part` in pieces, each element content (True) or inside a comment, CDATA section or PI."""
        pos, end = 0, len(part)
        while pos < end:
            if self._lost:
                yield part[pos:], False
                return
            if self._closer is not None:
                found = part.find(self._closer, pos)
                if found < 0:
                    yield part[pos:], False
                    return
                stop = found + len(self._closer)
                self._closer = None
                yield part[pos:stop], False
                pos = stop
                continue
            opener = _OPENER.search(part, pos)
            if opener is None:
                yield part[pos:], True
                return
            at = opener.start()
            if at > pos:
                yield part[pos:at], True
            if part.startswith(b"<!--", at):
                self._closer, skip = b"-->", 4
            elif part.startswith(b"<![CDATA[", at):
                self._closer, skip = b"]]>", 9
            elif part.startswith(b"<?", at):
                self._closer, skip = b"?>", 2
            else:  # a DOCTYPE (refused), or not XML
                self._lost = True
                continue
            found = part.find(self._closer, at + skip)
            if found < 0:
                yield part[at:], False
                return
            stop = found + len(self._closer)
            self._closer = None
            yield part[at:stop], False
            pos = stop

    def _cut_runs(self, piece: bytes) -> bytes:
        """`piece` (element content) with each run of plain testcases replaced by its instruction."""
        if b"<testcase" not in piece:
            return piece
        if not piece.isascii():
            try:
                piece.decode("utf-8")
            except UnicodeDecodeError:
                return piece
            if any(bad in piece for bad in _NOT_UTF8_XML):
                return piece
        template = self._template
        parts = template.pattern.split(piece) if template is not None else [piece]
        if len(parts) == 1:  # none of the last template's shape: the first plain case here makes one
            template = self._template_of(piece)
            if template is None or template is self._template:
                return piece
            self._template = template
            parts = template.pattern.split(piece)
            if len(parts) == 1:
                return piece
        assert template is not None  # parts were split by one
        cases = Cases(template, parts, piece)
        seps = cases.seps
        n = len(seps) - 1  # cases
        bounds, extra, per_sep = _bounds(seps, n)
        out = [seps[0]]
        lo = 0
        for hi in bounds:
            self._next_id += 1
            self.runs[self._next_id] = Run(cases, lo, hi)
            lines = (hi - lo - 1) * per_sep
            if extra:
                lines += sum(more for i, more in extra.items() if lo < i < hi)
            out.append(_MARK + str(self._next_id).encode("ascii") + b"\n" * lines + b"?>")
            out.append(seps[hi])
            lo = hi
        return b"".join(out)

    def _template_of(self, piece: bytes) -> Template | None:
        found = _PLAIN_CASE.search(piece)
        if found is None:
            return None
        names = tuple(name.decode("ascii") for name in _ATTR_NAME.findall(found.group(1)))
        if len(set(names)) != len(names):
            return None  # a duplicate attribute: expat's error to report
        template = self._templates.get(names)
        if template is None:
            if len(self._templates) >= _TEMPLATES_KEPT:
                self._templates.clear()
            template = self._templates[names] = Template(names)
        return template


def _bounds(seps: list[bytes], n: int) -> tuple[list[int], dict[int, int], int]:
    """Where the runs among cases 0..n end (the index of a separator between two cases that is not only
    XML whitespace, then n), the line breaks of the usual separator between two cases, and by how many
    more each other separator inside a run has. The usual separator is found by C-level comparison."""
    if n < 2:
        return [n], {}, 0
    sample = seps[1 : min(n, 9)]
    usual = max(sample, key=sample.count)
    if usual.strip(_XML_SPACE) or not usual:  # not whitespace: no usual separator inside a run
        usual = b" "
    per_sep = line_breaks(usual)
    bounds: list[int] = []
    extra: dict[int, int] = {}
    for i in compress(range(1, n), map(usual.__ne__, islice(seps, 1, n))):
        sep = seps[i]
        if sep.strip(_XML_SPACE) or not sep:  # between two cases: text, a comment, a failing case ...
            bounds.append(i)
        else:
            extra[i] = line_breaks(sep) - per_sep
    bounds.append(n)
    return bounds, extra, per_sep


def run_keys(files: Sequence[str | None], classnames: Sequence[str | None], names: Sequence[str | None],
             ctx: CaseContext) -> list[str]:
    """case.case_key of cases given by their file, classname and name attributes (None: absent), by columns."""
    if all(files) and None not in classnames and None not in names:
        return list(map("\0".join, zip(files, classnames, names, strict=True)))  # type: ignore[arg-type]
    suite_file = ctx.suite_file
    filled = [file or suite_file for file in files]
    classes = [classname or "" for classname in classnames]
    tests = [name or "" for name in names]
    if all(filled) or all(classes):
        return list(map("\0".join, zip(filled, classes, tests, strict=True)))
    suite_name = ctx.suite_name
    return [
        f"{file}\0{classname}\0{name}" if file or classname else f"\0\0{name}\0{suite_name}"
        for file, classname, name in zip(filled, classes, tests, strict=True)
    ]

