"""One finding against the issues that carry its signature: which issue it belongs to, what came
back, what is news. Pure; plan.py puts the pieces together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from gardener.model import Finding, IssueRef, TrackerPolicy
from gardener.plan.evidence import Evidence, aware
from gardener.plan.wording import fragment, listed
from gardener.tracker import markers
from gardener.tracker.labels import managed_priority
from gardener.tracker.markers import Marker
from gardener.view.common import plural

MAX_TESTS = 100
MAX_ERRORS = 20
NEVER_REOPEN = {"duplicate": "closed as a duplicate", "not_planned": "closed as not planned"}


@dataclass(frozen=True, slots=True)
class Known:
    issue: IssueRef
    marker: Marker


@dataclass(frozen=True, slots=True)
class Decision:
    """`kind`: open (keep gardening it), reopen, create, closed (leave it), deferred (cap)."""

    kind: str
    reason: str
    issue: IssueRef | None = None
    marker: Marker | None = None
    previous: IssueRef | None = None  # create: the long-closed issue the new one follows
    duplicates: tuple[Known, ...] = ()


def iso(when: datetime) -> str:
    return aware(when).isoformat(timespec="seconds")


def parse_time(text: str) -> datetime | None:
    try:
        return aware(datetime.fromisoformat(text)) if text else None
    except ValueError:
        return None


def evidence_time(ev: Evidence, old: Marker | None, now: datetime) -> datetime:
    """When the failure was seen: the inputs' own newest timestamp; for inputs without timestamps,
    when this same evidence was first seen (a rerun is not a recurrence), else now."""
    if ev.newest is not None:
        return ev.newest
    if old is not None and old.ev == ev.fingerprint:
        return parse_time(old.last_seen) or now
    return now


def decide(f: Finding, matches: Sequence[Known], ev: Evidence, policy: TrackerPolicy, now: datetime) -> Decision:
    """The decision table for one finding (see plan.py)."""
    # The issue filed under this signature is kept before one it reaches only through an older key.
    mine = f.signature.digest
    opened = sorted((k for k in matches if k.issue.state == "open" and k.marker.dup_of is None),
                    key=lambda k: (k.marker.sig != mine, mine not in k.marker.digests(), k.issue.number))
    if opened:
        keep = opened[0]
        return Decision("open", f"open issue #{keep.issue.number} has this signature", keep.issue, keep.marker,
                        duplicates=tuple(opened[1:]))
    closed = sorted((k for k in matches if k.issue.state == "closed" and k.marker.dup_of is None),
                    key=lambda k: (k.issue.closed_at or datetime.min.replace(tzinfo=now.tzinfo), k.issue.number),
                    reverse=True)
    if not closed:
        return Decision("create", "no issue has this signature")
    last = closed[0]
    number, closed_at = last.issue.number, last.issue.closed_at or now
    if last.issue.state_reason in NEVER_REOPEN:
        return Decision("closed", f"#{number} was {NEVER_REOPEN[last.issue.state_reason]} by a person; "
                        "gardener never reopens it", last.issue, last.marker)
    seen = evidence_time(ev, last.marker, now)
    if seen <= aware(closed_at):
        return Decision("closed", f"#{number} was closed {iso(closed_at)}; this evidence ({iso(seen)}) "
                        "predates the closing, so it stays closed", last.issue, last.marker)
    if now - aware(closed_at) > timedelta(days=policy.reopen_window_days):
        return Decision("create", f"#{number} was closed {iso(closed_at)}, longer ago than the "
                        f"{policy.reopen_window_days:g}-day reopen window: a new issue links it",
                        previous=last.issue)
    return Decision("reopen", f"failing again at {iso(seen)}, after #{number} was closed {iso(closed_at)}",
                    last.issue, last.marker)


def _union(old: Sequence[str], new: Sequence[str], cap: int) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*old, *new]))[:cap]


def merged(f: Finding, ev: Evidence, old: Marker | None, now: datetime) -> Marker:
    """The metadata after this run: evidence fields move only when the evidence is new."""
    aka = tuple(sorted(old.digests() - {f.signature.digest})) if old else ()
    base = old or Marker(sig=f.signature.digest)
    base = replace(base, sig=f.signature.digest, sig_v=f.signature.version, aka=aka, finding=f.id)
    if old is not None and old.ev == ev.fingerprint:
        return base
    seen = ev.newest or now
    first = min(t for t in (parse_time(base.first_seen), ev.oldest or now) if t is not None)
    last = max(t for t in (parse_time(base.last_seen), seen) if t is not None)
    tests = _union(base.tests, ev.tests, MAX_TESTS)
    total = len(set(base.tests) | set(ev.tests)) if len(base.tests) < MAX_TESTS else max(base.tests_total, len(tests))
    return replace(base, tests=tests, tests_total=total, count=ev.count, first_seen=iso(first),
                   last_seen=iso(last), ev=ev.fingerprint, errs=tuple(sorted(set(base.errs) | set(ev.errors)))[
                       :MAX_ERRORS])


def priority_managed(issue: IssueRef, old: Marker) -> bool:
    """False once a person changed the priority label gardener set."""
    if not old.prio_managed:
        return False
    return not old.prio or set(managed_priority(issue.labels)) == {old.prio}


def new_error_text(ev: Evidence, old: Marker) -> bool:
    """The evidence carries an error text the issue has not recorded (while it still records new ones)."""
    fresh = old.ev != ev.fingerprint
    return bool(fresh and len(old.errs) < MAX_ERRORS and set(ev.errors) - set(old.errs))


def news(f: Finding, ev: Evidence, issue: IssueRef, old: Marker, manage: bool, policy: TrackerPolicy,
         now: datetime) -> tuple[str, ...]:
    """What is worth a comment on an open issue: new error text or tests, a priority change, a person's
    priority change (said once), or, when nothing else, new evidence after the cooldown. Lines are
    gardener's own sentences; the untrusted parts in them are cleaned here (see plan/wording.py)."""
    lines: list[str] = []
    fresh = old.ev != ev.fingerprint
    if new_error_text(ev, old):
        lines.append("A new error text appeared (excerpt below).")
    if fresh and len(old.tests) < MAX_TESTS:
        added = [t for t in ev.tests if t not in old.tests]
        if added:
            lines.append(f"{plural(len(added), 'more test')} affected: {listed(added)}.")
    if manage and old.prio and old.prio != f.priority:
        lines.append(f"Priority changed from {old.prio} to {f.priority}: {fragment(f.priority_reason)}")
    if old.prio_managed and not manage:
        now_labels = ", ".join(fragment(label, 100) for label in managed_priority(issue.labels)) or "no priority label"
        lines.append(f"The priority label was changed by a person ({old.prio} → {now_labels}); gardener will "
                     f"not change it again (its own assessment: {f.priority}).")
    if not lines and fresh:
        last = parse_time(old.commented)
        if last is None or now - last >= timedelta(days=policy.comment_cooldown_days):
            lines.append(f"Still failing: seen again at {iso(ev.newest or now)}, "
                         f"{plural(ev.count, 'failing result')}.")
    return tuple(lines)


def reopen_news(decision: Decision, ev: Evidence, old: Marker, now: datetime) -> tuple[str, ...]:
    """What came back: when, which tests (those new since the closing said apart) and the error."""
    closed = decision.issue.closed_at if decision.issue else None
    when = f" on {iso(closed)}" if closed else ""
    lines = [f"Seen again at {iso(evidence_time(ev, old, now))}, after this issue was closed{when}: "
             f"{plural(ev.count, 'failing result')}."]
    again = [t for t in ev.tests if t in old.tests]
    added = [t for t in ev.tests if t not in old.tests]
    if again:
        lines.append(f"Failing again: {listed(again)}.")
    if added:
        lines.append(f"Failing now but not before: {listed(added)}.")
    if ev.error:
        lines.append(f"Error: `{ev.error}`" if "`" not in ev.error else f"Error: {ev.error}")
    return tuple(lines)


def known_of(issues: Sequence[IssueRef]) -> tuple[Known, ...]:
    """gardener's issues whose hidden block still reads; others are left alone."""
    out = []
    for issue in issues:
        marker = markers.parse(issue.body)
        if marker is not None:
            out.append(Known(issue, marker))
    return tuple(out)
