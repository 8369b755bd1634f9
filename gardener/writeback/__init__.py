"""`--annotate-reports`: write each failed testcase's issue into the JUnit file it came from.

Every failed `<testcase>` of an ingested JUnit file gets one line in its `<system-out>`, e.g.
`[gardener] Tracked in #443, seen 7 times: https://github.com/o/r/issues/443`, so CI report viewers
show where the failure is tracked. The file is edited as bytes at the offsets the safe reader
reported (scan.py), never re-serialised: everything else stays byte for byte as it was,
and no count changes (only `<system-out>` text is added). A rerun replaces gardener's line instead
of adding another. The new file is written beside the old and moved over it, so a reader never
sees half a file; a file that changed meanwhile is left alone.

Files that are partial, not ASCII-compatible (UTF-16/32) or unreadable are skipped with a reason.
"""

from __future__ import annotations

import codecs
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax import SAXParseException
from xml.sax.saxutils import escape

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from gardener import regex as re
from gardener.errors import InputError
from gardener.ingest.junit.stream import NotJUnitRoot
from gardener.model import FileReport, Finding, RunReport
from gardener.redact import safe_inline
from gardener.writeback.scan import CaseSpan, failed_case_spans

PREFIX = b"[gardener] "
# gardener's own line, only when it is the last thing in <system-out> (test output may quote one).
_OLD_LINE = re.lazy(
    re.escape(PREFIX) + rb"(?:Tracked in #[0-9]+|Finding [0-9A-Za-z_.-]+ \()[^\r\n<]*(?P<rest>\s*)\Z"
)
_SEARCH_BACK = 64 * 1024  # gardener's line is the last thing in <system-out>
_DECLARED = re.lazy(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Annotated:
    """What annotating one file did: how many cases got a line, or why it was skipped."""

    path: str
    cases: int
    skipped: str | None = None


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int
    end: int
    data: bytes


def describe(done: Annotated) -> str:
    """One line for the terminal: what annotating a file did."""
    path = safe_inline(done.path, 300)
    if done.skipped:
        return f"{path}: {safe_inline(done.skipped, 300)}"
    return f"{path}: annotated {done.cases} failed testcase(s) with their issue or finding"


def line_for(f: Finding, report: RunReport) -> str:
    """The line a failed case gets: its issue and how often it was seen, else its finding."""
    issue = report.issue_for(f.id)
    run_count = sum(1 for r in f.results if r.is_failing)
    if issue is None:
        return f"{PREFIX.decode()}Finding {f.id} ({f.priority} {f.category}), seen {_times(run_count)}; not filed yet"
    meta = issue.meta or {}
    seen = meta.get("count")
    count = seen if isinstance(seen, int) and seen >= run_count else run_count
    return f"{PREFIX.decode()}Tracked in #{issue.number}, seen {_times(count)}: {issue.url}"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def annotate_reports(report: RunReport) -> list[Annotated]:
    """Annotate every JUnit input of the run that holds failed cases of its findings."""
    by_file: dict[tuple[str, str, str], Finding] = {}
    by_test: dict[tuple[str, str], Finding] = {}
    for f in report.findings:
        for r in f.results:
            by_file.setdefault((r.source.path, r.id, r.variant), f)
            by_test.setdefault((r.id, r.variant), f)
    done = []
    for file in junit_inputs(report.files):
        lines: dict[tuple[str, str], bytes] = {}
        for (path, test_id, variant), f in by_file.items():
            if path == file.path:
                lines[(test_id, variant)] = escape(line_for(f, report)).encode("ascii", "replace")
        fallback = {key: escape(line_for(f, report)).encode("ascii", "replace") for key, f in by_test.items()}
        done.append(annotate_file(Path(file.path), lines, fallback))
    return done


def junit_inputs(files: Sequence[FileReport]) -> list[FileReport]:
    return [f for f in files if f.kind == "junit" and f.error is None and f.counts.failures + f.counts.errors]


def annotate_file(path: Path, lines: dict[tuple[str, str], bytes],
                  fallback: dict[tuple[str, str], bytes]) -> Annotated:
    """Give each failed case of `path` its line (by this file's results, else by test id)."""
    try:
        reason = _unsupported_encoding(path)
        if reason:
            return Annotated(str(path), 0, reason)
        before = path.stat()
        spans = failed_case_spans(path)
        edits = []
        for span in spans:
            key = (span.test_id, span.variant)
            text = lines.get(key) or fallback.get(key)
            if text is not None:
                edits.append(_edit(path, span, text))
        if not edits:
            return Annotated(str(path), 0, "no failed case belongs to a finding of this run")
        _rewrite(path, edits, before)
    except InputError as exc:
        return Annotated(str(path), 0, exc.reason)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        return Annotated(str(path), 0, "not annotated: the XML declares a DTD or entities")
    except SAXParseException as exc:
        return Annotated(str(path), 0, f"not annotated: malformed XML at line {exc.getLineNumber()}")
    except NotJUnitRoot as exc:
        return Annotated(str(path), 0, f"not annotated: not a JUnit report (root <{exc.tag}>)")
    except OSError as exc:
        return Annotated(str(path), 0, f"not annotated: {exc.strerror or exc}")
    except Exception as exc:  # anything else the parser raises: the file is left untouched
        return Annotated(str(path), 0, f"not annotated: {type(exc).__name__}: {exc}")
    return Annotated(str(path), len(edits))


def _unsupported_encoding(path: Path) -> str | None:
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return "not annotated: UTF-16/32 files are left as they are"
    declared = _DECLARED.match(head.removeprefix(codecs.BOM_UTF8))
    if declared is None:
        return None
    try:
        ascii_compatible = "<a b='c'>#1</a>".encode(declared.group(1).decode("ascii")) == b"<a b='c'>#1</a>"
    except (LookupError, UnicodeError):
        return f"not annotated: unknown encoding {declared.group(1).decode('ascii', 'replace')}"
    return None if ascii_compatible else "not annotated: the declared encoding is not ASCII-compatible"


def _read(path: Path, start: int, size: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(max(start, 0))
        return fh.read(max(size, 0))


def _edit(path: Path, span: CaseSpan, text: bytes) -> _Edit:
    if span.out_start is None or span.out_end is None:  # no <system-out>: add one before </testcase>
        before = _read(path, span.end_tag - 256, min(256, span.end_tag))
        indent = before[before.rfind(b"\n") + 1:] if b"\n" in before else b"x"
        prefix = span.case_name.rpartition(":")[0]
        tag = (prefix + ":system-out" if prefix else "system-out").encode("ascii", "replace")
        element = b"<" + tag + b">" + text + b"</" + tag + b">"
        if indent.strip(b" \t"):
            return _Edit(span.end_tag, span.end_tag, element)
        return _Edit(span.end_tag, span.end_tag, b"  " + element + b"\n" + indent)
    name = span.out_name.encode("ascii", "replace")
    if _read(path, span.out_end, len(name) + 2) != b"</" + name:  # <system-out/>: give it content
        tag = _read(path, span.out_start, span.out_end - span.out_start)
        opening = tag[: tag.rfind(b"/")].rstrip() + b">"
        return _Edit(span.out_start, span.out_end, opening + text + b"</" + name + b">")
    start = max(span.out_start, span.out_end - _SEARCH_BACK)
    content = _read(path, start, span.out_end - start)
    old = _OLD_LINE.search(content)
    if old is not None:
        return _Edit(start + old.start(), start + old.start("rest"), text)
    empty = re.search(rb"<" + re.escape(name) + rb"(?:\s[^>]*)?>\Z", content) is not None
    lead = b"" if empty or content.endswith(b"\n") else b"\n"
    return _Edit(span.out_end, span.out_end, lead + text + b"\n")


def _rewrite(path: Path, edits: list[_Edit], before: os.stat_result) -> None:
    """Copy `path` with the edits applied into a temporary file beside it, then move it over."""
    tmp = path.with_name(f".{path.name}.gardener{os.getpid()}")
    try:
        with path.open("rb") as src, tmp.open("wb") as dst:
            at = 0
            for edit in sorted(edits, key=lambda e: (e.start, e.end)):
                _copy(src, dst, edit.start - at)
                dst.write(edit.data)
                src.seek(edit.end)
                at = edit.end
            shutil.copyfileobj(src, dst, _CHUNK)
        shutil.copymode(path, tmp)
        now = path.stat()
        if (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            raise InputError(str(path), "not annotated: the file changed while it was being annotated")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _copy(src: BinaryIO, dst: BinaryIO, size: int) -> None:
    while size > 0:
        chunk = src.read(min(size, _CHUNK))
        if not chunk:
            break
        dst.write(chunk)
        size -= len(chunk)
