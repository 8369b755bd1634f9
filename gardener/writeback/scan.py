"""Where each failed `<testcase>` of a JUnit file sits, in bytes, for writing a line into it.

The file is read by ingestion's own safe streaming reader (defusedxml's expat reader refusing any
DTD, entity or external reference; one small tree per testcase), extended only to remember the byte
offsets expat reports: the `</testcase>` end tag and the case's `<system-out>` element. Each failed
case is identified by ingestion's own `read_case`, so the ids match the results gardener reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from gardener.ingest.junit.case import CaseContext, read_case
from gardener.ingest.junit.stream import CaseReader, SafeReader

_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class CaseSpan:
    """One failed testcase: its identity and the byte offsets an annotation needs.

    `end_tag` is where `</testcase>` starts. `out_start` is where the case's first `<system-out`
    starts and `out_end` where expat ended that element: at its `</system-out>` end tag, or just
    past the `/>` of an empty `<system-out/>` (told apart by reading the bytes there).
    """

    test_id: str
    variant: str
    line: int | None
    end_tag: int
    out_start: int | None
    out_end: int | None
    out_name: str
    case_name: str = "testcase"  # as written, with its namespace prefix if it has one


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _PositionReader(CaseReader):
    """CaseReader that also notes byte offsets inside each top-level testcase."""

    def __init__(self, path: str) -> None:
        super().__init__(self._take)
        self.spans: list[CaseSpan] = []
        self._path = path
        self._px: Any = None
        self._depth = 0  # 0 outside a testcase, 1 on the testcase itself, 2 on its children ...
        self._end_tag = 0
        self._case_name = "testcase"
        self._out: list[Any] = [None, None, ""]  # start, end, qualified name of the first system-out

    def attach(self, expat: Any) -> None:
        super().attach(expat)
        self._px = expat

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self._depth:
            self._depth += 1
            if self._depth == 2 and _local(name) == "system-out" and self._out[0] is None:
                self._out = [self._px.CurrentByteIndex, None, name]
        elif _local(name) == "testcase":
            self._depth = 1
            self._out = [None, None, ""]
            self._case_name = name
        super().start(name, attrs)

    def end(self, name: str) -> None:
        if self._depth == 2 and self._out[1] is None and self._out[0] is not None and name == self._out[2]:
            self._out[1] = self._px.CurrentByteIndex
        elif self._depth == 1:
            self._end_tag = self._px.CurrentByteIndex
        if self._depth:
            self._depth -= 1
        super().end(name)  # emits the testcase to _take when it closes

    def _take(self, elem: Element, ctx: CaseContext, line: int | None, has_result: bool) -> None:
        if not has_result or not any(child.tag in ("failure", "error") for child in elem):
            return
        record = read_case(elem, ctx, self._path, line)
        if not record.result.is_failing:
            return
        start, end, name = self._out
        result = record.result
        self.spans.append(CaseSpan(result.id, result.variant, line, self._end_tag, start, end, name, self._case_name))


def failed_case_spans(path: Path) -> list[CaseSpan]:
    """Every failed testcase of `path` with its offsets; raises what the parser raises."""
    reader = _PositionReader(str(path))
    parser = SafeReader(reader)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            parser.feed(chunk)
    parser.close()
    return reader.spans
