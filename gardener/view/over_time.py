"""A finding's judgement over time for the documents: stability, suspect range, priority change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gardener.history.summary import percent
from gardener.model import OverTime, Seen
from gardener.view.markdown_safe import inline as md

if TYPE_CHECKING:
    from gardener.view.common import Ctx


def _seen(s: Seen | None) -> str:
    if s is None:
        return "unknown"
    return s.at.strftime("%Y-%m-%d %H:%M") + (f" at `{s.sha[:7]}`" if s.sha else "")


def over_time_view(ot: OverTime | None, ctx: Ctx) -> dict[str, Any] | None:
    """None without history (the documents then read exactly as before). `line`, `priority_change` and
    `touches` are markdown (their untrusted parts escaped); a commit's subject and author are plain text."""
    if ot is None or ot.stability is None:
        return None
    rate = f"failed in {ot.failures} of {ot.runs} runs ({percent(ot.failures, ot.runs)})"
    view: dict[str, Any] = {
        "stability": ot.stability,
        "line": f"{ot.stability}: {md(ctx.inline(ot.reason, 300))}" if ot.reason else f"{ot.stability}; {rate}",
        "priority_change": md(ctx.inline(ot.priority_change, 300)),
        "suspect": None,
    }
    s = ot.suspect
    if s is not None:
        view["suspect"] = {
            "good": _seen(s.good), "bad": _seen(s.bad), "compare_url": s.compare_url,
            "commits": [{"sha": c.sha[:7], "subject": ctx.inline(c.subject, 120), "author": ctx.inline(c.author, 60),
                         "touches": ", ".join(md(ctx.inline(t, 120)) for t in c.touches)} for c in s.commits],
            "more": max(0, s.commits_total - len(s.commits)),
        }
    return view
