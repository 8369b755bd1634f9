"""Pieces every document shares: run facts, one finding's view, status lines.

A view's values are plain (redacted) text that the templates escape where they show it (the `md`, `code`
and `cell` filters, gardener/view/markdown_safe.py), except the lists and lines a view composes of its own
markdown and untrusted text (`impact`, `impact_line`, over-time lines): those arrive escaped already.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gardener.evidence_refs import evidence_refs, places
from gardener.history.summary import history_line, sparkline
from gardener.model import PRIORITY_MEANINGS, Finding, FindingHistory, IssueRef, Result, RunReport
from gardener.redact import clean, clip, fence, safe_inline
from gardener.view.index import blocks_of
from gardener.view.index import by_id as index_by_id
from gardener.view.index import position as position_of
from gardener.view.markdown_safe import inline as md
from gardener.view.over_time import over_time_view

SEVERITY = {"P0": "CRITICAL", "P1": "HIGH", "P2": "MEDIUM", "P3": "LOW"}
MAX_DETAIL_LINES = 30
MAX_MESSAGES = 8


@dataclass(frozen=True, slots=True)
class Ctx:
    """What the views need besides the report: secrets to scrub and where the run happened."""

    secrets: tuple[str, ...] = ()
    run_url: str | None = None
    commit: str | None = None
    branch: str | None = None

    def inline(self, text: str, limit: int = 300) -> str:
        return safe_inline(text, limit, extra_values=self.secrets)

    def block(self, text: str) -> str:
        return clean(text, extra_values=self.secrets)

    def ci(self) -> dict[str, str | None]:
        return {"run_url": self.run_url, "commit": self.commit, "branch": self.branch}


ACRONYMS = {"ci": "CI", "api": "API", "oom": "OOM", "js": "JS", "ssl": "SSL", "tls": "TLS", "http": "HTTP",
            "ui": "UI", "e2e": "E2E", "db": "DB"}


def humanise(name: str) -> str:
    """`ci-runner-failure` → "CI runner failure"."""
    words = name.replace("_", "-").split("-")
    out = [ACRONYMS.get(w.lower(), w) for w in words]
    if out and out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 finding`, `3 findings`."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def short_id(f: Finding) -> str:
    return f"`{f.id}`"


def issue_view(issue: IssueRef | None) -> dict[str, Any] | None:
    if issue is None:
        return None
    return {"number": issue.number, "url": issue.url, "title": issue.title, "state": issue.state}


def error_details(f: Finding, ctx: Ctx) -> str:
    """A fenced excerpt: the one traceback or log excerpt, or the distinct messages of many results."""
    failing = [r for r in f.results if r.is_failing] or list(f.results)
    messages = list(dict.fromkeys(r.message for r in failing if r.message))
    if len(messages) > 1:
        lines = messages[:MAX_MESSAGES]
        if len(messages) > MAX_MESSAGES:
            lines.append(f"[... {len(messages) - MAX_MESSAGES} more distinct messages]")
        text = "\n".join(lines)
    else:
        first = failing[0]
        text = first.details or first.message or f.signature.text
    excerpt = "\n".join(ctx.block(text).splitlines()[-MAX_DETAIL_LINES:])
    return fence(clip(excerpt, 4000))


def tests_of(f: Finding, ctx: Ctx) -> list[str]:
    """Test ids (variants folded in), excluding log incidents, which have no test identity."""
    names = [r.id + (f"[{r.variant}]" if r.variant else "") for r in f.results if r.is_test]
    return [ctx.inline(n, 200) for n in dict.fromkeys(names)]


def display_path(path: str) -> str:
    """Paths under the working directory are shown relative to it, as a person would type them."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def where_read(r: Result) -> str:
    """Where a result was read: its file and line, or for a GitHub Actions run (gardener/sources) the job,
    attempt and step, and the job's page or the artifact it came from."""
    props = dict(r.properties)
    place = f"{display_path(r.source.path)}:{r.source_line}" if r.source_line else display_path(r.source.path)
    if "job" not in props and "artifact" not in props:
        return place
    job = ", ".join(x for x in (
        f"job {props['job']}" if props.get("job") else "",
        f"attempt {props['attempt']}" if props.get("attempt") else "",
        f"step {props.get('job_step') or props.get('step', '').removeprefix('Run ')}"
        if props.get("job_step") or props.get("step") else "") if x)
    if "artifact" in props:
        return f"{job}: artifact {props['artifact']}, {props.get('artifact_file') or Path(r.source.path).name}" + (
            f":{r.source_line}" if r.source_line else "")
    return f"{job}: {props.get('job_url') or place}" + (f" (log line {r.source_line})" if r.source_line else "")


def sources_of(f: Finding, ctx: Ctx, limit: int = 6) -> list[str]:
    """Where the finding's results were read, as the worklog lists them; the JSON outputs give the same places
    as `[{path, line, job, step}]` (evidence_json)."""
    seen = dict.fromkeys(place for r in f.results for place in (
        where_read(r), *(f"{display_path(path)}:{line}" for path, line in places(r)[1:])))
    items = [ctx.inline(s, 200) for s in list(seen)[:limit]]  # shown in code spans (the `code` filter)
    if len(seen) > limit:
        items.append(f"... and {len(seen) - limit} more")
    return items


def evidence_json(f: Finding, ctx: Ctx) -> list[dict[str, Any]]:
    """`[{path, line, job, step}]`: the places `sources_of` shows, with their job and CI step."""
    return [
        {"path": ctx.inline(display_path(e.path), 300), "line": e.line,
         "job": ctx.inline(e.job, 200) if e.job else None, "step": ctx.inline(e.step, 200) if e.step else None}
        for e in evidence_refs(f)
    ]


def status_line(f: Finding, report: RunReport, devex: bool) -> str:
    """Seed 002's status: what it blocks, what blocks it, or what kind of problem it is."""
    blocked = blocks_of(report.findings, f.id)
    if blocked:
        if report.scope:
            return f"🚨 BLOCKS ALL {report.scope.upper()} TESTING"
        what = "1 OTHER FINDING" if len(blocked) == 1 else f"{len(blocked)} OTHER FINDINGS"
        return f"🚨 BLOCKS {what}"
    if f.blocked_by:
        refs = ", ".join(_ref(report, b) for b in f.blocked_by)
        return f"⚠️ BLOCKED BY {refs}, THEN {humanise(f.category).upper()}"
    if devex:
        return "🔄 DEVELOPER EXPERIENCE ISSUE"
    return f"❌ FAILING ({f.priority} {SEVERITY[f.priority]})"


def _ref(report: RunReport, finding_id: str) -> str:
    issue = report.issue_for(finding_id)
    return f"#{issue.number}" if issue else finding_id


def history_view(h: FindingHistory | None) -> dict[str, str] | None:
    """One line of history and a 14-day sparkline, or None when the store knows nothing beyond this run."""
    line = history_line(h)
    if h is None or line is None:
        return None
    return {"line": line, "spark": sparkline(h.daily)}


# The worklog and the summary show the same finding views: each is built (and its text cleaned)
# once per report and context. Memoised on identity, holding the report so the identity stays its.
_VIEWS: list[tuple[RunReport, Ctx, dict[tuple[str, bool], tuple[Finding, dict[str, Any]]]]] = []


def finding_view(f: Finding, report: RunReport, ctx: Ctx, devex: bool = False) -> dict[str, Any]:
    """The template view of one finding; a fresh dict each call (callers add keys to it)."""
    if not _VIEWS or _VIEWS[0][0] is not report or _VIEWS[0][1] is not ctx:
        _VIEWS[:] = [(report, ctx, {})]
    views = _VIEWS[0][2]
    key = (f.id, devex)
    held = views.get(key)
    if held is None or held[0] is not f:
        held = views[key] = (f, _finding_view(f, report, ctx, devex))
    return dict(held[1])


def _finding_view(f: Finding, report: RunReport, ctx: Ctx, devex: bool) -> dict[str, Any]:
    by_id = index_by_id(report.findings)
    impact = [md(ctx.inline(line, 400)) for line in f.impact.splitlines() if line.strip()]  # markdown
    blocks = blocks_of(report.findings, f.id)
    if blocks:
        impact.insert(0, "Blocks " + "; ".join(md(ctx.inline(g.title, 256)) for g in blocks))
    times = sorted(r.timestamp for r in f.results if r.timestamp is not None)
    return {
        "id": f.id,
        "short_id": short_id(f),
        "title": ctx.inline(f.title, 200),
        "label": f.label,
        "category": f.category,
        "priority": f.priority,
        "priority_meaning": PRIORITY_MEANINGS[f.priority],
        "severity": SEVERITY[f.priority],
        "type": humanise(f.category) + f" ({f.layer} layer)",
        "root_cause": ctx.inline(f.root_cause, 600),
        "remediation": ctx.inline(f.remediation or "Investigate the error details and fix the cause.", 600),
        "impact": impact,
        "impact_line": "; ".join(impact),
        "error_details": error_details(f, ctx),
        "tests": tests_of(f, ctx),
        "sources": sources_of(f, ctx),
        "priority_reason": ctx.inline(f.priority_reason, 800),
        "rule_id": f.rule_id,
        "signature": ctx.inline(f.signature.text, 300),
        "count": f.count,
        "issue": issue_view(report.issue_for(f.id)),
        "blocked_by": [_link_view(by_id[b], report, ctx) for b in f.blocked_by if b in by_id],
        "blocks": [_link_view(g, report, ctx) for g in blocks],
        "status_line": status_line(f, report, devex),
        "first_seen": times[0].isoformat() if times else report.generated_at.isoformat(),
        "last_seen": times[-1].isoformat() if times else report.generated_at.isoformat(),
        "history": history_view(report.history_for(f.id)),
        "over_time": over_time_view(report.over_time_for(f.id), ctx),
    }


def _link_view(f: Finding, report: RunReport, ctx: Ctx) -> dict[str, Any]:
    position = position_of(report.findings, f.id)
    if position is None:
        raise ValueError(f"{f.id} is not among the run's findings")
    return {
        "id": f.id,
        "short_id": short_id(f),
        "number": position,
        "title": ctx.inline(f.title, 120),
        "issue": issue_view(report.issue_for(f.id)),
    }
