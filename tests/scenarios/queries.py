"""What the scenario tests ask of a `gardener run --json` report, shared by both rounds."""

from __future__ import annotations

from typing import Any

import pytest


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
