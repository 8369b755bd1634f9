"""What the scenario tests ask of a `gardener run --json` report, shared by every round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# The input kinds gardener reads: logs, reports, report-logs and a saved pytest console.
INPUT_SUFFIXES = {".log", ".xml", ".jsonl"}
# Inputs known by their CI system's file name (Prow's job log is `build-log.txt`).
INPUT_NAMES = {"build-log.txt"}


def scenario_inputs(folder: Path) -> list[str]:
    """A scenario folder's input files (EXPECTED.md and pasted excerpts are not inputs)."""
    return sorted(
        str(p) for p in folder.rglob("*")
        if p.is_file()
        and (p.suffix in INPUT_SUFFIXES or p.name in INPUT_NAMES or p.name.endswith("-output.txt"))
    )


def from_file(run: ReportQueries, name: str) -> list[dict[str, Any]]:
    """Findings with evidence in the input file of that name."""
    return [f for f in run.findings if any(Path(e["path"]).name == name for e in f["evidence"])]


def holders(run: ReportQueries, fragment: str) -> dict[str, dict[str, Any]]:
    """Findings holding a test whose id contains `fragment`, by id."""
    return {f["id"]: f for f in run.with_test(fragment)}


def roots(run: ReportQueries) -> list[dict[str, Any]]:
    return [f for f in run.findings if not run.blockers(f)]


def only_root(run: ReportQueries) -> dict[str, Any]:
    """The run's one root cause (fails when there are none or several)."""
    (f,) = roots(run)
    return f


def defect(reason: str) -> pytest.MarkDecorator:
    """A known gardener defect: the test fails until it is fixed, then must lose this mark."""
    return pytest.mark.xfail(strict=True, reason=reason)


class ReportQueries:
    """Lookups over `report["findings"]`; the dataclass using it supplies `report`."""

    __slots__ = ()
    report: dict[str, Any]

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.report["findings"])

    def with_test(self, fragment: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if any(fragment in t for t in f["tests"])]

    def of(self, category: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["category"] == category]

    def by_id(self, fid: str) -> dict[str, Any]:
        return next(f for f in self.findings if f["id"] == fid)

    def blockers(self, finding: dict[str, Any]) -> set[str]:
        """Every finding that blocks this one, directly or through a chain."""
        ids = {f["id"] for f in self.findings}
        seen: set[str] = set()
        todo = list(finding["blocked_by"])
        while todo:
            fid = todo.pop()
            if fid not in seen and fid in ids:
                seen.add(fid)
                todo.extend(self.by_id(fid)["blocked_by"])
        return seen

    def describe(self) -> str:
        return "; ".join(
            f"{f['category']}/{f['priority']} x{f['count']} {f['title']!r} {f['tests'][:3]}" for f in self.findings
        )


def signature(finding: dict[str, Any]) -> str:
    """A finding's signature text, as `run --json` gives it (an object with its text, or the text alone)."""
    sig = finding["signature"]
    return str(sig["text"] if isinstance(sig, dict) else sig)
