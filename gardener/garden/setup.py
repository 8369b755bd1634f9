"""Composing a run's tracker and context from options and the environment, and the tracker part
of what `gardener run` prints. The CLI calls these; they hold no click.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from gardener.actions import ci_ctx
from gardener.garden import in_order
from gardener.github.settings import resolve, token_from
from gardener.model import IssueRef, Tracker, TrackerPolicy
from gardener.pipeline import RunOutput
from gardener.plan.text import plan_lines, plan_totals
from gardener.redact import safe_inline
from gardener.view.common import Ctx

if TYPE_CHECKING:
    from gardener.demo import DemoResult


def tracker_for(repo: str | None, api_url: str | None, policy: TrackerPolicy, environ: Mapping[str, str],
                apply: bool) -> Tracker | None:
    settings = resolve(repo, api_url, policy, environ, apply)
    if settings is None:
        return None
    from gardener.github.client import GitHubTracker  # PyGithub loads only when a tracker is used

    return GitHubTracker(settings, policy)


def run_ctx(environ: Mapping[str, str]) -> Ctx:
    """Secrets to scrub (the token among them, always) and where this CI run happened."""
    token = token_from(environ)
    ctx = ci_ctx(environ)
    return replace(ctx, secrets=tuple(sorted({*ctx.secrets, *((token,) if token else ())})))


def tracker_text(out: RunOutput, applied: bool) -> str:
    """The plan (dry run) or what was done (--apply), and the request count."""
    report = out.report
    if report.tracker is None:
        return ""
    head = "applied" if applied else "dry run: nothing written; --apply writes this plan"
    lines = [f"tracker: {safe_inline(report.tracker, 200)} ({head})", *plan_lines(report, applied),
             plan_totals(report, applied)]
    if report.related:
        lines.append(f"related human-filed issues: {', '.join(f'#{i.number}' for i in report.related)}")
    lines.append(f"GitHub API requests: {report.api_requests}")
    return "\n".join(lines)


def issue_lines(output: RunOutput) -> list[str]:
    """Each finding's issue with its link and chain, most fundamental first."""
    report = output.report
    issues: dict[str, IssueRef] = dict(report.issues)
    lines = []
    for f in in_order(report):
        issue = issues.get(f.id)
        title = safe_inline(f.title, 200)  # from the inputs; the #refs around it are gardener's own
        if issue is None:
            lines.append(f"  (no issue) {f.priority} {title}")
            continue
        chain = [f"#{issues[b].number}" for b in f.blocked_by if b in issues]
        lines.append(f"  #{issue.number} {f.priority} {title}" + (f"  (blocked by {', '.join(chain)})"
                                                                   if chain else ""))
        lines.append(f"      {issue.url}")
    return lines


def chain_lines(output: RunOutput) -> list[str]:
    issues = dict(output.report.issues)
    return [f"  #{issues[e.blocked].number} blocked by #{issues[e.blocker].number}"
            for e in output.report.edges if e.blocked in issues and e.blocker in issues]


def demo_text(result: DemoResult) -> str:
    out = result.output
    report = out.report
    lines = [f"gardener demo: sandbox at {result.url} (state in {result.state})",
             f"seeded {result.seeded} human-filed issues" if result.seeded else "sandbox already seeded",
             *([result.run_line] if result.run_line else []),
             "", tracker_text(out, applied=True), "", "Issues:", *issue_lines(out)]
    chains = chain_lines(out)
    if chains:
        lines += ["Chain:", *chains]
    lines.append("Related human-filed issues:")
    lines += [f"  #{i.number} {safe_inline(i.title, 100)}  [{', '.join(i.labels)}]" for i in report.related] or [
        "  none found"]
    lines += ["", f"worklog: {out.worklog_path}", f"summary: {out.summary_path}", f"plan:    {out.plan_path}",
              f"Browse the issues: gardener sandbox serve --state {result.state / 'sandbox.json'}"]
    return "\n".join(lines)
