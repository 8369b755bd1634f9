"""The tracker half of `gardener run`: read what exists, plan, and (with --apply) write.

Reads are O(pages of gardener's issues) plus at most two searches; writes are what the plan says.
Every issue body is rendered once before anything is written, so a template error stops the run
with nothing half done. Without --apply the plan is returned as a dry run: accurate, because the
known issues were read, but nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from gardener.model import Finding, OverTimePolicy, RunReport, Tracker, TrackerPolicy

if TYPE_CHECKING:
    import jinja2

    from gardener.plan import Plan
    from gardener.view.common import Ctx


def in_order(report: RunReport) -> tuple[Finding, ...]:
    by_id = {f.id: f for f in report.findings}
    ordered = [by_id[fid] for fid in report.resolution_order if fid in by_id]
    return (*ordered, *(f for f in report.findings if f.id not in report.resolution_order))


def garden(report: RunReport, tracker: Tracker, policy: TrackerPolicy, ctx: Ctx, env: jinja2.Environment, *,
           apply: bool, now: datetime, aliases: Mapping[str, frozenset[str]] | None = None,
           over_time: OverTimePolicy | None = None) -> tuple[RunReport, Plan]:
    # Imported here: a run without a tracker (and setup.py, which every run loads) needs none of it.
    from gardener.garden.apply import apply_plan
    from gardener.garden.drafts import Drafts
    from gardener.garden.errors import ActionRefused
    from gardener.plan import PlanInput, placeholder
    from gardener.plan.evidence import evidence_of
    from gardener.plan.make import make_plan
    from gardener.plan.related import search_terms
    from gardener.tracker.markers import Marker
    from gardener.view.common import tests_of
    from gardener.view.issue import error_line

    findings = in_order(report)
    known = tracker.known_issues()
    try:
        related = tracker.search_related(search_terms(findings, report.focus))
    except ActionRefused:  # related issues are a courtesy: a failed search never stops the run
        related = ()
    report = replace(report, related=related, tracker=tracker.name)
    drafts = Drafts(report, ctx, env, known, aliases)
    everyone = {f.id: placeholder(f) for f in findings}
    for f in findings:  # template errors surface here, before any write
        drafts.visible(f, Marker(sig=f.signature.digest), everyone)
    evidence = {f.id: evidence_of(f, tests_of(f, ctx), ctx.run_url, error_line(f, ctx)) for f in findings}
    plan = make_plan(PlanInput(findings, report.edges, known, evidence, policy, now, aliases or {}, drafts.visible,
                               related, report.focus, dict(report.over_time), report.clean,
                               over_time if report.over_time or report.clean else None))
    if not apply:
        return replace(report, actions=plan.actions, issues=plan.targets, api_requests=tracker.requests_made()), plan
    applied = apply_plan(plan, findings, tracker, drafts, policy, now)
    return replace(report, actions=tuple(o.action for o in applied.outcomes), outcomes=applied.outcomes,
                   issues=applied.issues, api_requests=tracker.requests_made()), plan
