"""Quiet when nothing is new: with history, what is worth a comment on an open issue.

A flaky finding that keeps flaking at its known rate (or a broken one that stays broken) earns no comment (its
body's history line is updated instead); a change of stability does, as do a priority crossing a threshold
and a new error text (plan/issue.py says those). With history, no issue gets more than one comment per
cooldown, whatever the cause. Pure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gardener.model import OverTime, TrackerPolicy
from gardener.plan.issue import parse_time
from gardener.plan.wording import fragment
from gardener.tracker.markers import Marker

STILL = "Still failing"


def stability_line(ot: OverTime, old: Marker) -> str | None:
    if not ot.stability or not old.stab or old.stab == ot.stability:
        return None
    return f"Now {ot.stability} (was {old.stab}): {fragment(ot.reason, 300)}."


def over_time_news(lines: tuple[str, ...], ot: OverTime, old: Marker, policy: TrackerPolicy,
                   now: datetime) -> tuple[str, ...]:
    """`lines`: what plan/issue.news found; returns what is still worth saying, maybe nothing."""
    out = list(lines)
    said = stability_line(ot, old)
    if said is not None:
        out.insert(0, said)
    if ot.stability and ot.stability == old.stab:
        # Failing as it did (a flaky test at its known rate, a broken one still broken) is no news: the
        # body's history line says how often.
        out = [line for line in out if not line.startswith(STILL)]
    last = parse_time(old.commented)
    if out and last is not None and now - last < timedelta(days=policy.comment_cooldown_days):
        return ()
    return tuple(out)
