"""Safe, streaming read of a JUnit XML file: one small element tree per `<testcase>`, nothing more.

The XML goes through expat with defusedxml's refusals of every DTD, entity declaration and
external reference (SafeReader), so a billion-laughs file or an external entity stops at its DOCTYPE, before
anything is expanded or fetched. Events are turned into a tree only inside a `<testcase>` that has
a child element; one without (most passed tests) reaches the plain sink as the attribute dict expat
made, with no element built. Suites leave a name on a stack and their counts in running sums, so
memory stays bounded whatever the file size. Text is kept only for result elements (failures,
skips, reruns, properties), capped.

Why expat callbacks and not ElementTree's iterparse: every result keeps the line its testcase
starts on (Source.line, shown as evidence), which only expat's CurrentLineNumber gives; and the
callbacks are not what costs. On the 500,000-case benchmark file, expat with a no-op start and end
callback takes 0.62 s of CPU against 0.67 s for the iterparse-and-clear baseline itself (and 0.30 s
with no callback at all): what a case costs beyond that is the work done with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement
from xml.parsers import expat as pyexpat
from xml.sax import SAXParseException
from xml.sax.xmlreader import Locator

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from gardener.ingest.junit.case import CaseContext
from gardener.ingest.junit.declared import COUNT_FIELDS, suite_counts
from gardener.ingest.junit.text import BoundedText
from gardener.ingest.junit.values import looks_like_source_file

_RESULT_TAGS = frozenset({"failure", "error", "skipped"})
_OUTCOME_TAGS = _RESULT_TAGS | {"flakyFailure", "flakyError", "rerunFailure", "rerunError"}
_KEEP_TEXT = _OUTCOME_TAGS | {"stackTrace", "property"}

# Resource bounds (README, "Resource bounds"). Suites nested deeper than MAX_SUITE_DEPTH are read
# as part of the deepest one kept, and a suite path is cut at MAX_SUITE_PATH characters, so a file
# of 20,000 nested suites costs memory linear in its size, not in its depth squared. Elements
# nested deeper than MAX_CASE_DEPTH inside a testcase are not built (no result lives that deep).
MAX_SUITE_DEPTH = 64
MAX_SUITE_PATH = 1024
MAX_CASE_DEPTH = 16

# Receives each testcase element, its suite context, the line its start tag is on, and whether
# it has a result child (failure, error, skipped, or an interim rerun).
CaseSink = Callable[[Element, CaseContext, int | None, bool], None]
# Receives a testcase without any child element (the bulk of a big file: passed tests) as its
# attributes alone, so that no element is built for it.
PlainSink = Callable[[dict[str, str], CaseContext, int | None], None]


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


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


class CaseReader:
    """Suites on a stack, each `<testcase>` with children built as a small tree and handed to the
    sink; each without children handed to the plain sink as its attributes.

    SafeReader wires expat's callbacks straight to `start`, `end` and `characters`; the text
    callback is switched on only while an element that keeps text is open, since whitespace
    between half a million elements is otherwise most of the calls.
    """

    def __init__(self, sink: CaseSink, plain: PlainSink | None = None) -> None:
        self.state = StreamState()
        self._sink = sink
        self._plain_sink = plain if plain is not None else self._plain_as_element
        self._plain: dict[str, str] | None = None  # attributes of an open testcase with no child yet
        self._expat: Any = None
        self._suites: list[CaseContext] = []
        # Elements open inside the current testcase, each with its text when it keeps text.
        self._open: list[tuple[Element, BoundedText | None]] = []
        self._results_closed = 0
        self._has_outcome = False
        self._text_on = False  # whether expat's text callback is switched on
        self._case_line: int | None = None
        self._root_ctx = _NO_SUITE  # for testcases directly under <testsuites>
        self._ctx = _NO_SUITE  # the innermost open suite's, else the root's
        self._idle = False  # the root is open and no testcase is

    def attach(self, expat: Any) -> None:
        self._expat = expat

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "testcase" and self._idle:  # the hot path: half a million times in a big file
            self._idle = False
            self._plain = attrs  # an element is built only if a child follows
            self._case_line = self._expat.CurrentLineNumber
            return
        if self._plain is not None:  # the open testcase's first child: now it needs an element
            self._open.append((Element("testcase", self._plain), None))
            self._plain = None
            self._results_closed = 0
            self._has_outcome = False
        tag = _local(name) if ":" in name else name
        if self._open:
            if len(self._open) >= MAX_CASE_DEPTH:
                self.state.dropped_elements += 1
                self._open.append((self._open[-1][0], None))  # a placeholder its end pops
                return
            if len(self._open) == 1 and tag in _OUTCOME_TAGS:
                self._has_outcome = True
            elem = SubElement(self._open[-1][0], tag, attrs)
            if tag in _KEEP_TEXT:
                self._open.append((elem, BoundedText()))
                if not self._text_on:
                    self._expat.CharacterDataHandler = self.characters
                    self._text_on = True
            else:
                self._open.append((elem, None))
        elif tag == "testcase":
            if self.state.root_tag is None:
                raise NotJUnitRoot(tag)
            self._idle = False
            self._plain = attrs
            self._case_line = self._expat.CurrentLineNumber
        elif tag == "testsuite":
            self._start_suite(attrs)
        elif self.state.root_tag is None:
            if tag != "testsuites":
                raise NotJUnitRoot(tag)
            self.state.root_tag = tag
            self.state.root_counts = suite_counts(attrs)
            self.state.pytest = attrs.get("name") == "pytest tests"
            self._root_ctx = self._ctx = _NO_SUITE if not self.state.pytest else _PYTEST_ROOT
            self._idle = True

    def end(self, name: str) -> None:
        plain = self._plain
        if plain is not None:  # a testcase closed without a child: the hot path of a big file
            self._plain = None
            self._idle = True
            self.state.cases += 1
            self._plain_sink(plain, self._ctx, self._case_line)
            return
        if self._open:
            elem, text = self._open.pop()
            if len(self._open) >= MAX_CASE_DEPTH:
                return  # a placeholder
            if text is not None:
                elem.text = text.text()
            if not self._open:
                if self._text_on:
                    self._expat.CharacterDataHandler = None
                    self._text_on = False
                self._idle = True
                self.state.cases += 1  # _emit() inlined: once per testcase
                self._sink(elem, self._ctx, self._case_line, self._has_outcome)
            elif len(self._open) == 1 and elem.tag in _RESULT_TAGS:
                self._results_closed += 1
        elif self._suites and (_local(name) if ":" in name else name) == "testsuite":
            self._suites.pop()
            self._ctx = self._suites[-1] if self._suites else self._root_ctx

    def characters(self, content: str) -> None:
        if self._open:
            text = self._open[-1][1]
            if text is not None:
                text.add(content)

    def salvage(self) -> bool:
        """After a parse error: hand on the open testcase if one of its results had closed."""
        if not self._open or self._results_closed == 0:
            return False
        case = self._open[0][0]
        if len(self._open) > 1:
            case.remove(self._open[1][0])  # cut off mid-way: its content is incomplete
        self._open.clear()
        self._emit(case)
        return True

    def _start_suite(self, attrs: dict[str, str]) -> None:
        state = self.state
        name = attrs.get("name", "")
        if state.root_tag is None:
            state.root_tag = "testsuite"
            state.root_counts = suite_counts(attrs)
            self._idle = True
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

    def _plain_as_element(self, attrs: dict[str, str], ctx: CaseContext, line: int | None) -> None:
        self._sink(Element("testcase", attrs), ctx, line, False)

    def _emit(self, case: Element) -> None:
        self.state.cases += 1
        self._sink(case, self._ctx, self._case_line, self._has_outcome)


class SafeReader:
    """pyexpat with defusedxml's refusals (any DTD, entity declaration or external reference raises
    defusedxml's own exception before anything is expanded or fetched), wired straight to a CaseReader.

    Not defusedxml's SAX driver itself: xml.sax.expatreader imports saxutils and with it urllib,
    http.client, email and ssl (5.5 MiB and tens of milliseconds for every `ingest`), and its stock
    dispatch wraps every attribute dict and goes through two Python calls per event. The refusals are
    the same handlers defusedxml installs; a syntax error is raised as the SAXParseException the SAX
    driver would raise, so callers see no difference.
    """

    def __init__(self, case_reader: CaseReader) -> None:
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
