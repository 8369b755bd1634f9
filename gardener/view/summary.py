"""The cross-reference summary's context (seed 002): the cluster in resolution order, related
issues, business impact, resolution strategy in phases and success criteria."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gardener import regex as re
from gardener.model import Finding, IssueRef, RunReport
from gardener.scopes import AreaSpec
from gardener.view.common import Ctx, finding_view, humanise, plural
from gardener.view.markdown_safe import code_span
from gardener.view.markdown_safe import inline as md
from gardener.view.mermaid import flowchart
from gardener.view.worklog import run_view

PRIORITY_LABEL = re.lazy(r"(?:^|[-:/ ])(P[0-3])(?:$|[-:/ ])", re.IGNORECASE)
PRIORITY_NAMES = {"P0": "P0 Critical", "P1": "P1 High", "P2": "P2 Medium", "P3": "P3 Low"}


def related_view(report: RunReport, areas: Sequence[AreaSpec], ctx: Ctx) -> dict[str, Any]:
    if report.tracker is None:
        return {"searched": False, "why_not": "no tracker in this run (dry run); pass `--repo` with a token to "
                "list related issues", "groups": [], "terms": []}
    groups: dict[str, list[dict[str, Any]]] = {}
    for issue in report.related:
        name = f"{PRIORITY_NAMES.get(_priority(issue), 'Other')} {_area(issue, areas)} Issues"
        groups.setdefault(name, []).append(
            {"number": issue.number, "url": issue.url, "title": ctx.inline(issue.title, 160), "state": issue.state}
        )
    ordered = sorted(groups.items(), key=lambda kv: (kv[0].split()[0] if kv[0][0] == "P" else "P9", kv[0]))
    return {"searched": True, "groups": [{"name": k, "issues": v} for k, v in ordered],
            "terms": [ctx.inline(t, 60) for t in report.focus], "why_not": ""}


def _priority(issue: IssueRef) -> str:
    for label in issue.labels:
        m = PRIORITY_LABEL.search(label)
        if m:
            return m.group(1).upper()
    return "P?"


GENERIC_LABELS = frozenset({"bug", "gardener", "enhancement", "help wanted", "good first issue", "question"})


def _area(issue: IssueRef, areas: Sequence[AreaSpec]) -> str:
    """The product area a related issue belongs to: a configured area it names, else its topic label."""
    text = f"{issue.title} {' '.join(issue.labels)}".lower()
    for area in areas:
        if area.name.lower() in text:
            return area.name
    for label in issue.labels:
        if label.lower() not in GENERIC_LABELS and not PRIORITY_LABEL.search(label) and ":" not in label:
            return humanise(label)
    return "Related"


def areas_view(report: RunReport, areas: Sequence[AreaSpec], ctx: Ctx) -> list[dict[str, Any]]:
    views = []
    for area in areas:
        hit = [f for f in report.findings if any(area.select.selects(r) for r in f.results)]
        views.append({
            "name": ctx.inline(area.name, 80),
            "share": ctx.inline(area.share, 80),
            "impact": ctx.inline(area.impact, 600),
            "findings": [ctx.inline(f.title, 256) for f in hit],
            "checks": [{"name": ctx.inline(c.name, 80), "description": ctx.inline(c.description, 200)}
                       for c in area.checks],
            "docs": [{"title": ctx.inline(d.title, 120), "url": d.url} for d in area.docs],
        })
    return views


def success_criteria(report: RunReport, areas: Sequence[AreaSpec], ctx: Ctx) -> list[str]:
    items = [f"{md(ctx.inline(f.title, 160))}: fixed, and {code_span(ctx.inline(_evidence_line(f), 200))} "
             "no longer appears" for f in report.findings]
    for area in areas:
        if area.checks:
            items.append(f"All {len(area.checks)} {ctx.inline(area.name, 80)} checks validated")
    if report.scope:
        items.append(f"{report.scope.capitalize()} tests run to completion and pass")
    return items


def _evidence_line(f: Finding) -> str:
    """The error as the log printed it (what a person can search for), not the masked signature:
    its first line, cut at a word so the quoted text can still be searched for."""
    for r in f.results:
        if r.is_failing and r.message:
            line = r.message.strip().splitlines()[0] if r.message.strip() else r.message
            return line if len(line) <= 160 else line[:160].rsplit(" ", 1)[0] + " …"
    return f.signature.text


def _impact_sentence(report: RunReport, ctx: Ctx) -> str:
    """Seed 002's one-line business impact when no product area describes it."""
    if not report.findings:
        return "no failures"
    top = report.findings[0]
    blocked = [f for f in report.findings if top.id in f.blocked_by]
    failing = sum(1 for f in report.findings for r in f.results if r.is_failing)
    text = f"{md(ctx.inline(top.title, 200))} ({top.priority})"
    if blocked:
        text += f" blocks {plural(len(blocked), 'other finding')}"
    return text + f"; {plural(failing, 'failing result')} across {plural(len(report.findings), 'root cause')}"


def summary_context(report: RunReport, areas: Sequence[AreaSpec], ctx: Ctx, worklog_path: str) -> dict[str, Any]:
    by_id = {f.id: f for f in report.findings}
    devex = {fid for p in report.phases if p.name.startswith("Developer") for fid in p.finding_ids}
    views = {f.id: finding_view(f, report, ctx, f.id in devex) for f in report.findings}
    reasons = {(e.blocker, e.blocked): e.reason for e in report.edges}
    for fid, view in views.items():
        view["blocked_by_reasons"] = [ctx.inline(reasons.get((b, fid), ""), 200) for b in by_id[fid].blocked_by]
    ordered = [views[fid] for fid in report.resolution_order if fid in views]
    impacts = [a.impact for a in areas if a.impact]
    phases = [{
        "number": p.number,
        "name": p.name,
        "findings": [views[fid] for fid in p.finding_ids if fid in views],
        "then": "rebuild and rerun the affected tests; confirm the chain is clear" if p.number == 1 else "",
    } for p in report.phases]
    worklog_name = worklog_path.replace("\\", "/").rsplit("/", 1)[-1]
    return {
        "run": run_view(report),
        "summary": {
            "context": f"{plural(len(ordered), 'root cause')} found by failing test gardener"
                       + (f" in {report.scope} tests" if report.scope else "")
                       + (f", focus: {ctx.inline(' '.join(report.focus), 80)}" if report.focus else ""),
            "impact_line": ctx.inline(impacts[0], 300) if impacts else _impact_sentence(report, ctx),
            "cluster_name": humanise(by_id[ordered[0]["id"]].category) if ordered else "none",
            "worklog_name": worklog_name,
            "worklog_link": worklog_name,
            "status": "✅ COMPLETE" if report.tracker else "📝 DRY RUN (no tracker)",
            "status_lines": _status_lines(report, ctx),
            "closing": f"{plural(len(ordered), 'finding')} documented, prioritised and ordered for resolution"
                       + ("; issues linked" if report.tracker else "; no issues filed (dry run)"),
        },
        "findings": list(views.values()),
        "ordered": ordered,
        "mermaid": flowchart(report.edges, report, ctx),
        "related": related_view(report, areas, ctx),
        "areas": areas_view(report, areas, ctx),
        "phases": phases,
        "success_criteria": success_criteria(report, areas, ctx),
        "ci": ctx.ci(),
    }


def _status_lines(report: RunReport, ctx: Ctx) -> list[str]:
    lines = [f"{plural(len(report.edges), 'blocked-by link')} between findings"]
    if report.tracker:
        lines.append(f"{plural(len(report.related), 'related existing issue')} cross-referenced")
        lines.append(f"{plural(report.api_requests or 0, 'GitHub API request')}")
    for f in report.outside_focus:
        lines.append(f"Outside the focus, left out: {f.priority} {md(ctx.inline(f.title, 200))} ({code_span(f.id)})")
    return lines
