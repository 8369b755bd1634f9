"""Planning: findings x known issues x policy -> the steps to take. Pure: no I/O, same inputs, same plan.

The decision table, per finding (its issues are those whose hidden block carries its signature):

| what exists                                        | what gardener does                                   |
|----------------------------------------------------|------------------------------------------------------|
| no issue                                           | create, until the per-run cap; the rest are deferred |
| an open issue                                      | update metadata, body and labels when they changed;  |
|                                                    | comment only on news or, for new evidence, after the |
|                                                    | cooldown; newer open duplicates are closed as        |
|                                                    | duplicates of the oldest                             |
| closed as duplicate / not planned by a person      | nothing: never reopened                              |
| closed, evidence not newer than the closing        | nothing: left closed                                 |
| closed within the reopen window, newer evidence    | reopen, with a comment saying what came back         |
| closed longer ago than the window, newer evidence  | create a new issue that links the old one            |

Blocked-by edges between findings become links (GitHub issue dependencies) between their issues,
stale links gardener made are removed, and bodies show "Blocked by #N" / "Blocks #M".
Steps are ordered so a crash at any point leaves a state the next run completes: creates (most
fundamental first), reopens, links, unlinks, body updates, comments, duplicate closings.

This module holds what a run without a tracker needs too (the types, the dry-run plan); the planning
against issues is plan/make.py, so such a run does not import the issue, marker and label modules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from gardener.model import Action, CleanRecord, Edge, Finding, IssueRef, OverTime, OverTimePolicy, TrackerPolicy
from gardener.plan.wording import fragment

if TYPE_CHECKING:
    from gardener.plan.evidence import Evidence
    from gardener.tracker.markers import Marker

# Renders the visible part of a finding's issue body, given the issue each finding maps to
# (number 0: an issue this plan will create).
RenderVisible = Callable[[Finding, "Marker", Mapping[str, IssueRef]], str]
ORDER = ("create", "reopen", "link", "unlink", "update", "comment", "close-duplicate", "close", "skip")


@dataclass(frozen=True, slots=True)
class PlanInput:
    findings: tuple[Finding, ...]  # in resolution order: blockers are filed first
    edges: tuple[Edge, ...]
    known: tuple[IssueRef, ...]  # gardener's issues as listed (bot label)
    evidence: Mapping[str, Evidence]
    policy: TrackerPolicy
    now: datetime
    aliases: Mapping[str, frozenset[str]] = field(default_factory=dict)  # finding -> digests, all sig versions
    render_visible: RenderVisible | None = None
    related: tuple[IssueRef, ...] = ()  # human-filed issues the run's searches found
    focus: tuple[str, ...] = ()
    # With history (gardener/over_time/): each finding's stability, and the findings absent from this run
    # with clean runs since, for verified closes under this policy.
    over_time: Mapping[str, OverTime] = field(default_factory=dict)
    clean: tuple[CleanRecord, ...] = ()
    over_time_policy: OverTimePolicy | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """An action plus what applying it needs: the metadata and labels to write, the comment lines."""

    action: Action
    marker: Marker | None = None
    labels: tuple[str, ...] = ()
    news: tuple[str, ...] = ()
    blocker_id: int | None = None  # unlink: the blocker's REST id
    previous: IssueRef | None = None  # create: the long-closed issue it follows
    current: IssueRef | None = None  # close-duplicate: the duplicate as listed
    excerpt: bool = False  # reopen, comment: the comment quotes the error details (its text is new)


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]
    targets: tuple[tuple[str, IssueRef], ...] = ()  # finding -> the existing issue it is gardened in

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(s.action for s in self.steps)

    def writes(self) -> int:
        return sum(1 for s in self.steps if s.action.kind != "skip")


def plan_without_tracker(findings: Sequence[Finding], edges: Sequence[Edge]) -> tuple[Action, ...]:
    """The dry-run plan when no tracker is configured: every finding would get an issue and every
    edge a blocked-by link. Nothing is known about existing issues, so nothing is updated."""
    creates = [Action("create", f.id, "no tracker: would file a new issue for this root cause") for f in findings]
    links = [Action("link", e.blocked, fragment(e.reason), blocker=e.blocker) for e in edges]
    return (*creates, *links)


def placeholder(f: Finding) -> IssueRef:
    """Stands for the issue a plan will create for `f`, until it has a number."""
    return IssueRef(number=0, id=0, title=f.title, state="open", url="")
