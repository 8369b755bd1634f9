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
  order the template was made from (so no duplicate), spaces or tabs between them, then `/>`, or `>`
  and a self-closing `<skipped/>` (at most a message and a type, so plain) as its only child; only
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
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, compress, islice, repeat
from xml.etree.ElementTree import Element, SubElement

from gardener.ingest.junit.case import CaseContext

# The processing instruction that stands for a run: its target cannot be guessed by a file.
TARGET = "gardener-run-" + os.urandom(8).hex()
_MARK = b"<?" + TARGET.encode("ascii") + b" "

# An attribute value as the template reads it: strict (no `<`, `&` or control character), or, for the
# long key attributes, loose (any byte but the quote: several times cheaper for `re`), their values then
# checked a column at a time for what strict refuses (one bytes.translate that changes nothing when clean).
_STRICT, _LOOSE = rb'[^"<&\x00-\x1f]*', rb'[^"]*'
_REFUSED = bytes(b if b >= 0x20 and b not in b"<&" else ord("!") for b in range(256))
_PLAIN_CASE = re.compile(rb'<testcase((?:[ \t]+[A-Za-z_:][-A-Za-z0-9_.:]*="[^"<&\x00-\x1f]*")*)[ \t]*/?>')
# A case's only child, when it is a self-closing `<skipped>` with at most a message and a type, in that order.
_SKIP_CHILD = rb'([ \t\r\n]*<skipped(?:[ \t]+message="V")?(?:[ \t]+type="V")?[ \t]*/>[ \t\r\n]*)'
_SKIP_PARTS = re.compile(
    rb'([ \t\r\n]*)<skipped(?:[ \t]+message="([^"]*)")?(?:[ \t]+type="([^"]*)")?[ \t]*/>(.*)', re.DOTALL
)
_ATTR_NAME = re.compile(rb'([A-Za-z_:][-A-Za-z0-9_.:]*)="')
_OPENER = re.compile(rb"<[!?]")
# `/>` anywhere: `re` finds it in a piece of file paths in 40% of the time `in` takes (bytes search stops at every `/`).
_SELF_CLOSING = re.compile(rb"/>")
_XML_SPACE = b" \t\r\n"
_NOT_UTF8_XML = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE, U+FFFF: UTF-8, but not XML characters
_TEMPLATES_KEPT = 32
# A stretch longer than this without a `<` stops the fast read (what is held back waits for one).
MAX_HELD = 4 * 1024 * 1024


class Abandon(Exception):
    """The fast read met what only the ordinary reader reads exactly: read the file again that way."""


_KEY_NAMES = ("file", "classname", "name")


class Template:
    """Self-closing testcases with these attribute names, in this order. `pattern` (loose values) and
    `strict` capture the key attributes' values only (fewer objects per case); `full` all of them."""

    __slots__ = ("_full", "_full_strict", "_strict", "keyed", "names", "pattern", "width")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.keyed = tuple(name for name in names if name in _KEY_NAMES)  # captured by `pattern`, in order
        self.width = len(self.keyed) + 2  # split() gives a separator, a value per key attribute, a skipped child
        self.pattern = self._compile(self.keyed, True)
        self._strict: re.Pattern[bytes] | None = None
        self._full: re.Pattern[bytes] | None = None
        self._full_strict: re.Pattern[bytes] | None = None

    @property
    def strict(self) -> re.Pattern[bytes]:
        if self._strict is None:
            self._strict = self._compile(self.keyed, False)
        return self._strict

    def full(self, loose: bool) -> re.Pattern[bytes]:
        """Every value captured: it finds the same matches as `pattern` (loose) or `strict` did."""
        if loose:
            if self._full is None:
                self._full = self._compile(self.names, True)
            return self._full
        if self._full_strict is None:
            self._full_strict = self._compile(self.names, False)
        return self._full_strict

    def _compile(self, captured: tuple[str, ...], loose: bool) -> re.Pattern[bytes]:
        def value(name: str) -> bytes:
            read = _LOOSE if loose and name in _KEY_NAMES else _STRICT
            return b"(" + read + b")" if name in captured else read

        body = b"".join(rb"[ \t]+" + re.escape(name.encode()) + b'="' + value(name) + b'"' for name in self.names)
        child = _SKIP_CHILD.replace(b"V", _STRICT)
        return re.compile(b"<testcase" + body + rb"[ \t]*(?:/>|>" + child + b"</testcase>)")


class Cases:
    """The plain testcases of one stretch of content (`piece`), as `template.pattern.split` gave them:
    the separators between them and, when every case names its file, their case.case_key; else their key
    attributes' values, decoded when their suite is known. All attributes are read again when asked for."""

    __slots__ = ("_rows", "_skip_lines", "clean", "columns", "inner", "keys", "loose", "piece", "seps", "skips",
                 "template")

    def __init__(self, template: Template, parts: list[bytes], piece: bytes, loose: bool) -> None:
        width = template.width
        self.template = template
        self.piece = piece
        self.loose = loose  # which of the template's patterns split the piece
        self.seps = parts[0::width]  # seps[i] is before case i, seps[-1] after the last
        raw = dict(zip(template.keyed, (parts[i::width] for i in range(1, width - 1)), strict=True))
        inner = parts[width - 1 :: width]  # a skipped case's content, None for a case without a child
        self.skips = list(compress(range(len(inner)), inner))  # the cases with a `<skipped/>` child
        self.inner = inner if self.skips else None
        # Line breaks inside the skipped cases before each (by bisecting `skips`).
        self._skip_lines = list(accumulate((line_breaks(inner[i]) for i in self.skips), initial=0))
        self.keys: list[str] | None = None
        self.columns: tuple[list[str] | None, ...] = ()
        self._rows: list[tuple[bytes, ...]] | None = None
        self.clean = True  # False: a loose value held what a strict one refuses (then the piece is split again)
        decoded: dict[str, list[str]] = {}
        for name, column in raw.items():
            joined = b'"'.join(column)  # no loose value holds a quote
            if loose and joined.translate(_REFUSED) is not joined:
                self.clean = False
                return
            decoded[name] = joined.decode("utf-8").split('"')
        files = decoded.get("file")
        if files is not None and "" not in files:  # case_key's first shape, whatever the suite: built here
            empty = repeat("")
            self.keys = list(map("\0".join, zip(files, decoded.get("classname") or empty, decoded.get("name") or empty,
                                                strict=False)))
        else:  # keyed by the suite's file or name: case_key's columns (None: no such attribute)
            self.columns = tuple(decoded.get(name) for name in _KEY_NAMES)

    def attrs(self, lo: int, hi: int) -> list[dict[str, str]]:
        """Cases lo..hi's attributes as expat gives them."""
        if self._rows is None:
            self._rows = self.template.full(self.loose).findall(self.piece)  # the same matches as split's
        names = self.template.names
        rows = self._rows[lo:hi]
        # findall gives a tuple per case: the values, then the skipped child
        return [dict(zip(names, [value.decode("utf-8") for value in row[:-1]], strict=True)) for row in rows]

    def lines(self, lo: int, hi: int, first: int) -> list[int]:
        """Cases lo..hi's lines, case lo's being `first` (a tag holds no line break, the rest may)."""
        inner = self.inner
        steps: Iterator[int] = map(line_breaks, islice(self.seps, lo + 1, hi))
        if inner is not None:
            inside = (line_breaks(within) if within else 0 for within in inner[lo:hi])
            steps = (step + more for step, more in zip(steps, inside, strict=False))
        return list(accumulate(steps, initial=first))

    def breaks_in(self, lo: int, hi: int) -> int:
        """Line breaks inside the skipped cases among lo..hi."""
        return self._skip_lines[bisect_left(self.skips, hi)] - self._skip_lines[bisect_left(self.skips, lo)]

    def skipped_in(self, lo: int, hi: int) -> list[int]:
        return self.skips[bisect_left(self.skips, lo) : bisect_left(self.skips, hi)]

    def skipped_case(self, i: int, attrs: dict[str, str]) -> Element:
        """Case i (one with a `<skipped/>` child) as the reader builds it."""
        case = Element("testcase", attrs)
        assert self.inner is not None
        found = _SKIP_PARTS.match(self.inner[i])
        assert found is not None  # the template matched it
        child = SubElement(case, "skipped", _skip_attrs(found))
        child.text = ""  # a `<skipped>` keeps its (empty) text
        return case

    def replay_events(self, i: int) -> tuple[str, dict[str, str], str] | None:
        """Case i's `<skipped/>` child as expat reports it: the text before it, its attributes, the text after."""
        if self.inner is None or not self.inner[i]:
            return None
        found = _SKIP_PARTS.match(self.inner[i])
        assert found is not None
        return _text(found.group(1)), _skip_attrs(found), _text(found.group(4))

    def text_between(self, i: int) -> str:
        """The separator before case i as expat reports it as text (line ends normalised)."""
        return _text(self.seps[i])


def _text(raw: bytes) -> str:
    return raw.decode("ascii").replace("\r\n", "\n").replace("\r", "\n")


def _skip_attrs(found: re.Match[bytes]) -> dict[str, str]:
    message, kind = found.group(2), found.group(3)
    attrs = {"message": message.decode("utf-8")} if message is not None else {}
    if kind is not None:
        attrs["type"] = kind.decode("utf-8")
    return attrs


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
        cut = data.rfind(b"<testcase")  # a case cut by the read waits for its end, whole
        if cut <= 0:
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
            if content and not self._lost and not self._rooted():  # the root's start tag: as it is, then look
                second = piece.find(b"<", piece.find(b"<") + 1)
                if second > 0:
                    self._feed(piece[:second])
                    piece = piece[second:]
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
        # A plain case is self-closing or holds a <skipped/>.
        if b"<testcase" not in piece or _SELF_CLOSING.search(piece) is None:
            return piece  # (a file of failing cases: no split, no template search per read)
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
        out = self._replace(Cases(template, parts, piece, True))
        if out is None:  # a loose value held what a strict one refuses: split strictly
            parts = template.strict.split(piece)
            out = self._replace(Cases(template, parts, piece, False)) if len(parts) > 1 else piece
        return out if out is not None else piece

    def _replace(self, cases: Cases) -> bytes | None:
        """The piece with each run of `cases` replaced by its instruction, the runs registered; None unless clean."""
        if not cases.clean:
            return None
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
            if cases.inner is not None:
                lines += cases.breaks_in(lo, hi)
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

