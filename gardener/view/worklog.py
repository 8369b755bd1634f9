"""The worklog's context (seed 000): summary, findings, attempts, dependencies, actions, status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gardener.model import Attempt, Finding, RunReport
from gardener.scopes import AreaSpec, ScopeSpec
from gardener.view.common import SEVERITY, Ctx, finding_view, humanise, plural
from gardener.view.index import blocks_of, position
from gardener.view.markdown_safe import code_span
from gardener.view.markdown_safe import inline as md
from gardener.view.status import category_rows
from gardener.view.tracker import tracker_view

HORIZONS = (("Immediate (P0)", ("P0",)), ("Short-term (P1)", ("P1",)), ("Long-term (P2)", ("P2", "P3")))
EVIDENCE_WORDS = {"path": "path", "image": "image", "service": "service", "host": "host", "module": "module",
                  "package": "package", "file": "file", "job": "job", "artifact": "artifact"}


def run_view(report: RunReport) -> dict[str, Any]:
    focus = " ".join(report.focus)
    heading = " ".join(x for x in (focus.upper(), f"({report.scope.capitalize()})" if report.scope else "") if x)
    title_words = [w.capitalize() for w in focus.replace("_", " ").split()] or ["All"]
    return {
        "heading": heading or "ALL FAILURES",
        "heading_title": " ".join(title_words) + (f" {report.scope.capitalize()} Test" if report.scope else " Test"),
        "generated": report.generated_at.strftime("%Y-%m-%d %H:%M:%S"),
        "generated_date": report.generated_at.strftime("%Y-%m-%d"),
        "focus_line": " ".join(x for x in (focus, report.scope or "") if x) or "all failures (no focus)",
        "command_line": report.command_line,
    }


def executive(findings: Sequence[Finding], report: RunReport, areas: Sequence[AreaSpec], ctx: Ctx) -> dict[str, Any]:
    if not findings:
        read = sum(1 for f in report.files if not f.error)
        found = f"{plural(read, 'input file')} read, {plural(report.results_total, 'result')}, none failing."
        return {"critical": found, "impact": []}
    top = findings[0]
    blocked = [f for f in findings if top.id in f.blocked_by]
    # Markdown lines of gardener's words around escaped inputs.
    sentence = f"{md(ctx.inline(top.title, 200))}. {md(ctx.inline(top.root_cause, 400))}"
    if blocked:
        what = "another finding" if len(blocked) == 1 else f"{len(blocked)} other findings"
        sentence += f" It blocks {what}: " + "; ".join(md(ctx.inline(f.title, 256)) for f in blocked) + "."
    failing = sum(f.count for f in findings)
    sentence += f" In all, {plural(failing, 'failure')} trace back to {plural(len(findings), 'root cause')}."
    impact = [
        f"**{f.priority} {SEVERITY[f.priority]}:** {md(ctx.inline(f.title, 160))}"
        + (f" - blocks {plural(len(blocks_of(findings, f.id)), 'other finding')}"
           if blocks_of(findings, f.id) else "")
        for f in findings if f.priority in ("P0", "P1")
    ]
    for area in areas:
        hit = [f for f in findings if any(area.select.selects(r) for r in f.results)]
        if hit and area.impact:
            impact.append(f"**{ctx.inline(area.name, 80)}:** {ctx.inline(area.impact, 400)}")
    impact.append(blast_radius(findings, report))
    if report.scope and any(f.layer in ("infrastructure", "environment") and f.priority == "P0" for f in findings):
        impact.append(f"**{report.scope.capitalize()} Testing:** blocked until the P0 infrastructure finding is fixed")
    return {"critical": sentence, "impact": impact}


def blast_radius(findings: Sequence[Finding], report: RunReport) -> str:
    """How much of the test suite is hit, in numbers a reader can check against the runner's own."""
    tests = {r.id for f in findings for r in f.results if r.is_test and (r.is_failing or r.outcome == "flaky")}
    blocked = {r.id for f in findings if f.blocked_by for r in f.results if r.is_test and r.is_failing}
    reports = [f for f in report.files if not f.error and f.kind in ("junit", "reportlog", "pytest")]
    passed = sum(f.counts.cases - f.counts.failures - f.counts.errors - f.counts.skipped for f in reports)
    parts = [f"{plural(len(tests), 'test')} failing or unable to run"]
    if blocked:
        parts.append(f"{len(blocked)} of them blocked by a broken dependency")
    if not tests and any(f.layer == "test" for f in findings):
        # Test failures read from a console that names no test id (an RSpec or xUnit listing): tests did run.
        parts = ["tests failed, but none is named by an id in the inputs (read from console output)"]
    elif not tests:
        parts = ["no test reported a result: the failures happened before tests ran"]
    if passed > 0:
        parts.append(f"{plural(passed, 'test case')} passed")
    return "**Blast radius:** " + "; ".join(parts)


def attempt_view(a: Attempt, ctx: Ctx) -> dict[str, Any]:
    return {
        "name": ctx.inline(a.name, 120),
        "command": ctx.inline(a.command, 300),  # shown in a code span (the `code` filter)
        "status": a.status,
        "duration": f"{a.duration_s:.1f}s" if a.duration_s else "",
        "key_error": ctx.inline(a.key_error, 300),
    }


def validations(report: RunReport, ctx: Ctx) -> list[str]:
    items = []
    for a in report.attempts:
        if a.status == "SUCCESS":
            items.append(f"**{md(ctx.inline(a.name, 120))}:** passed")
        elif a.status == "SUCCESS WITH WARNINGS":
            warning = md(ctx.inline(a.key_error, 200))
            items.append(f"**{md(ctx.inline(a.name, 120))}:** passed with warnings ({warning})")
    reports = [f for f in report.files if not f.error and f.kind in ("junit", "reportlog", "pytest")]
    passed = sum(f.counts.cases - f.counts.failures - f.counts.errors - f.counts.skipped for f in reports)
    if passed > 0:
        items.append(f"**Passing tests:** {plural(passed, 'test case')} passed in the inputs")
    return items


def dependencies(findings: Sequence[Finding], ctx: Ctx) -> list[dict[str, Any]]:
    groups: dict[str, list[str]] = {}
    for f in findings:
        if f.layer == "test" and not blocks_of(findings, f.id):
            continue
        evidence = [f"{EVIDENCE_WORDS[k.rstrip('0123456789')]} {code_span(ctx.inline(v, 120))}"
                    for k, v in f.captures if k.rstrip("0123456789") in EVIDENCE_WORDS]
        item = md(ctx.inline(f.remediation or f.title, 300))
        if evidence:
            item += " (" + ", ".join(dict.fromkeys(evidence)) + ")"
        groups.setdefault(f"{humanise(f.area)}", []).append(item)
    return [{"name": name, "entries": items} for name, items in groups.items()]


def actions_by_horizon(views: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    result = []
    for name, priorities in HORIZONS:
        items = [{"title": v["title"], "text": v["remediation"]} for v in views if v["priority"] in priorities]
        if items:
            result.append({"name": name, "entries": items})
    return result


def next_steps(report: RunReport, findings: Sequence[Finding]) -> list[dict[str, str]]:
    kinds = [a.kind for a in report.actions]
    tracker = report.tracker or "no tracker (dry run)"
    steps = [{"title": "Search GitHub Issues",
              "text": f"existing gardener issues and related human-filed issues were read from {tracker}"
              if report.tracker else "connect a tracker (`--repo`, a token) to match findings to existing issues"}]
    verb = "Created/updated" if report.outcomes and not any(o.dry_run for o in report.outcomes) else "Would create"
    steps.append({"title": "Create/Update Issues",
                  "text": f"{verb}: {kinds.count('create')} new, {kinds.count('update') + kinds.count('comment')} "
                          f"updated, {kinds.count('reopen')} reopened, {kinds.count('skip')} deferred"})
    links = [a for a in report.actions if a.kind == "link"]
    chain = ", ".join(
        f"{_ref(report, a.finding)} blocked by {_ref(report, a.blocker)}" for a in links if a.finding and a.blocker
    )
    steps.append({"title": "Link Dependencies", "text": chain or "no blocked-by chains in this run"})
    steps.append({"title": "Track Resolution",
                  "text": "rerun gardener after each fix; a finding that stops appearing needs no action, "
                          "one that comes back reopens its issue"})
    return steps


def _ref(report: RunReport, finding_id: str | None) -> str:
    """`#458` once filed; before that the finding's number in this worklog ("Issue 2")."""
    if finding_id is None:
        return "?"
    issue = report.issue_for(finding_id)
    if issue:
        return f"#{issue.number}"
    n = position(report.findings, finding_id)
    return f"Issue {n}" if n is not None else f"`{finding_id}`"


def footer(report: RunReport, findings: Sequence[Finding], ctx: Ctx) -> dict[str, str]:
    counts = [f"{sum(1 for f in findings if f.priority == p)} {p}" for p in ("P0", "P1", "P2", "P3")]
    counts = [c for c in counts if not c.startswith("0 ")]
    blockers = [f for f in findings if blocks_of(findings, f.id)] or list(findings[:1])
    applied = report.outcomes and not any(o.dry_run for o in report.outcomes)
    return {
        "status": "CLEAN" if not findings else ("ISSUES FILED" if applied else "READY FOR ISSUE PROCESSING"),
        "priority_line": f"{len(findings)} identified" + (f" ({', '.join(counts)})" if counts else ""),
        "critical_blocker": ctx.inline(blockers[0].title, 200) if blockers else "none",
        "api_requests": str(report.api_requests) if report.api_requests is not None else "0 (no tracker)",
    }


def worklog_context(report: RunReport, areas: Sequence[AreaSpec], scopes: Sequence[ScopeSpec],
                    ctx: Ctx) -> dict[str, Any]:
    findings = report.findings
    devex = {fid for p in report.phases if p.name.startswith("Developer") for fid in p.finding_ids}
    views = [finding_view(f, report, ctx, f.id in devex) for f in findings]
    return {
        "run": run_view(report),
        "executive": executive(findings, report, areas, ctx),
        "findings": views,
        "attempts": [attempt_view(a, ctx) for a in report.attempts],
        "validations": validations(report, ctx),
        "dependencies": dependencies(findings, ctx),
        "actions_by_horizon": actions_by_horizon(views),
        "categories": category_rows(report, scopes, ctx),
        "next_steps": next_steps(report, findings),
        "outside_focus": [{"id": f.id, "priority": f.priority, "title": ctx.inline(f.title, 200),
                           "category": f.category} for f in report.outside_focus],
        "footer": footer(report, findings, ctx),
        "tracker": tracker_view(report, ctx),
        "ci": ctx.ci(),
    }
