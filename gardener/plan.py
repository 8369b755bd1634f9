"""Planning: what to do about each finding. Pure: no I/O, same inputs, same plan."""

from __future__ import annotations

from collections.abc import Sequence

from gardener.model import Action, Edge, Finding


def plan_without_tracker(findings: Sequence[Finding], edges: Sequence[Edge]) -> tuple[Action, ...]:
    """The dry-run plan when no tracker is configured: every finding would get an issue and every
    edge a blocked-by link. Nothing is known about existing issues, so nothing is updated."""
    creates = [Action("create", f.id, "no tracker: would file a new issue for this root cause") for f in findings]
    links = [Action("link", e.blocked, e.reason, blocker=e.blocker) for e in edges]
    return (*creates, *links)
