"""Verified close: an open gardener issue whose finding stayed away long enough is closed as completed.

"Long enough" is at least N consecutive clean runs that *executed* its tests (runs that skipped them or never
reached them prove nothing; the history store leaves them out) spanning at least D days since the last
failure. Issues a person touched are left alone: one carrying a label gardener does not manage, or whose
priority label a person changed. At most `max_closes` per run. Pure: (known issues, clean records, policy).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from gardener.model import PRIORITIES, CleanRecord, OverTimePolicy, Seen, TrackerPolicy
from gardener.plan.issue import Known, priority_managed
from gardener.view.common import plural

MAX_NAMED = 10  # clean runs named in the comment


@dataclass(frozen=True, slots=True)
class CloseDecision:
    known: Known
    close: bool
    reason: str
    lines: tuple[str, ...] = ()


def _seen(s: Seen) -> str:
    sha = f" at {s.sha[:7]}" if s.sha else ""
    return f"{s.at.strftime('%Y-%m-%d %H:%M')} UTC{sha}"


def person_labels(labels: Sequence[str], policy: TrackerPolicy) -> tuple[str, ...]:
    """Labels gardener neither set nor manages: a person's."""
    return tuple(label for label in labels if label != policy.bot_label and label not in PRIORITIES
                 and not label.startswith(policy.category_prefix))


def close_lines(rec: CleanRecord, policy: OverTimePolicy) -> tuple[str, ...]:
    named = ", ".join(_seen(s) for s in rec.clean[-MAX_NAMED:])
    more = rec.runs_total - min(len(rec.clean), MAX_NAMED)
    lines = [f"Not seen in the last {plural(rec.runs_total, 'run')} that executed its tests "
             f"(at least {policy.close_after_runs} over {policy.close_after_days:g} days are required): "
             f"{named}{f' and {more} more' if more > 0 else ''}."]
    if rec.last_failure is not None:
        lines.append(f"Last failure: {_seen(rec.last_failure)}.")
    if rec.clean:
        lines.append(f"Passing since {_seen(rec.clean[0])}.")
    lines.append("Closed as completed; gardener reopens it if the failure comes back.")
    return tuple(lines)


def decide_close(k: Known, rec: CleanRecord | None, policy: OverTimePolicy, tracker: TrackerPolicy,
                 now: datetime) -> CloseDecision:
    n = k.issue.number
    if rec is None:
        return CloseDecision(k, False, f"#{n}: no history of its runs, nothing proves it fixed")
    people = person_labels(k.issue.labels, tracker)
    if people:
        return CloseDecision(k, False, f"#{n} carries a person's label ({', '.join(people)}): left alone")
    if not priority_managed(k.issue, k.marker):
        return CloseDecision(k, False, f"#{n}: a person set its priority; left alone")
    if rec.last_failure is None:
        return CloseDecision(k, False, f"#{n}: its last failure is older than the history kept")
    span = now - rec.last_failure.at
    days = span.total_seconds() / 86400
    if rec.runs_total < policy.close_after_runs or days < policy.close_after_days:
        return CloseDecision(k, False, f"#{n}: clean in {plural(rec.runs_total, 'run')} over {days:.1f} days "
                             f"since its last failure; {policy.close_after_runs} runs over "
                             f"{policy.close_after_days:g} days are needed to close it")
    return CloseDecision(k, True, f"verified fixed: not seen in {plural(rec.runs_total, 'run')} that executed its "
                         f"tests over {days:.1f} days", close_lines(rec, policy))


def plan_closes(known: Sequence[Known], targeted: Collection[int], clean: Mapping[str, CleanRecord],
                policy: OverTimePolicy, tracker: TrackerPolicy, now: datetime) -> tuple[CloseDecision, ...]:
    """One decision per open gardener issue this run does not garden; closes beyond the cap are deferred."""
    out: list[CloseDecision] = []
    closes = 0
    for k in sorted(known, key=lambda k: k.issue.number):
        if k.issue.state != "open" or k.marker.dup_of is not None or k.issue.number in targeted:
            continue
        rec = next((clean[d] for d in sorted(k.marker.digests()) if d in clean), None)
        d = decide_close(k, rec, policy, tracker, now)
        if d.close:
            if closes >= policy.max_closes:
                d = CloseDecision(k, False, f"#{k.issue.number}: deferred, the per-run cap of "
                                  f"{plural(policy.max_closes, 'close')} was reached")
            else:
                closes += 1
        out.append(d)
    return tuple(out)
