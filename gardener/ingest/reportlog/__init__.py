"""pytest `--report-log` files (pytest-reportlog): one JSON object per line.

A line that is not JSON (a run killed mid-write, a stray print) is skipped and counted, and
the file is marked partial; everything else is still read. A file with no valid entry is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gardener import regex as re
from gardener.errors import InputError
from gardener.ingest.base import ParsedFile, counts_of
from gardener.ingest.reportlog.merge import ReportMerger
from gardener.ingest.textfile import TextFile
from gardener.model import Result, Source

KIND = "reportlog"

# Entries carry whole tracebacks and captured output: allow long lines, still bounded.
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def sniff(head: str) -> int:
    """Report-log files start with a SessionStart entry; any `$report_type` line is a strong hint."""
    for line in head.splitlines():
        if not line.strip():
            continue
        first = _decode(line) if line.lstrip().startswith("{") else None
        if isinstance(first, dict) and "$report_type" in first:
            return 95
        break
    return 70 if head.lstrip().startswith("{") and '"$report_type"' in head else 0


def parse(path: Path) -> ParsedFile:
    text = TextFile(path, max_line=MAX_ENTRY_BYTES)
    merger = ReportMerger(str(path), KIND)
    bad_lines = 0
    first_bad: int | None = None
    for number, line in text.lines():
        if not line.strip():
            continue
        entry = _decode(line)
        if entry is None:
            bad_lines += 1
            first_bad = first_bad or number
            continue
        merger.add(number, entry)
    if merger.entries == 0:
        reason = "no pytest report-log entry (no JSON line with a $report_type)"
        if first_bad is not None:
            reason += f"; first line that is not JSON: {first_bad}"
        raise InputError(str(path), reason)
    results = merger.results()
    if merger.exitstatus == 3:  # pytest's INTERNAL_ERROR exit status: the run itself crashed
        results.append(_internal_error(str(path), merger.finish_line))
    notes = []
    if bad_lines:
        notes.append(f"{bad_lines} line(s) not valid JSON skipped (first at line {first_bad})")
    cut_short = merger.started and not merger.finished
    if cut_short:
        notes.append("no SessionFinish entry: the run ended early or the file is truncated")
    if warning := text.warning():
        notes.append(warning)
    found = tuple(results)
    return ParsedFile(
        results=found,
        counts=counts_of(found),
        partial=bool(bad_lines) or cut_short,
        warning="; ".join(notes) or None,
    )


def _decode(line: str) -> dict[str, Any] | None:
    """One entry, or None for a line that is not a JSON object.

    json raises RecursionError on deeply nested garbage (a line of 50,000 `[`) before it fails.
    """
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(entry, dict):
        return None
    if "\\u" not in line or not _SURROGATE_ESCAPE.search(line):
        return entry
    # A `\ud800` escape decodes to a lone surrogate, which no UTF-8 output can write: each becomes U+FFFD.
    try:
        return _without_surrogates(entry)  # type: ignore[no-any-return]
    except RecursionError:  # nested as deep as json allows, with this walk's frames on top
        return None


_SURROGATE_ESCAPE = re.lazy(r"\\u[dD][89a-fA-F]")


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def _internal_error(path: str, line: int | None) -> Result:
    return Result(
        id="<pytest INTERNALERROR>",
        outcome="error",
        source=Source(path, KIND), source_line=line,
        message="pytest exited with status 3 (internal error)",
        error_type="INTERNALERROR",
    )
