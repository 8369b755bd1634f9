"""Merging pytest report-log entries into one Result per test.

pytest reports each test in phases (setup, call, teardown); pytest-rerunfailures adds a
`rerun` report for each failed attempt and runs the phases again. One test is one Result:
a failed call is `failed`, a failed setup or teardown is `error`, a rerun that finally
passed is `flaky`, and `attempts` counts the runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gardener.ingest.pytest_text import lines as pl
from gardener.ingest.reportlog.longrepr import Failure, read_longrepr
from gardener.model import Outcome, Result, Source


@dataclass(slots=True)
class _Report:
    """The one report of a test that decides its outcome, and where it was read."""

    outcome: str
    line: int
    longrepr: Any
    extra: dict[str, Any]


@dataclass(slots=True)
class _Test:
    nodeid: str
    file: str | None
    def_line: int | None
    first_line: int
    start: float | None = None
    duration: float = 0.0
    reruns: int = 0
    phases: dict[str, _Report] = field(default_factory=dict)


# Numbers in an entry are trusted only within sane bounds (a `start` of 1e300 is no date, a NaN
# or infinite duration no JSON): outside them a value is ignored, never an error.
MAX_TIMESTAMP = 253_402_300_799.0  # 9999-12-31T23:59:59Z
MAX_DURATION = 366 * 24 * 3600.0
MAX_LINE = 10**9


def _number(value: Any, low: float, high: float) -> float | None:
    """A JSON number within [low, high]; anything else (bool, string, NaN, huge) is None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return number if low <= number <= high else None


class ReportMerger:
    """Feed decoded entries with their line numbers; `results()` gives one Result per test."""

    def __init__(self, path: str, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.tests: dict[str, _Test] = {}
        self.collect_results: list[Result] = []
        self.started = False
        self.finished = False
        self.exitstatus: int | None = None
        self.finish_line: int | None = None
        self.entries = 0

    def add(self, line: int, entry: dict[str, Any]) -> None:
        kind = entry.get("$report_type")
        if kind is None:
            return
        self.entries += 1
        if kind == "SessionStart":
            self.started = True
        elif kind == "SessionFinish":
            self.finished = True
            self.finish_line = line
            status = entry.get("exitstatus")
            self.exitstatus = status if isinstance(status, int) and not isinstance(status, bool) else None
        elif kind == "CollectReport":
            self._collect(line, entry)
        elif kind == "TestReport" and isinstance(entry.get("nodeid"), str):
            self._test(line, entry)

    def _collect(self, line: int, entry: dict[str, Any]) -> None:
        outcome = entry.get("outcome")
        if outcome not in ("failed", "skipped"):
            return
        nodeid = str(entry.get("nodeid") or "<session>")
        failure = read_longrepr(entry.get("longrepr"))
        self.collect_results.append(
            self._result(nodeid, "error" if outcome == "failed" else "skipped", line, failure, file=nodeid)
        )

    def _test(self, line: int, entry: dict[str, Any]) -> None:
        nodeid = entry["nodeid"]
        test = self.tests.get(nodeid)
        if test is None:
            location = entry.get("location")
            file: str | None = None
            def_line: int | None = None
            if isinstance(location, list) and len(location) >= 2:
                file = str(location[0])
                index = location[1]
                if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < MAX_LINE:
                    def_line = index + 1  # 0-based in pytest
            test = self.tests[nodeid] = _Test(nodeid, file, def_line, line)
        if test.start is None:
            test.start = _number(entry.get("start"), 0, MAX_TIMESTAMP)
        if (duration := _number(entry.get("duration"), 0, MAX_DURATION)) is not None:
            test.duration = min(test.duration + duration, MAX_DURATION)
        outcome = str(entry.get("outcome"))
        when = str(entry.get("when"))
        if outcome == "rerun":
            test.reruns += 1
            test.phases.clear()  # the next attempt starts over; its reports decide
            test.phases["rerun"] = _Report(outcome, line, entry.get("longrepr"), entry)
            return
        test.phases[when] = _Report(outcome, line, entry.get("longrepr"), entry)

    def results(self) -> list[Result]:
        found = list(self.collect_results)
        found.extend(r for t in self.tests.values() if (r := self._decide(t)))
        return found

    def _decide(self, test: _Test) -> Result | None:
        setup, call, teardown = (test.phases.get(w) for w in ("setup", "call", "teardown"))
        outcome: Outcome
        if call and call.outcome == "failed":
            outcome, decisive = "failed", call
        elif setup and setup.outcome == "failed":
            outcome, decisive = "error", setup
        elif teardown and teardown.outcome == "failed":
            outcome, decisive = "error", teardown
        elif any(p and p.outcome == "skipped" for p in (setup, call)):
            outcome, decisive = "skipped", next(p for p in (setup, call) if p and p.outcome == "skipped")
        elif call and call.outcome == "passed":
            outcome, decisive = ("flaky" if test.reruns else "passed"), call
        elif "rerun" in test.phases:  # the log ends after a failed attempt
            outcome, decisive = "failed", test.phases["rerun"]
        else:  # setup reported, no call: the run stopped inside this test
            last = setup or teardown
            if last is None:
                return None
            failure = Failure(message="the run ended during this test: no call report", error_type="Interrupted")
            return self._result(test.nodeid, "error", last.line, failure, test=test)
        failure = read_longrepr(decisive.longrepr, test.file)
        if outcome == "flaky":  # what failed before the pass is the evidence of flakiness
            failure = read_longrepr(test.phases["rerun"].longrepr, test.file)
        elif outcome == "skipped" and decisive.extra.get("wasxfail") is not None:
            failure = Failure(message=str(decisive.extra["wasxfail"]) or "xfail", file=failure.file)
        elif outcome in ("passed", "skipped"):
            failure = Failure(message=failure.message, file=failure.file, line=failure.line)
        return self._result(test.nodeid, outcome, decisive.line, failure, test=test)

    def _result(
        self,
        nodeid: str,
        outcome: Outcome,
        line: int,
        failure: Failure,
        test: _Test | None = None,
        file: str | None = None,
    ) -> Result:
        name, variant = pl.split_nodeid(nodeid)
        failing = outcome in ("failed", "error", "flaky")
        return Result(
            id=name,
            variant=variant,
            outcome=outcome,
            source=Source(self.path, self.kind), source_line=line,
            message=failure.message,
            error_type=failure.error_type if failing else "",
            details=failure.details if failing else "",
            file=(failure.file if failing else None) or (test.file if test else file),
            line=(failure.line if failing else None) or (test.def_line if test else None),
            duration_s=round(test.duration, 6) if test else None,
            attempts=test.reruns + 1 if test else 1,
            timestamp=datetime.fromtimestamp(test.start, UTC) if test and test.start is not None else None,
        )
