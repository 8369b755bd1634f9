"""Cases gathered in document order, reruns grouped by identity, memory bounded by policy.

Every failing or flaky test is kept. Quiet tests (only passed or skipped so far) are the bulk
of a big file: while a file has at most QUIET_LISTED of them they are kept and listed as
Results; past that they are only counted, and remembered for rerun merging in a window of the
QUIET_WINDOW most recent (reruns sit close to the run they repeat). Failure text is kept up to
DETAILS_BUDGET characters per file, then cut to DETAILS_AFTER_BUDGET per result.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from xml.etree.ElementTree import Element

from gardener.ingest.junit.case import CaseContext, CaseKey, CaseRecord, case_key, quiet_outcome, read_case
from gardener.ingest.junit.merge import blank_run, merge_runs
from gardener.ingest.junit.values import bound
from gardener.model import Outcome, Result

QUIET_LISTED = 10_000
QUIET_WINDOW = 10_000
DETAILS_BUDGET = 8 * 1024 * 1024
DETAILS_AFTER_BUDGET = 512


@dataclass(slots=True)
class _Group:
    seq: int
    runs: list[CaseRecord]


# A quiet case not read yet: element, context, source line.
_Kept = tuple[Element, CaseContext, int | None]


class _Quiet:
    """A test seen only passing or skipped so far; its latest case is kept while listing."""

    __slots__ = ("kept", "passes", "seq", "skips")

    def __init__(self, seq: int, kept: _Kept | None, passes: int, skips: int) -> None:
        self.seq, self.kept, self.passes, self.skips = seq, kept, passes, skips


# Past the listing limit most tests pass exactly once: their entry is just their sequence number,
# upgraded to a _Quiet if they come again.
_QuietEntry = int | _Quiet


class CaseCollector:
    """Takes every case of one file in document order (it is the reader's sink), counts it by
    the convention, and groups reruns; `results()` gives one Result per test."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.listing_quiet = True
        self.cases = self.failures = self.errors = self.skipped = 0
        self._seq = 0
        self._groups: dict[CaseKey, _Group] = {}
        self._quiet: dict[CaseKey, _QuietEntry] = {}
        self._quiet_order: deque[CaseKey] = deque()  # oldest first, for the window
        self._details_left = DETAILS_BUDGET

    def take(self, elem: Element, ctx: CaseContext, line: int | None, has_result: bool) -> None:
        self.cases += 1
        self._seq += 1
        attrib = elem.attrib
        if not has_result and "status" not in attrib:
            # A case with no result at all, the bulk of a big file: read only if ever needed.
            # case_key() inlined: this runs once per passing case.
            file = attrib.get("file") or ctx.suite_file
            classname = attrib.get("classname", "")
            key = (file, classname, attrib.get("name", ""), "" if file or classname else ctx.suite_name)
            if self.listing_quiet or key in self._quiet or key in self._groups:
                self._add_pass(key, elem, ctx, line)
            else:  # the hot path of a big file, kept short
                self._quiet[key] = self._seq
                order = self._quiet_order
                order.append(key)
                if len(order) > QUIET_WINDOW:
                    self._quiet.pop(order.popleft(), None)
            return
        quiet = quiet_outcome(elem, has_result)
        if quiet == "passed":
            self._add_pass(case_key(attrib, ctx), elem, ctx, line)
            return
        if quiet == "skipped":
            self.skipped += 1
            key = case_key(attrib, ctx)
            if key not in self._groups:
                self._add_skip(key, (elem, ctx, line))
                return
        record = self._within_budget(read_case(elem, ctx, self.path, line))
        if record.outcome == "failed":
            self.failures += 1
        elif record.outcome == "error":
            self.errors += 1
        self._add_run(record.key, record)

    def _add_pass(self, key: CaseKey, elem: Element, ctx: CaseContext, line: int | None) -> None:
        seen = self._quiet.get(key)
        if seen is None and key not in self._groups:
            if self.listing_quiet:
                self._new_quiet(key, _Quiet(self._seq, (elem, ctx, line), 1, 0))
            else:
                self._quiet[key] = self._seq
                self._quiet_order.append(key)
                if len(self._quiet_order) > QUIET_WINDOW:
                    self._quiet.pop(self._quiet_order.popleft(), None)
        elif seen is not None and not ctx.pytest:
            quiet = self._expand(key, seen)
            quiet.passes += 1
            quiet.kept = (elem, ctx, line) if self.listing_quiet else None
        else:  # a result-less repeat in pytest means the earlier entry was a failed attempt
            self._add_run(key, read_case(elem, ctx, self.path, line))

    def _add_skip(self, key: CaseKey, kept: _Kept) -> None:
        seen = self._quiet.get(key)
        if seen is None:
            self._new_quiet(key, _Quiet(self._seq, kept if self.listing_quiet else None, 0, 1))
        else:
            quiet = self._expand(key, seen)
            quiet.skips += 1
            quiet.kept = kept if self.listing_quiet else None

    def warning(self) -> str | None:
        if self.listing_quiet:
            return None
        return f"passed and skipped tests not listed (more than {QUIET_LISTED}); counts are complete"

    def results(self, pytest: bool) -> tuple[Result, ...]:
        groups = list(self._groups.values())
        self._groups.clear()
        merged = [(g.seq, merge_runs(g.runs, pytest)) for g in groups]
        if self.listing_quiet:
            merged += [self._quiet_result(q) for q in self._quiet.values()]
        merged.sort(key=lambda pair: pair[0])
        return tuple(result for _, result in merged)

    def _add_run(self, key: CaseKey, record: CaseRecord) -> None:
        group = self._groups.get(key)
        if group is not None:
            group.runs.append(record)
            return
        seen = self._quiet.pop(key, None)
        if seen is None:
            self._groups[key] = _Group(self._seq, [record])
            return
        quiet = _Quiet(seen, None, 1, 0) if isinstance(seen, int) else seen
        # Earlier quiet runs add attempts and their outcome, never evidence.
        earlier = [blank_run(record, "passed")] * quiet.passes + [blank_run(record, "skipped")] * quiet.skips
        self._groups[key] = _Group(quiet.seq, [*earlier, record])

    def _expand(self, key: CaseKey, seen: _QuietEntry) -> _Quiet:
        if isinstance(seen, _Quiet):
            return seen
        quiet = self._quiet[key] = _Quiet(seen, None, 1, 0)
        return quiet

    def _new_quiet(self, key: CaseKey, quiet: _QuietEntry) -> None:
        self._quiet[key] = quiet
        self._quiet_order.append(key)
        if self.listing_quiet and len(self._quiet) > QUIET_LISTED:
            self.listing_quiet = False
            for entry in self._quiet.values():
                if isinstance(entry, _Quiet):
                    entry.kept = None
        if not self.listing_quiet:
            while len(self._quiet_order) > QUIET_WINDOW:
                self._quiet.pop(self._quiet_order.popleft(), None)  # gone already if it failed since

    def _quiet_result(self, quiet: _QuietEntry) -> tuple[int, Result]:
        assert isinstance(quiet, _Quiet) and quiet.kept is not None  # kept while listing
        kept = quiet.kept
        record = read_case(kept[0], kept[1], self.path, kept[2])
        outcome: Outcome = "passed" if quiet.passes else "skipped"
        return quiet.seq, replace(record.result, outcome=outcome, attempts=quiet.passes + quiet.skips)

    def _within_budget(self, record: CaseRecord) -> CaseRecord:
        details = record.result.details
        if self._details_left >= len(details):
            self._details_left -= len(details)
            return record
        self._details_left = 0
        cut = replace(record.result, details=bound(details, DETAILS_AFTER_BUDGET))
        return CaseRecord(record.key, cut, record.interim)
