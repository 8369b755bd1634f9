"""The worklog's "Issue Tracker" section: what was done (or planned), what was deferred by the cap,
what could not be done, and how many API requests it took. Empty without a tracker."""

from __future__ import annotations

from typing import Any

from gardener.model import RunReport
from gardener.plan.text import plan_lines, plan_totals, step_text
from gardener.view.common import Ctx


def tracker_view(report: RunReport, ctx: Ctx) -> dict[str, Any]:
    if report.tracker is None:
        return {"active": False}
    applied = bool(report.outcomes)
    titles = {f.id: f.title for f in report.findings}
    deferred = [{"id": a.finding, "title": ctx.inline(titles.get(a.finding or "", ""), 200)}
                for a in report.actions if a.kind == "skip" and a.reason.startswith("deferred")]
    failed = [{"what": step_text(o.action, titles), "error": ctx.inline(o.error or "", 300)}
              for o in report.outcomes if not o.ok]
    return {
        "active": True,
        "name": ctx.inline(report.tracker, 200),
        "mode": "applied" if applied else "dry run or nothing to change: nothing written",
        # plan_lines cleans what came from the inputs and keeps gardener's own #refs live
        "lines": [_cut(line.split("\n", 1)[0], 240) for line in plan_lines(report, applied)],
        "totals": plan_totals(report, applied),
        "deferred": deferred,
        "failed": failed,
        "api_requests": report.api_requests or 0,
    }


def _cut(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"
