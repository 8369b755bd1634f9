"""`::error` / `::warning` annotations for the top findings of a run.

GitHub shows at most 10 annotations of each kind per step and drops the rest silently, so the
most important findings go first (priority, then resolution order) and the remainder are counted
in one plain line instead. P0/P1 findings are errors, P2/P3 warnings. Every piece of text comes
from the run (titles, root causes, file names) and is redacted, then escaped, so a test output
cannot end the command early or start another one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gardener.actions.commands import command
from gardener.model import PRIORITIES, Finding, RunReport
from gardener.view.common import Ctx, humanise

MAX_PER_KIND = 10
ERROR_PRIORITIES = frozenset({"P0", "P1"})


@dataclass(frozen=True, slots=True)
class Annotations:
    lines: tuple[str, ...]
    dropped: dict[str, int]  # kind -> findings not annotated because of the cap

    def note(self) -> str | None:
        """The plain line naming what the cap left out, or None."""
        parts = [f"{n} {kind}(s)" for kind, n in self.dropped.items() if n]
        if not parts:
            return None
        return f"gardener: {', '.join(parts)} not annotated (GitHub shows at most {MAX_PER_KIND} per kind)"


def kind_of(f: Finding) -> str:
    return "error" if f.priority in ERROR_PRIORITIES else "warning"


def ranked(report: RunReport) -> list[Finding]:
    """Findings by priority, then by their place in the resolution order."""
    order = {fid: n for n, fid in enumerate(report.resolution_order)}
    return sorted(report.findings, key=lambda f: (PRIORITIES.index(f.priority), order.get(f.id, len(order))))


def location(f: Finding, workspace: str | None) -> tuple[str | None, int | None]:
    """The file (relative to the checkout, as GitHub needs it) and line of the finding's first failure."""
    for r in f.results:
        if not r.is_failing or not r.file:
            continue
        path = r.file.replace("\\", "/")
        if os.path.isabs(path):
            if not workspace:
                continue
            rel = os.path.relpath(path, workspace).replace("\\", "/")
            if rel.startswith("../"):
                continue
            path = rel
        return path.removeprefix("./"), r.line
    return None, None


def message(f: Finding, report: RunReport, ctx: Ctx) -> str:
    tests = len({r.id for r in f.results if r.is_failing})
    lines = [ctx.inline(f.root_cause, 600)]
    if tests:
        lines.append(f"{tests} failing test(s), e.g. {ctx.inline(f.results[0].id, 200)}")
    issue = report.issue_for(f.id)
    if issue is not None:
        lines.append(f"Tracked in #{issue.number}: {issue.url}")
    if f.blocked_by:
        lines.append("Blocked by " + ", ".join(f.blocked_by))
    return "\n".join(lines)


def finding_annotations(report: RunReport, ctx: Ctx, workspace: str | None) -> Annotations:
    counts = {"error": 0, "warning": 0}
    dropped = {"error": 0, "warning": 0}
    lines = []
    for f in ranked(report):
        kind = kind_of(f)
        if counts[kind] >= MAX_PER_KIND:
            dropped[kind] += 1
            continue
        counts[kind] += 1
        file, line = location(f, workspace)
        title = f"{f.priority} {humanise(f.category)}: {ctx.inline(f.title, 200)}"
        props = {"file": file, "line": line if file else None, "title": title}
        lines.append(command(kind, message(f, report, ctx), props))
    return Annotations(tuple(lines), dropped)
