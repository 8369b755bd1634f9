"""Cases gathered in document order, reruns grouped by identity, memory bounded by policy.

Every failing or flaky test is kept. Quiet tests (only passed or skipped so far) are the bulk
of a big file: while a file has at most QUIET_LISTED of them they are kept and listed as
Results; past that they are only counted, and remembered for rerun merging in a window of at
least the QUIET_WINDOW most recent, at most about twice that (reruns sit close to the run they
repeat): two generations of a dict, the older dropped whole when the newer fills. Cases come in
batches (stream.CaseBatch); when none of a batch's keys repeats another or anything remembered (the
usual case) its passed cases enter the window in one dict update, their keys built by map and zip
(case_keys), and only the cases with a child are read one by one; otherwise the batch is taken case
by case. Failure text is kept up to DETAILS_BUDGET characters per file, then cut to
DETAILS_AFTER_BUDGET per result.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, replace
from itertools import repeat
from xml.etree.ElementTree import Element

from gardener.ingest.junit.case import (
    CaseContext,
    CaseKey,
    CaseRecord,
    case_key,
    quiet_outcome,
    read_case,
    read_result,
)
from gardener.ingest.junit.merge import blank_run, merge_runs
from gardener.ingest.junit.stream import CaseBatch
from gardener.ingest.junit.values import bound
from gardener.model import Outcome, Result

QUIET_LISTED = 10_000
QUIET_WINDOW = 10_000
DETAILS_BUDGET = 8 * 1024 * 1024
DETAILS_AFTER_BUDGET = 512


@dataclass(slots=True)
class _Group:
    """The runs of one test that failed somewhere and ran more than once (or recorded interim runs).

    A test that failed in one plain run (most, in a big file) is held as its Result alone, which is
    what merge_runs gives for it: no record, group or list per failure while the file is read."""

    runs: list[CaseRecord]


# A failing test's runs so far: its one plain run's Result, or a _Group.
_Failing = Result | _Group


def _held(runs: list[CaseRecord]) -> _Failing:
    return runs[0].result if len(runs) == 1 and not runs[0].interim else _Group(runs)


def _merged(group: _Failing, pytest: bool) -> Result:
    return merge_runs(group.runs, pytest) if isinstance(group, _Group) else group


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

    def __init__(self, path: str, details: bool = True) -> None:
        self.path = path
        self._details = details  # False: results without details (read_case)
        self.listing_quiet = True
        self.cases = self.failures = self.errors = self.skipped = 0
        self._seq = 0
        self._groups: dict[CaseKey, _Failing] = {}
        # Each group's first appearance, in the order the groups were made; out of order only when a test
        # that passed or skipped first fails later (its group dates from the quiet run).
        self._group_seqs = array("q")
        self._groups_in_order = True
        self._quiet: dict[CaseKey, _QuietEntry] = {}  # every quiet test while listing; then the newer generation
        self._older: dict[CaseKey, _QuietEntry] = {}  # the older generation of the window
        self._details_left = DETAILS_BUDGET

    def take_batch(self, batch: CaseBatch) -> None:
        """Consecutive cases of one suite (the reader's batch sink), with the outcome and the window
        exactly as if taken one by one."""
        n = len(batch)
        if self.listing_quiet or (batch.may_have_status and any(map(dict.__contains__, batch.attrs, repeat("status")))):
            self._take_each(batch, 0, n)
            return
        keys = batch.keys()
        # Without a status attribute a case is quiet unless it has a failing or interim child (the reader says).
        loud = [case[0] for case in batch.children if case[3]]
        lo, next_loud = 0, 0
        while lo < n:
            # Up to the case that fills the window's newer generation, where one by one would turn it.
            hi = lo + max(1, QUIET_WINDOW - len(self._quiet))
            while next_loud < len(loud) and loud[next_loud] < hi:
                hi += 1
                next_loud += 1
            hi = min(hi, n)
            self._take_run(batch, keys if lo == 0 and hi == n else keys[lo:hi], lo, hi)
            lo = hi

    def _take_run(self, batch: CaseBatch, keys: list[CaseKey], lo: int, hi: int) -> None:
        """Cases lo..hi of a batch (`keys` theirs), at most filling the newer generation: at once when no
        key among them repeats another or one remembered, else one by one."""
        quiet = self._quiet
        if (
            not quiet.keys().isdisjoint(keys)
            or not self._older.keys().isdisjoint(keys)
            or (self._groups and not self._groups.keys().isdisjoint(keys))
        ):
            self._take_each(batch, lo, hi)  # a rerun somewhere: case by case, in order
            return
        seq, size = self._seq, len(quiet)
        quiet.update(zip(keys, range(seq + 1, seq + 1 + hi - lo), strict=True))  # every case of the run: seen once
        if len(quiet) - size < hi - lo:  # two cases of the run are one test: undo, then case by case
            for key in keys:
                quiet.pop(key, None)
            self._take_each(batch, lo, hi)
            return
        self.cases += hi - lo
        for i, elem, has_result, loud in batch.children:  # each read as if alone
            if i < lo or i >= hi or not has_result:  # a pass with a child: in the window as it is
                continue
            key = keys[i - lo]
            if not loud:  # skipped
                self.skipped += 1
                quiet[key] = _Quiet(seq + 1 + i - lo, None, 0, 1)
            else:  # failing: a group of its own (never a run's case: those pass or skip)
                assert elem is not None
                del quiet[key]
                self._seq = seq + 1 + i - lo
                self._take_loud(elem, batch.ctx, batch.line_of(i), key)
        self._seq = seq + hi - lo
        if len(quiet) >= QUIET_WINDOW:
            self._older, self._quiet = quiet, {}

    def _take_each(self, batch: CaseBatch, lo: int, hi: int) -> None:
        ctx, attribs, lines = batch.ctx, batch.attrs, batch.lines
        plain = lo  # the next case not taken yet: those before each built one have no element
        for i, elem, has_result, loud in batch.built:  # in document order
            if i < lo:
                continue
            if i >= hi:
                break
            for j in range(plain, i):
                self.take_plain(attribs[j], ctx, lines[j])
            plain = i + 1
            if loud:  # a failing or interim child (the reader saw it): what take() would find, read at once
                self.cases += 1
                self._seq += 1
                self._take_loud(elem, ctx, lines[i])
            else:
                self.take(elem, ctx, lines[i], has_result)
        for j in range(plain, hi):
            self.take_plain(attribs[j], ctx, lines[j])

    def take_plain(self, attrib: dict[str, str], ctx: CaseContext, line: int | None) -> None:
        """A testcase without any child element, by its attributes: the bulk of a big file."""
        if self.listing_quiet or "status" in attrib:
            self.take(Element("testcase", attrib), ctx, line, False)
            return
        self.cases += 1
        self._seq += 1
        # case_key() inlined: this runs once per passed case.
        file = attrib.get("file") or ctx.suite_file
        classname = attrib.get("classname", "")
        name = attrib.get("name", "")
        key = f"{file}\0{classname}\0{name}" if file or classname else f"\0\0{name}\0{ctx.suite_name}"
        quiet = self._quiet
        if key in quiet or key in self._older or key in self._groups:
            self._add_pass(key, Element("testcase", attrib), ctx, line)  # a rerun: rare
        else:  # the hot path of a big file, kept short
            quiet[key] = self._seq
            if len(quiet) >= QUIET_WINDOW:
                self._older, self._quiet = quiet, {}

    def take(self, elem: Element, ctx: CaseContext, line: int | None, has_result: bool) -> None:
        self.cases += 1
        self._seq += 1
        self._take_counted(elem, ctx, line, has_result)

    def _take_counted(self, elem: Element, ctx: CaseContext, line: int | None, has_result: bool) -> None:
        attrib = elem.attrib
        if not has_result and "status" not in attrib:
            # A case with no result at all: read only if ever needed.
            self._add_pass(case_key(attrib, ctx), elem, ctx, line)
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
        self._take_loud(elem, ctx, line)

    def _take_loud(self, elem: Element, ctx: CaseContext, line: int | None, key: CaseKey | None = None) -> None:
        """A case that counts as failed or errored, or a skip of a test that failed before (`key` its
        case_key when known)."""
        result, interim = read_result(elem, ctx, self.path, line, self._details)
        details = result.details
        if self._details_left >= len(details):
            self._details_left -= len(details)
        else:
            result = self._over_budget(result)
        outcome = result.outcome
        if outcome == "failed":
            self.failures += 1
        elif outcome == "error":
            self.errors += 1
        if key is None:
            key = case_key(elem.attrib, ctx)
        if interim or key in self._groups or key in self._quiet or key in self._older:
            self._add_run(key, CaseRecord(key, result, interim))
            return
        # A test's first run, and a plain one (most failures of a big file): _add_run's new group, held as its Result.
        seqs = self._group_seqs
        if seqs and self._seq < seqs[-1]:
            self._groups_in_order = False
        seqs.append(self._seq)
        self._groups[key] = result

    def _add_pass(self, key: CaseKey, elem: Element, ctx: CaseContext, line: int | None) -> None:
        seen = self._seen(key)
        if seen is None and key not in self._groups:
            self._remember(key, _Quiet(self._seq, (elem, ctx, line), 1, 0) if self.listing_quiet else self._seq)
        elif seen is not None and not ctx.pytest:
            quiet = self._expand(key, seen)
            quiet.passes += 1
            quiet.kept = (elem, ctx, line) if self.listing_quiet else None
        else:  # a result-less repeat in pytest means the earlier entry was a failed attempt
            self._add_run(key, read_case(elem, ctx, self.path, line, self._details))

    def _add_skip(self, key: CaseKey, kept: _Kept) -> None:
        seen = self._seen(key)
        if seen is None:
            self._remember(key, _Quiet(self._seq, kept if self.listing_quiet else None, 0, 1))
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
        seqs = self._group_seqs
        if not self._groups_in_order:  # by first appearance; no (seq, result) pairs for 100,000 failures
            groups = [groups[i] for i in sorted(range(len(groups)), key=seqs.__getitem__)]
            seqs = array("q", sorted(seqs))
        if not self.listing_quiet or not self._quiet:  # no quiet result to place among them: in order already
            return tuple([merge_runs(g.runs, pytest) if isinstance(g, _Group) else g for g in groups])
        merged = [(seq, _merged(g, pytest)) for seq, g in zip(seqs, groups, strict=True)]
        merged += [self._quiet_result(q) for q in self._quiet.values()]
        merged.sort(key=lambda pair: pair[0])
        return tuple(result for _, result in merged)

    def _add_run(self, key: CaseKey, record: CaseRecord) -> None:
        group = self._groups.get(key)
        if group is not None:
            if isinstance(group, _Group):
                group.runs.append(record)
            else:  # the second run of a test held as its one Result (which had no interim runs)
                self._groups[key] = _Group([CaseRecord(key, group), record])
            return
        seen = self._forget(key)
        if seen is None:
            self._add_group(key, self._seq, [record])
            return
        quiet = _Quiet(seen, None, 1, 0) if isinstance(seen, int) else seen
        # Earlier quiet runs add attempts and their outcome, never evidence.
        earlier = [blank_run(record, "passed")] * quiet.passes + [blank_run(record, "skipped")] * quiet.skips
        self._add_group(key, quiet.seq, [*earlier, record])

    def _add_group(self, key: CaseKey, seq: int, runs: list[CaseRecord]) -> None:
        seqs = self._group_seqs
        if seqs and seq < seqs[-1]:
            self._groups_in_order = False
        seqs.append(seq)
        self._groups[key] = _held(runs)

    def _seen(self, key: CaseKey) -> _QuietEntry | None:
        seen = self._quiet.get(key)
        return seen if seen is not None else self._older.get(key)

    def _forget(self, key: CaseKey) -> _QuietEntry | None:
        newer, older = self._quiet.pop(key, None), self._older.pop(key, None)
        return newer if newer is not None else older

    def _expand(self, key: CaseKey, seen: _QuietEntry) -> _Quiet:
        if isinstance(seen, _Quiet):
            return seen
        quiet = _Quiet(seen, None, 1, 0)
        self._older.pop(key, None)
        self._remember(key, quiet)
        return quiet

    def _remember(self, key: CaseKey, quiet: _QuietEntry) -> None:
        self._quiet[key] = quiet
        if self.listing_quiet:
            if len(self._quiet) > QUIET_LISTED:
                self.listing_quiet = False  # from now on counted, not listed: the window starts
                for entry in self._quiet.values():
                    if isinstance(entry, _Quiet):
                        entry.kept = None
                self._older, self._quiet = self._quiet, {}
        elif len(self._quiet) >= QUIET_WINDOW:
            self._older, self._quiet = self._quiet, {}

    def _quiet_result(self, quiet: _QuietEntry) -> tuple[int, Result]:
        assert isinstance(quiet, _Quiet) and quiet.kept is not None  # kept while listing
        kept = quiet.kept
        record = read_case(kept[0], kept[1], self.path, kept[2], self._details)
        outcome: Outcome = "passed" if quiet.passes else "skipped"
        return quiet.seq, replace(record.result, outcome=outcome, attempts=quiet.passes + quiet.skips)

    def _over_budget(self, result: Result) -> Result:
        """A result read once the file's details budget is spent (or spent by it): its details cut."""
        self._details_left = 0
        if len(result.details) <= DETAILS_AFTER_BUDGET:  # nothing to cut: no copy of the result
            return result
        return replace(result, details=bound(result.details, DETAILS_AFTER_BUDGET))
