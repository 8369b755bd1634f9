"""Safe, streaming read of a JUnit XML file: one small element tree per `<testcase>`, nothing more.

The XML goes through expat with defusedxml's refusals of every DTD, entity declaration and
external reference (SafeReader), so a billion-laughs file or an external entity stops at its DOCTYPE, before
anything is expanded or fetched. Events are turned into a tree only inside a `<testcase>` that has
a child element; one without (most passed tests) is kept as the attribute dict expat made, with no
element built. Cases are handed on in batches (CaseBatch: the cases of one suite, in document order,
at most BATCH_CASES of them), so that what is done per passed case can be done for a batch at once, by
the C loops of map and zip rather than by Python code per case. Suites leave a name on a stack and their
counts in running sums, so memory stays bounded whatever the file size. Text is kept only for result
elements (failures, skips, reruns, properties), capped.

Why expat callbacks and not ElementTree's iterparse: every result keeps the line its testcase
starts on (Source.line, shown as evidence), which only expat's CurrentLineNumber gives; and the
callbacks are not what costs. On the 500,000-case benchmark file, expat with a no-op start and end
callback takes 0.60 s of CPU against 0.63 s for the iterparse-and-clear baseline itself (and 0.30 s
with no callback at all): what a case costs beyond that is the work done with it. Nor does ElementTree's C
tree builder beat it (measured on that file, same runs): XMLParser(target=TreeBuilder()) fed 64 KiB chunks
and the finished testcases taken off the live tree by C-level map (no event, no Python per case) takes
0.58 s bare and 0.64 s with every case's attributes and child count read, against 0.65-0.70 s for expat
callbacks that gather the same and each start tag's line; the lines would then have to be counted from the
raw bytes (the n-th `<testcase` outside comments, CDATA and PIs: 0.09 s by bytes.split and C-level counts),
and a prolog check would have to keep every DOCTYPE from the C parser. No gain to pay for that.
What did pay is not calling back per passed case at all: runs.RunFeeder cuts runs of plain testcases
out of the bytes and expat reports each run as one processing instruction (take_run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any
from xml.etree.ElementTree import Element, SubElement
from xml.parsers import expat as pyexpat
from xml.sax import SAXParseException
from xml.sax.xmlreader import Locator

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from gardener.ingest.junit.case import CaseContext, CaseKey, case_keys
from gardener.ingest.junit.declared import COUNT_FIELDS, suite_counts
from gardener.ingest.junit.runs import TARGET, Abandon, Cases, Run, run_keys
from gardener.ingest.junit.text import BoundedText
from gardener.ingest.junit.values import looks_like_source_file

_RESULT_TAGS = frozenset({"failure", "error", "skipped"})
_INTERIM_TAGS = frozenset({"flakyFailure", "flakyError", "rerunFailure", "rerunError"})
_OUTCOME_TAGS = _RESULT_TAGS | _INTERIM_TAGS
# A direct child that makes a case count as failing or hold earlier runs (case.quiet_outcome's None).
_LOUD_TAGS = _OUTCOME_TAGS - {"skipped"}
_KEEP_TEXT = _OUTCOME_TAGS | {"stackTrace", "property"}
# Where an element nothing reads stands in the open elements (CaseReader._open): a testcase's direct child
# other than a result or its properties (case.read_case reads no other), and everything inside one.
_UNREAD: tuple[None, None] = (None, None)

# Resource bounds (README, "Resource bounds"). Suites nested deeper than MAX_SUITE_DEPTH are read
# as part of the deepest one kept, and a suite path is cut at MAX_SUITE_PATH characters, so a file
# of 20,000 nested suites costs memory linear in its size, not in its depth squared. Elements
# nested deeper than MAX_CASE_DEPTH inside a testcase are not built (no result lives that deep).
MAX_SUITE_DEPTH = 64
MAX_SUITE_PATH = 1024
MAX_CASE_DEPTH = 16

# Cases handed on together, at most this many (a suite boundary also ends a batch).
BATCH_CASES = 512

# Receives each testcase element, its suite context, the line its start tag is on, and whether
# it has a result child (failure, error, skipped, or an interim rerun).
CaseSink = Callable[[Element, CaseContext, int | None, bool], None]


class CaseBatch:
    """Consecutive testcases of one suite. `attrs[i]` and `lines[i]` are case i's attributes and the
    line its start tag is on; the cases that have a child element are also in `built`, in order, as
    (i, element, whether it has a result child, whether one is a failure, an error or an interim
    run); every other case has none (most passed tests). Cases of runs (runs.Run: plain testcases read
    from the raw bytes) have their attributes and lines made only when asked for; `keys()` needs
    only their key columns."""

    __slots__ = ("_attrs", "_built", "_lines", "_runs", "ctx", "may_have_status")

    def __init__(
        self,
        ctx: CaseContext,
        attrs: list[dict[str, str] | None],
        lines: list[int | None],
        built: list[tuple[int, Element | None, bool, bool]],
        may_have_status: bool = True,
        runs: list[_RunSlice] | None = None,
    ) -> None:
        self.ctx = ctx
        self._attrs = attrs  # None for a case of a run, until made
        self._lines = lines
        self._built = built  # a run's skipped case has no element until one is asked for
        # False when no element so far had a `status` attribute (the parser's interned names tell, at
        # no cost per case): then none of these cases has one.
        self.may_have_status = may_have_status
        self._runs = runs or []

    def __len__(self) -> int:
        return len(self._attrs)

    @property
    def attrs(self) -> list[dict[str, str]]:
        self._make_runs()
        return self._attrs  # type: ignore[return-value]  # every case's, once the runs' are made

    @property
    def lines(self) -> list[int | None]:
        self._make_runs()
        return self._lines

    @property
    def built(self) -> list[tuple[int, Element, bool, bool]]:
        self._make_runs()
        return self._built  # type: ignore[return-value]  # every element made

    @property
    def children(self) -> list[tuple[int, Element | None, bool, bool]]:
        """`built`, without making the elements of runs' skipped cases (None): only failing cases are read."""
        return self._built

    def line_of(self, i: int) -> int | None:
        """Case i's line; without making the runs' when case i is not in one (a case with children)."""
        line = self._lines[i]
        return line if line is not None or not self._runs else self.lines[i]

    def keys(self) -> list[CaseKey]:
        """case.case_key of every case, in order: by map and zip, a run's by slicing what runs.Cases made."""
        ctx = self.ctx
        if not self._runs:
            return case_keys(self._attrs, ctx)  # type: ignore[arg-type]  # no run: all made
        keys: list[CaseKey] = []
        pos = 0
        for start, cases, lo, hi, _, _ in self._runs:
            if pos < start:  # cases expat reported, before the run
                keys += case_keys(self._attrs[pos:start], ctx)  # type: ignore[arg-type]
            if cases.keys is not None:
                keys += cases.keys[lo:hi]
            else:
                files, classnames, names = (c[lo:hi] if c is not None else [None] * (hi - lo) for c in cases.columns)
                keys += run_keys(files, classnames, names, ctx)
            pos = start + hi - lo
        if pos < len(self._attrs):
            keys += case_keys(self._attrs[pos:], ctx)  # type: ignore[arg-type]
        return keys

    def cases(self) -> list[tuple[Element, int | None, bool]]:
        """Every case as an element (built here for those without a child), its line, whether it has a result."""
        elements: list[tuple[Element, int | None, bool]] = [
            (Element("testcase", attrs), line, False) for attrs, line in zip(self.attrs, self.lines, strict=True)
        ]
        for i, elem, has_result, _ in self.built:
            elements[i] = (elem, self._lines[i], has_result)
        return elements

    def _make_runs(self) -> None:
        if not self._runs:
            return
        made: dict[int, Element] = {}
        for start, cases, lo, hi, first, line in self._runs:
            attrs = cases.attrs(lo, hi)
            self._attrs[start : start + hi - lo] = attrs
            self._lines[start : start + hi - lo] = cases.lines(first, hi, line)[lo - first :]
            for i in cases.skipped_in(lo, hi):
                made[start + i - lo] = cases.skipped_case(i, attrs[i - lo])
        if made:
            self._built = [(i, made.get(i, elem), result, loud) for i, elem, result, loud in self._built]
        self._runs = []


# A run's cases lo..hi at batch position `start`: (start, cases, lo, hi, the run's first case, its line).
_RunSlice = tuple[int, Cases, int, int, int, int]


BatchSink = Callable[[CaseBatch], None]


class NotJUnitRoot(Exception):
    """The document's root element is not testsuites/testsuite."""

    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


@dataclass(slots=True)
class StreamState:
    """What the reader learnt besides the cases; read by the caller, also after an error."""

    root_tag: str | None = None
    root_counts: dict[str, int | None] = field(default_factory=dict)
    top_suite_sums: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS))
    pytest: bool = False
    cases: int = 0
    clamped_suites: int = 0  # suites deeper than MAX_SUITE_DEPTH, read as their ancestor
    dropped_elements: int = 0  # elements deeper than MAX_CASE_DEPTH inside a testcase

    def warning(self) -> str | None:
        notes = []
        if self.clamped_suites:
            deep = f"nested deeper than {MAX_SUITE_DEPTH} levels"
            notes.append(f"{self.clamped_suites} suite(s) {deep} read as their ancestor")
        if self.dropped_elements:
            deep = f"nested deeper than {MAX_CASE_DEPTH} in a testcase"
            notes.append(f"{self.dropped_elements} element(s) {deep} ignored")
        return "; ".join(notes) or None


_NO_SUITE = CaseContext(suite="", suite_name="", suite_file="", timestamp=None, pytest=False)
_PYTEST_ROOT = CaseContext(suite="", suite_name="", suite_file="", timestamp=None, pytest=True)


# Where the reader is: no root yet or inside a testcase that has children; inside the root and no
# testcase open; in a testcase that has had no child yet (no element is built for it unless one comes).
_OUTSIDE, _IDLE, _PLAIN = 0, 1, 2


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


class CaseReader:
    """Suites on a stack, each `<testcase>` with children built as a small tree; cases handed on
    in batches to `batches` (see CaseBatch), or, without it, one by one to `sink` as each closes.

    SafeReader wires expat's callbacks straight to `start`, `end` and `characters`; the text
    callback is switched on only while an element that keeps text is open, since whitespace
    between half a million elements is otherwise most of the calls. Call `finish()` once the
    parser is done (or has failed) to hand on the last batch.
    """

    def __init__(self, sink: CaseSink | None = None, batches: BatchSink | None = None) -> None:
        if (sink is None) == (batches is None):
            raise ValueError("CaseReader takes a sink or a batch sink")
        self.state = StreamState()
        self._sink = sink
        self._batch_sink = batches if batches is not None else self._one_by_one
        # One case per batch for a per-case sink: each is handed on as it closes.
        self._batch_cases = BATCH_CASES if batches is not None else 1
        self._attrs: list[dict[str, str] | None] = []  # the batch being gathered
        self._lines: list[int | None] = []
        self._built: list[tuple[int, Element | None, bool, bool]] = []
        self._runs: list[_RunSlice] = []
        # Runs of plain testcases cut out of the bytes (runs.RunFeeder), by the number their instruction names.
        self.runs: dict[int, Run] = {}
        self._run_status = False  # whether a run's cases have a `status` attribute
        self._elements_open = 0  # elements open, a testcase without children not counted until one comes
        self._replay_line = 0  # while a run is replayed as elements: the line of the case being started
        self._state = _OUTSIDE  # _IDLE, _PLAIN or _OUTSIDE (no root yet, or inside a testcase with children)
        self._expat: Any = None
        self._suites: list[CaseContext] = []
        # Elements open inside the current testcase, each with its text when it keeps text; _UNREAD for a
        # direct child nothing reads (system-out: no element is built) and for everything inside one.
        self._open: list[tuple[Element | None, BoundedText | None]] = []
        self._results_closed = 0
        self._has_outcome = False
        self._loud = False  # the open testcase has a failing or interim direct child
        self._text_on = False  # whether expat's text callback is switched on
        self._case_line: int | None = None  # of the open testcase that has children
        self._root_ctx = _NO_SUITE  # for testcases directly under <testsuites>
        self._ctx = _NO_SUITE  # the innermost open suite's, else the root's

    def attach(self, expat: Any) -> None:
        self._expat = expat

    def start(self, name: str, attrs: dict[str, str]) -> None:
        state = self._state
        if state == _IDLE and name == "testcase":  # the hot path: half a million times in a big file
            self._state = _PLAIN  # no element until a child follows
            self._attrs.append(attrs)
            self._lines.append(self._replay_line or self._expat.CurrentLineNumber)
            return
        self._elements_open += 1
        opened = self._open
        if state == _PLAIN:  # the open testcase's first child: now it needs an element
            self._elements_open += 1  # the testcase, not counted while it had no child
            self._state = _OUTSIDE
            self._case_line = self._lines.pop()
            opened.append((Element("testcase", self._attrs.pop() or {}), None))  # expat's, not a run's
            self._results_closed = 0
            self._has_outcome = self._loud = False
        tag = _local(name) if ":" in name else name
        if opened:
            depth = len(opened)
            if depth >= MAX_CASE_DEPTH:
                self.state.dropped_elements += 1
                opened.append((opened[-1][0], None))  # a placeholder its end pops
                return
            parent = opened[-1][0]
            if parent is None:  # inside a child nothing reads
                opened.append(_UNREAD)
                return
            if depth == 1:
                if tag in _OUTCOME_TAGS:
                    self._has_outcome = True
                    if tag in _LOUD_TAGS:
                        self._loud = True
                elif tag != "properties":  # system-out, system-err, ...: nothing reads them
                    opened.append(_UNREAD)
                    return
            elem = SubElement(parent, tag, attrs)
            if tag in _KEEP_TEXT:
                opened.append((elem, BoundedText()))
                if not self._text_on:
                    self._expat.CharacterDataHandler = self.characters
                    self._text_on = True
            else:
                opened.append((elem, None))
        elif tag == "testcase":
            if self.state.root_tag is None:
                raise NotJUnitRoot(tag)
            self._state = _PLAIN
            self._elements_open -= 1  # counted when its first child comes
            self._attrs.append(attrs)
            self._lines.append(self._replay_line or self._expat.CurrentLineNumber)
        elif tag == "testsuite":
            self.flush()  # the cases gathered so far belong to the enclosing suite
            self._start_suite(attrs)
        elif self.state.root_tag is None:
            if tag != "testsuites":
                raise NotJUnitRoot(tag)
            self.state.root_tag = tag
            self.state.root_counts = suite_counts(attrs)
            self.state.pytest = attrs.get("name") == "pytest tests"
            self._root_ctx = self._ctx = _NO_SUITE if not self.state.pytest else _PYTEST_ROOT
            self._state = _IDLE

    def end(self, name: str) -> None:
        if self._state == _PLAIN:  # a testcase closed without a child: the hot path of a big file
            self._state = _IDLE
            if len(self._attrs) >= self._batch_cases:
                self.flush()
            return
        self._elements_open -= 1
        opened = self._open
        if opened:
            elem, text = opened.pop()
            if elem is None or len(opened) >= MAX_CASE_DEPTH:
                return  # unread, or a placeholder
            if text is not None:
                elem.text = text.text()
                if opened and opened[-1][1] is None and self._text_on:
                    # Back in an element that keeps no text (the testcase, after its <failure>): its text
                    # would be dropped by `characters`, so none is delivered (system-out, whitespace).
                    self._expat.CharacterDataHandler = None
                    self._text_on = False
            if not opened:
                if self._text_on:
                    self._expat.CharacterDataHandler = None
                    self._text_on = False
                self._state = _IDLE
                self._add_built(elem)
            elif len(opened) == 1 and elem.tag in _RESULT_TAGS:
                self._results_closed += 1
        elif self._suites and (_local(name) if ":" in name else name) == "testsuite":
            self.flush()
            self._suites.pop()
            self._ctx = self._suites[-1] if self._suites else self._root_ctx

    def take_run(self, target: str, data: str) -> None:
        """The processing instruction that stands for a run of plain testcases (runs.RunFeeder)."""
        if target != TARGET:
            return  # the file's own
        run = self.runs.pop(int(data))
        run.line = self._expat.CurrentLineNumber
        if self._state != _IDLE:  # inside a testcase: what expat would have reported, element by element
            self._replay(run)
            return
        if not self._elements_open:
            raise Abandon("a testcase after the root element closed")  # expat's error, the ordinary way
        cases, first, hi = run.cases, run.lo, run.hi
        if "status" in cases.template.names:
            self._run_status = True
        lo = first
        while lo < hi:
            start = len(self._attrs)
            stop = min(hi, lo + max(1, self._batch_cases - start))
            self._attrs += repeat(None, stop - lo)
            self._lines += repeat(None, stop - lo)
            self._runs.append((start, cases, lo, stop, first, run.line))
            if cases.inner is not None:  # skipped cases: children, made only if read
                self._built += [(start + i - lo, None, True, False) for i in cases.skipped_in(lo, stop)]
            lo = stop
            if len(self._attrs) >= self._batch_cases:
                self.flush()

    def _replay(self, run: Run) -> None:
        cases, lo, hi = run.cases, run.lo, run.hi
        for i, (attrs, line) in enumerate(zip(cases.attrs(lo, hi), cases.lines(lo, hi, run.line), strict=True)):
            if i and self._text_on:
                self.characters(cases.text_between(lo + i))
            self._replay_line = line
            try:
                self.start("testcase", attrs)
            finally:
                self._replay_line = 0
            child = cases.replay_events(lo + i)
            if child is not None:
                before, skip_attrs, after = child
                if self._text_on:
                    self.characters(before)
                self.start("skipped", skip_attrs)
                self.end("skipped")
                if self._text_on:
                    self.characters(after)
            self.end("testcase")

    def characters(self, content: str) -> None:
        if self._open:
            text = self._open[-1][1]
            if text is not None:
                text.add(content)

    def salvage(self) -> bool:
        """After a parse error: hand on the open testcase if one of its results had closed."""
        if not self._open or self._results_closed == 0:
            return False
        case, cut = self._open[0][0], self._open[1][0] if len(self._open) > 1 else None
        assert case is not None  # the testcase itself is always built
        if cut is not None:  # cut off mid-way (an unread child was never added): its content is incomplete
            case.remove(cut)
            self._loud = any(child.tag in _LOUD_TAGS for child in case)
        self._open.clear()
        self._add_built(case)
        return True

    def finish(self) -> None:
        """Hand on the cases not handed on yet; a testcase still open (the file ended or broke
        inside it) is dropped, as it never closed."""
        if self._state == _PLAIN:
            self._state = _OUTSIDE
            self._attrs.pop()
            self._lines.pop()
        self.flush()
        self.runs.clear()

    def flush(self) -> None:
        """Hand on the batch gathered so far (all of the current suite's context)."""
        if not self._attrs:
            return
        names = self._expat.intern if self._expat is not None else None
        status = names is None or "status" in names or self._run_status
        batch = CaseBatch(self._ctx, self._attrs, self._lines, self._built, status, self._runs)
        self._attrs, self._lines, self._built, self._runs = [], [], [], []
        self.state.cases += len(batch)
        self._batch_sink(batch)

    def _add_built(self, case: Element) -> None:
        self._built.append((len(self._attrs), case, self._has_outcome, self._loud))
        self._attrs.append(case.attrib)
        self._lines.append(self._case_line)
        if len(self._attrs) >= self._batch_cases:
            self.flush()

    def _one_by_one(self, batch: CaseBatch) -> None:
        assert self._sink is not None  # a reader without a batch sink has a per-case one
        for elem, line, has_result in batch.cases():
            self._sink(elem, batch.ctx, line, has_result)

    def _start_suite(self, attrs: dict[str, str]) -> None:
        state = self.state
        name = attrs.get("name", "")
        if state.root_tag is None:
            state.root_tag = "testsuite"
            state.root_counts = suite_counts(attrs)
            self._state = _IDLE
        elif not self._suites:
            for key, value in suite_counts(attrs).items():
                if value is not None:
                    state.top_suite_sums[key] = (state.top_suite_sums[key] or 0) + value
        if name == "pytest":
            state.pytest = True
        parent = self._suites[-1] if self._suites else _NO_SUITE
        if len(self._suites) >= MAX_SUITE_DEPTH:
            state.clamped_suites += 1
            self._suites.append(parent)  # popped by its end tag like any other
            self._ctx = parent
            return
        self._ctx = CaseContext(
            suite=(f"{parent.suite}/{name}" if parent.suite else name)[:MAX_SUITE_PATH],
            suite_name=name,
            suite_file=attrs.get("file") or (name if looks_like_source_file(name) else parent.suite_file),
            timestamp=attrs.get("timestamp") or parent.timestamp,
            pytest=state.pytest,
        )
        self._suites.append(self._ctx)


class SafeReader:
    """pyexpat with defusedxml's refusals (any DTD, entity declaration or external reference raises
    defusedxml's own exception before anything is expanded or fetched), wired straight to a CaseReader.

    Not defusedxml's SAX driver itself: xml.sax.expatreader imports saxutils and with it urllib,
    http.client, email and ssl (5.5 MiB and tens of milliseconds for every `ingest`), and its stock
    dispatch wraps every attribute dict and goes through two Python calls per event. The refusals are
    the same handlers defusedxml installs; a syntax error is raised as the SAXParseException the SAX
    driver would raise, so callers see no difference.
    """

    def __init__(self, case_reader: CaseReader, runs: bool = False) -> None:
        expat = pyexpat.ParserCreate(None, intern={})
        expat.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE)
        expat.StartDoctypeDeclHandler = _refuse_doctype
        expat.EntityDeclHandler = _refuse_entity
        expat.UnparsedEntityDeclHandler = _refuse_unparsed_entity
        expat.ExternalEntityRefHandler = _refuse_external_reference
        expat.buffer_text = True
        expat.StartElementHandler = case_reader.start
        expat.EndElementHandler = case_reader.end
        expat.CharacterDataHandler = None
        if runs:  # fed by a runs.RunFeeder: its instructions stand for runs of plain testcases
            expat.ProcessingInstructionHandler = case_reader.take_run
        case_reader.attach(expat)
        self._expat = expat

    def feed(self, data: bytes) -> None:
        self._parse(data, False)

    def close(self) -> None:
        self._parse(b"", True)

    def _parse(self, data: bytes, final: bool) -> None:
        try:
            self._expat.Parse(data, final)
        except pyexpat.ExpatError as exc:
            raise SAXParseException(pyexpat.ErrorString(exc.code), exc, _Where(exc.lineno, exc.offset)) from None


class _Where(Locator):
    """Where a syntax error is, as the SAX driver's locator says it."""

    def __init__(self, line: int, column: int) -> None:
        self._line, self._column = line, column

    def getLineNumber(self) -> int:
        return self._line

    def getColumnNumber(self) -> int:
        return self._column


def _refuse_doctype(name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(
    name: str, is_parameter: bool, value: str | None, base: str | None, sysid: str | None, pubid: str | None,
    notation: str | None,
) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed_entity(name: str, base: str | None, sysid: str, pubid: str | None, notation: str) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external_reference(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)
