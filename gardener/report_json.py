"""The JSON of a run (`gardener run --json`, plan.json): ids, decisions and redacted text only."""

from __future__ import annotations

from typing import Any

from gardener.model import Action, Attempt, Finding, IssueRef, OverTime, RunReport, Seen
from gardener.plan.wording import own_line
from gardener.redact import redact_name
from gardener.view.common import Ctx, evidence_json, tests_of


def finding_json(f: Finding, report: RunReport, ctx: Ctx) -> dict[str, Any]:
    issue = report.issue_for(f.id)
    return {
        "id": f.id,
        "category": f.category,
        "area": f.area,
        "layer": f.layer,
        "priority": f.priority,
        "priority_reason": ctx.inline(f.priority_reason, 300),
        "label": f.label,
        "title": ctx.inline(f.title, 256),
        "rule_id": f.rule_id,
        "signature": {"digest": f.signature.digest, "version": f.signature.version,
                      "text": ctx.inline(f.signature.text, 300)},
        "tests": tests_of(f, ctx),
        "count": f.count,
        "blocked_by": list(f.blocked_by),
        "evidence": evidence_json(f, ctx),
        "issue": {"number": issue.number, "url": issue.url, "state": issue.state} if issue else None,
        **over_time_json(report.over_time_for(f.id), ctx),
    }


def _seen(s: Seen | None) -> dict[str, Any] | None:
    return {"sha": s.sha, "at": s.at.isoformat()} if s else None


def over_time_json(ot: OverTime | None, ctx: Ctx) -> dict[str, Any]:
    """`stability` and `history` (both null without a history store)."""
    if ot is None:
        return {"stability": None, "history": None}
    s = ot.suspect
    suspect = None if s is None else {
        "good": s.good.sha if s.good else None, "bad": s.bad.sha, "compare_url": s.compare_url,
        "commits": [{"sha": c.sha, "author": ctx.inline(c.author, 100), "subject": ctx.inline(c.subject, 200),
                     "touches": list(c.touches)} for c in s.commits]}
    return {"stability": ot.stability, "history": {
        "runs": ot.runs, "failures": ot.failures, "reason": ctx.inline(ot.reason, 300),
        "first_seen": _seen(ot.first_seen), "last_seen": _seen(ot.last_seen), "suspect": suspect,
        "priority_change": ctx.inline(ot.priority_change, 300) or None,
        "tests": [{"test": ctx.inline(name, 300), "stability": stab} for name, stab in ot.tests]}}


def attempt_json(a: Attempt, ctx: Ctx) -> dict[str, Any]:
    return {
        "name": ctx.inline(a.name, 120),
        "command": ctx.inline(a.command, 500),
        "scope": a.scope,
        "status": a.status,
        "exit_code": a.exit_code,
        "duration_s": round(a.duration_s, 3),
        "key_error": ctx.inline(a.key_error, 500),
        "output": a.output_path,
        "reports": list(a.reports),
    }


def related_json(issue: IssueRef, ctx: Ctx) -> dict[str, Any]:
    """A human-filed issue the run's searches found, as the summary's related section lists it."""
    return {"number": issue.number, "title": ctx.inline(issue.title, 160), "url": issue.url, "state": issue.state,
            "labels": [ctx.inline(label, 100) for label in issue.labels]}


def action_json(a: Action, report: RunReport, ctx: Ctx) -> dict[str, Any]:
    issue = a.issue
    if issue is None and a.finding:
        ref = report.issue_for(a.finding)
        issue = ref.number if ref else None
    reason = own_line(a.reason, 300, ctx.secrets)  # built by gardener; its untrusted fragments were cleaned
    out: dict[str, Any] = {"kind": a.kind, "finding": a.finding, "issue": issue, "reason": reason}
    if a.kind in ("link", "unlink"):
        blocker = report.issue_for(a.blocker) if a.blocker else None
        out["blocker"] = a.blocker
        out["blocker_issue"] = a.blocker_issue or (blocker.number if blocker else None)
    return out


def run_dict(report: RunReport, ctx: Ctx, worklog: str, summary: str) -> dict[str, Any]:
    done = {id(o.action): o for o in report.outcomes}
    actions = []
    for a in report.actions:
        entry = action_json(a, report, ctx)
        outcome = done.get(id(a))
        entry["dry_run"] = outcome.dry_run if outcome else not report.outcomes
        if outcome is not None and not outcome.ok:
            entry["error"] = ctx.inline(outcome.error or "failed", 300)
        actions.append(entry)
    return {
        "findings": [finding_json(f, report, ctx) for f in report.findings],
        "resolution_order": list(report.resolution_order),
        "phases": [{"number": p.number, "name": p.name, "findings": list(p.finding_ids)} for p in report.phases],
        "edges": [{"blocker": e.blocker, "blocked": e.blocked, "reason": ctx.inline(e.reason, 300)}
                  for e in report.edges],
        "attempts": [attempt_json(a, ctx) for a in report.attempts],
        "actions": actions,
        "related": [related_json(i, ctx) for i in report.related],
        "files": [{"path": redact_name(f.path), "kind": f.kind, "error": redact_name(f.error) if f.error else None,
                   "partial": f.partial} for f in report.files],
        "dropped_by_focus": report.dropped_by_focus,
        "api_requests": report.api_requests,
        "worklog": worklog,
        "summary": summary,
    }
