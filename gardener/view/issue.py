"""The contexts of an issue's title, body and comments: redacted values only, like every view.

`targets` maps finding ids to the issue each one is gardened in (number 0: filed later in this
run), so "Blocked by #443" and the status line name real issues as soon as they exist.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gardener.model import Finding, IssueRef, RunReport
from gardener.plan.wording import own_line
from gardener.redact import clip, fence
from gardener.tracker.markers import Marker
from gardener.view.common import Ctx, finding_view, humanise, plural
from gardener.view.index import blocks_of
from gardener.view.index import by_id as index_by_id
from gardener.view.markdown_safe import code_span
from gardener.view.markdown_safe import inline as md
from gardener.view.mermaid import chain_edges, flowchart

MAX_TITLE = 256


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of the long parts a body shows; drafts.py tightens them until the body fits."""

    tests: int | None = None  # None: all
    detail_lines: int = 30
    detail_chars: int = 4000
    related: int = 5


LEVELS = (Limits(), Limits(tests=200), Limits(tests=50, detail_lines=20, detail_chars=2000),
          Limits(tests=10, detail_lines=10, detail_chars=800, related=3), Limits(tests=0, detail_lines=5,
                                                                                    detail_chars=300, related=0))


def issue_title(f: Finding, ctx: Ctx) -> str:
    return ctx.inline(f.title, MAX_TITLE) or ctx.inline(f"{f.category} ({f.priority})", MAX_TITLE)


def _ref(finding_id: str, by_id: Mapping[str, Finding], targets: Mapping[str, IssueRef], ctx: Ctx) -> dict[str, Any]:
    issue = targets.get(finding_id)
    title = ctx.inline(by_id[finding_id].title, 120) if finding_id in by_id else finding_id
    if issue is None:
        return {"ref": f"`{finding_id}`", "title": title, "filed": False}
    return {"ref": f"#{issue.number}" if issue.number else "a new issue", "title": title, "filed": True}


def _reproduce(f: Finding, report: RunReport, tests: Sequence[str], ctx: Ctx) -> str:
    """The command that failed: the attempt (or CI step) that produced a result, else pytest on the
    affected Python tests; "" when neither is known."""
    commands = {a.name: a.command for a in report.attempts}
    for r in f.results:
        props = dict(r.properties)
        for name in (props.get("command"), props.get("step", "").removeprefix("Run ")):
            if name and name in commands:
                return ctx.inline(commands[name], 500)
    python = [t for t in tests if t.split("::", 1)[0].endswith(".py")]
    if python:
        return ctx.inline("pytest " + " ".join(shlex.quote(t) for t in python[:3]), 500)
    return ""


def _rerun_hint(tests: Sequence[str], sources: Sequence[str], ctx: Ctx) -> str:
    """How to reproduce when no command is known: the CI job when its run is known, else the tests by
    name, else where the failure was read. `tests` and `sources` are redacted already."""
    if ctx.run_url:
        return f"Re-run the CI job: {ctx.inline(ctx.run_url, 500)}"
    if tests:
        return f"Re-run the affected {'test' if len(tests) == 1 else 'tests'}: {_listed(tests, 3)}."
    if sources:
        return f"Re-run the job that wrote {_listed(sources[:1])}; the input names no command for it."
    return "Re-run the job whose output gardener read; the input names no command for it."


def _listed(items: Sequence[str], shown: int = 5) -> str:
    """`a`, `b` and 3 more: the first few items in code spans (a backtick in a name cannot end one)."""
    return ", ".join(code_span(item) for item in items[:shown]) + (
        f" and {len(items) - shown} more" if len(items) > shown else "")


def error_line(f: Finding, ctx: Ctx) -> str:
    """The failure in one line, redacted: the message of a result that names its error type (a log's
    `ModuleNotFoundError: ...` over JUnit's bare `collection failure`), else pytest's first `E` line of
    the details, else the first message, else the signature."""
    failing = [r for r in f.results if r.is_failing] or list(f.results)
    typed = [r.message for r in failing if r.message and r.error_type]
    marked = [line[1:].strip() for r in failing for line in r.details.splitlines() if line.startswith("E ")]
    plain = [r.message for r in failing if r.message]
    text = next(iter(typed or marked or plain), f.signature.text)
    return ctx.inline(text.strip().splitlines()[0] if text.strip() else "", 300)


def _details(f: Finding, ctx: Ctx, limits: Limits) -> str:
    failing = [r for r in f.results if r.is_failing] or list(f.results)
    first = failing[0]
    text = ctx.block(first.details or first.message or f.signature.text)
    lines = text.splitlines()[-limits.detail_lines:]
    return fence(clip("\n".join(lines), limits.detail_chars, keep="head+tail"))


def base_view(f: Finding, report: RunReport, ctx: Ctx, targets: Mapping[str, IssueRef]) -> dict[str, Any]:
    """The shared finding view (the costly part: every test name redacted), for body_context."""
    filed = tuple((k, v) for k, v in targets.items() if v.number)
    view = finding_view(f, replace(report, issues=filed), ctx)
    view["reproduce"] = fence(command, "console") if (command := _reproduce(f, report, view["tests"], ctx)) else ""
    view["rerun_hint"] = "" if command else _rerun_hint(view["tests"], view["sources"], ctx)
    return view


def _status(f: Finding, view: Mapping[str, Any], blocks: int, blocked_by: Sequence[Mapping[str, Any]],
            report: RunReport) -> str:
    """Seed 002's status line, from the issue's own links (so a focused run words it the same)."""
    if blocks:
        if report.scope:
            return f"🚨 BLOCKS ALL {report.scope.upper()} TESTING"
        return f"🚨 BLOCKS {blocks} OTHER ISSUE{'S' if blocks > 1 else ''}"
    if blocked_by:
        return f"⚠️ BLOCKED BY {', '.join(b['ref'] for b in blocked_by)}, THEN {humanise(f.category).upper()}"
    return str(view["status_line"])


def _chart(f: Finding, report: RunReport, ctx: Ctx, targets: Mapping[str, IssueRef]) -> str | None:
    """A blocked issue's chain of blockers as a Mermaid flowchart (None when nothing blocks it)."""
    if not f.blocked_by:
        return None
    filed = tuple((k, v) for k, v in targets.items() if v.number)
    return flowchart(chain_edges(f.id, report.edges), replace(report, issues=filed), ctx)


def body_context(f: Finding, report: RunReport, ctx: Ctx, targets: Mapping[str, IssueRef], marker: Marker,
                 limits: Limits = LEVELS[0], previous: IssueRef | None = None,
                 base: Mapping[str, Any] | None = None, linked_from: Sequence[int] = ()) -> dict[str, Any]:
    """`linked_from`: issues (outside this run's findings) that gardener linked as blocked by this one."""
    view = dict(base if base is not None else base_view(f, report, ctx, targets))
    by_id = index_by_id(report.findings)
    blocked_by = [_ref(b, by_id, targets, ctx) for b in f.blocked_by]
    blocks = [_ref(g.id, by_id, targets, ctx) for g in blocks_of(report.findings, f.id)]
    shown_refs = {b["ref"] for b in blocks}
    blocks += [{"ref": f"#{n}", "title": "", "filed": True} for n in linked_from if f"#{n}" not in shown_refs]
    blocks.sort(key=lambda b: (0, int(b["ref"][1:]), "") if b["ref"][1:].isdigit() else (1, 0, b["title"]))
    impact = [md(ctx.inline(line, 400)) for line in f.impact.splitlines() if line.strip()]  # markdown
    if blocks:
        impact.insert(0, "Blocks " + ", ".join(b["ref"] if b["filed"] else md(b["title"]) for b in blocks))
    tests = view["tests"]
    shown = tests if limits.tests is None else tests[: limits.tests]
    view.update({
        "title": issue_title(f, ctx),
        "status_line": _status(f, view, len(blocks), blocked_by, report),
        "impact": impact,
        "blocked_by": blocked_by,
        "blocks": blocks,
        "tests": shown,
        "tests_total": len(tests),
        "tests_hidden": len(tests) - len(shown),
        "error_details": _details(f, ctx, limits),
        "related": [{"number": n, "title": ctx.inline(t, 160)} for n, t in marker.rel[: limits.related]],
        "first_seen": marker.first_seen or view["first_seen"],
        "last_seen": marker.last_seen or view["last_seen"],
        "count": marker.count or view["count"],
        "count_text": plural(marker.count or view["count"], "failing result"),
        "mermaid": _chart(f, report, ctx, targets),
        "previous": {"number": previous.number, "closed": previous.closed_at.date().isoformat()
                     if previous.closed_at else "long ago"} if previous else None,
    })
    return {"f": view, "ci": ctx.ci()}


def comment_context(headline: str, when: str, news: Sequence[str], f: Finding | None, ctx: Ctx,
                    excerpt: bool) -> dict[str, Any]:
    """`headline` and `news` are gardener's own sentences: their untrusted parts were cleaned when the
    planner wrote them, so only secrets and markup are seen to here and its `#123` references stay live."""
    return {
        "comment": {
            "headline": own_line(headline, 200, ctx.secrets),
            "when": when,
            "news": [own_line(line, 1000, ctx.secrets) for line in news],
            "excerpt": _details(f, ctx, Limits(detail_lines=15, detail_chars=1500)) if f and excerpt else "",
        },
        "ci": ctx.ci(),
    }
