"""The plan as a person reads it, terraform style; after --apply, what each step did. Pure.

    + create  "Missing orders-api directory causing Docker build failures" (f-7889be0d15)
    ~ update  #12  (labels P0)
    ↻ reopen  #9   (failing again at ...)
    → link    #458 blocked by #443
    · skip    (cap) f-c83e8fef95 "Assertion fails in the test"

Titles come from the inputs and are cleaned; reasons are gardener's own sentences (their untrusted
fragments were cleaned when they were written, see plan/wording.py), so the issue references in
them stay live: "#8 was closed ...", not "#\u200b8".
"""

from __future__ import annotations

from collections import Counter

from gardener.model import Action, ActionOutcome, RunReport
from gardener.plan.wording import own_line
from gardener.redact import safe_inline
from gardener.view.common import plural

SYMBOLS = {"create": "+", "update": "~", "reopen": "↻", "link": "→", "unlink": "⇢", "comment": "✉",
           "close-duplicate": "✕", "close": "✓", "skip": "·"}


def short(text: str, limit: int, *, own: bool = False) -> str:
    """One line, cut with an ellipsis (the redaction layer's cut marker is too long for a plan line).
    `own`: gardener's own sentence, tidied but with its issue references left live."""
    flat = own_line(text, 4 * limit) if own else safe_inline(text, 4 * limit)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _ref(number: int | None, finding: str | None, titles: dict[str, str]) -> str:
    if number:
        return f"#{number}"
    return f"new issue for {finding}" if finding else "?"


def action_line(a: Action, titles: dict[str, str]) -> str:
    symbol = f"{SYMBOLS.get(a.kind, '?')} {a.kind:<8}"
    title = short(titles.get(a.finding or "", ""), 90)
    reason = short(a.reason, 160, own=True)
    if a.kind == "create":
        return f'{symbol} "{title}" ({a.finding})'
    if a.kind in ("link", "unlink"):
        blocked = _ref(a.issue, a.finding, titles)
        blocker = _ref(a.blocker_issue, a.blocker, titles)
        return f"{symbol} {blocked} blocked by {blocker}"
    if a.kind == "close-duplicate":
        return f"{symbol} #{a.issue} as a duplicate of #{a.blocker_issue}"
    if a.kind == "skip":
        why = "(cap) " if reason.startswith("deferred") else ""
        where = f"#{a.issue} " if a.issue else ""
        return f'{symbol} {why}{where}{a.finding} "{title}": {reason}'
    return f"{symbol} {_ref(a.issue, a.finding, titles)}  ({reason})"


def plan_lines(report: RunReport, applied: bool) -> list[str]:
    """Each planned step (dry run), or each step with ✓/✗ and the error (applied)."""
    titles = {f.id: f.title for f in report.findings}
    lines = []
    if applied:
        for o in report.outcomes:
            mark = "✓" if o.ok else "✗"
            lines.append(f"{mark} {action_line(o.action, titles)}"
                         + ("" if o.ok else f"\n    error: {safe_inline(o.error or 'failed', 300)}"))
    else:
        lines = [action_line(a, titles) for a in report.actions]
    return lines


def plan_totals(report: RunReport, applied: bool) -> str:
    """What the plan would do, or (applied) what was done: a step that failed is counted apart."""
    failed = [o for o in report.outcomes if not o.ok]
    done = [o.action for o in report.outcomes if o.ok] if applied and report.outcomes else list(report.actions)
    counts: Counter[str] = Counter(a.kind for a in done)
    deferred = sum(1 for a in done if a.kind == "skip" and a.reason.startswith("deferred"))
    parts = [f"create {counts['create']}", f"update {counts['update']}", f"reopen {counts['reopen']}",
             f"link {counts['link']}", f"unlink {counts['unlink']}", f"comment {counts['comment']}"]
    if counts["close-duplicate"]:
        parts.append(f"close as duplicate {counts['close-duplicate']}")
    if counts["close"]:
        parts.append(f"close as fixed {counts['close']}")
    if deferred:
        parts.append(f"deferred by the cap {deferred}")
    head = "Applied" if applied else "Plan"
    tail = f"; {plural(len(failed), 'step')} could not be done" if failed else ""
    if not any(counts[k] for k in SYMBOLS if k != "skip"):
        return f"{head}: no changes{tail}." if failed else f"{head}: no changes; every issue is up to date."
    return f"{head}: " + ", ".join(parts) + tail + "."


def step_text(a: Action, titles: dict[str, str]) -> str:
    """A step without its symbol and padding, for a sentence: `link #3 blocked by #1`."""
    return " ".join(action_line(a, titles).split()[1:])


def failure_line(o: ActionOutcome, titles: dict[str, str]) -> str:
    """A step that could not be done, as one line: `link #3 blocked by #1: HTTP 422 ...`."""
    return f"{step_text(o.action, titles)}: {safe_inline(o.error or 'failed', 300)}"


def failed_outcomes(report: RunReport) -> list[ActionOutcome]:
    return [o for o in report.outcomes if not o.ok]
