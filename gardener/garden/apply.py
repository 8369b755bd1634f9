"""Applying a plan through the tracker: one step at a time, in the plan's order.

Bodies are rendered when they are written, with the issue numbers known by then, so a blocked
issue filed after its blocker says "Blocked by #443" from the start. A step the tracker refuses is
recorded and the run goes on; when the tracker becomes unusable (bad token, a long rate limit, a
server that keeps failing) the remaining steps are recorded as not attempted, for the next run.

Each write leaves a state the next run can read back (issues carry their hidden block from the
moment they exist), so a run killed at any point is completed by the next one without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from gardener.garden.drafts import Drafts
from gardener.garden.errors import ActionRefused, TrackerUnusable
from gardener.model import Action, ActionOutcome, Finding, IssueRef, Tracker, TrackerPolicy
from gardener.plan import Plan, Step
from gardener.tracker import markers
from gardener.tracker.labels import label_specs, same_labels

MAX_TRANSIENT_STREAK = 3  # this many steps failing in a row on 5xx/timeouts: stop writing for this run


@dataclass(frozen=True, slots=True)
class Applied:
    outcomes: tuple[ActionOutcome, ...]
    issues: tuple[tuple[str, IssueRef], ...]  # finding -> its issue after the run


class _Run:
    def __init__(self, plan: Plan, findings: Sequence[Finding], tracker: Tracker, drafts: Drafts,
                 now: datetime) -> None:
        self.by_id = {f.id: f for f in findings}
        self.tracker = tracker
        self.drafts = drafts
        self.now = now
        self.state: dict[str, IssueRef] = dict(plan.targets)
        self.links: dict[str, dict[int, int]] = {}
        for fid, issue in self.state.items():
            marker = markers.parse(issue.body)
            self.links[fid] = marker.linked() if marker else {}

    def numbered(self, action: Action) -> Action:
        """The action with the issue numbers known by now: a step that fails or is not attempted after
        its issues were filed is reported as "link #3 blocked by #1", not "new issue for f-..."."""
        def number(fid: str | None) -> int | None:
            issue = self.state.get(fid or "")
            return issue.number if issue is not None and issue.number else None

        issue = action.issue or number(action.finding)
        blocker = action.blocker_issue or (number(action.blocker) if action.blocker else None)
        return replace(action, issue=issue, blocker_issue=blocker)

    # Each handler returns the action with the issue numbers it ended up using, and the issue touched.
    def create(self, step: Step) -> tuple[Action, IssueRef | None]:
        f, marker = self.by_id[step.action.finding or ""], step.marker
        assert marker is not None
        visible = self.drafts.visible(f, marker, self.state, step.previous)
        body, _ = markers.next_body(None, visible, marker)
        issue = self.tracker.create_issue(self.drafts.title(f), body, step.labels, f.signature.digest)
        self.state[f.id] = issue
        self.links[f.id] = {}
        return replace(step.action, issue=issue.number), issue

    def reopen(self, step: Step) -> tuple[Action, IssueRef | None]:
        f, issue = self.by_id[step.action.finding or ""], self.state[step.action.finding or ""]
        assert step.marker is not None
        marker = replace(step.marker, links=tuple(sorted(self.links[f.id].items())))
        body, _ = markers.next_body(issue.body, self.drafts.visible(f, marker, self.state), marker)
        issue = self.tracker.edit_issue(issue.number, body=body, labels=step.labels, state="open")
        self.state[f.id] = issue
        self.tracker.add_comment(issue.number, self.drafts.comment("This failure came back", step.news, f, self.now,
                                                                   step.excerpt))
        return step.action, issue

    def link(self, step: Step) -> tuple[Action, IssueRef | None]:
        fid, blocker_id = step.action.finding or "", step.action.blocker or ""
        issue, blocker = self.state.get(fid), self.state.get(blocker_id)
        if issue is None or blocker is None:
            missing = blocker_id if blocker is None else fid
            raise ActionRefused(f"not linked: {missing} has no issue (its create did not happen)")
        self.tracker.link_blocked_by(issue.number, blocker.id)
        self.links.setdefault(fid, {})[blocker.number] = blocker.id
        return replace(step.action, issue=issue.number, blocker_issue=blocker.number), issue

    def unlink(self, step: Step) -> tuple[Action, IssueRef | None]:
        fid, number = step.action.finding or "", step.action.blocker_issue
        issue = self.state[fid]
        assert step.blocker_id is not None and number is not None
        self.tracker.unlink_blocked_by(issue.number, step.blocker_id)
        self.links.setdefault(fid, {}).pop(number, None)
        return step.action, issue

    def update(self, step: Step) -> tuple[Action, IssueRef | None]:
        f = self.by_id[step.action.finding or ""]
        issue = self.state.get(f.id)
        if issue is None:
            raise ActionRefused(f"not updated: {f.id} has no issue (its create did not happen)")
        assert step.marker is not None
        marker = replace(step.marker, links=tuple(sorted(self.links[f.id].items())))
        body, _ = markers.next_body(issue.body, self.drafts.visible(f, marker, self.state), marker)
        labels = None if same_labels(issue.labels, step.labels) else step.labels
        if body != issue.body or labels is not None:
            issue = self.tracker.edit_issue(issue.number, body=body if body != issue.body else None, labels=labels)
            self.state[f.id] = issue
        return replace(step.action, issue=issue.number), issue

    def comment(self, step: Step) -> tuple[Action, IssueRef | None]:
        f = self.by_id[step.action.finding or ""]
        issue = self.state[f.id]
        self.tracker.add_comment(issue.number, self.drafts.comment("Update from gardener", step.news, f, self.now,
                                                                   step.excerpt))
        return step.action, issue

    def close_duplicate(self, step: Step) -> tuple[Action, IssueRef | None]:
        dup, keep = step.current, step.action.blocker_issue
        assert dup is not None and step.marker is not None and keep is not None
        body = markers.compose(markers.split(dup.body)[0], step.marker)
        closed = self.tracker.edit_issue(dup.number, body=body, state="closed", state_reason="duplicate")
        # Closed first, commented second: a crash in between loses a comment, never repeats one.
        self.tracker.add_comment(dup.number, self.drafts.comment("Closing as a duplicate", step.news, None, self.now))
        return step.action, closed

    def close(self, step: Step) -> tuple[Action, IssueRef | None]:
        """A verified close: closed as completed first, then the comment naming the clean runs."""
        current = step.current
        assert current is not None
        closed = self.tracker.edit_issue(current.number, state="closed", state_reason="completed")
        self.tracker.add_comment(current.number, self.drafts.comment("Verified fixed", step.news, None, self.now))
        return step.action, closed


def apply_plan(plan: Plan, findings: Sequence[Finding], tracker: Tracker, drafts: Drafts, policy: TrackerPolicy,
               now: datetime) -> Applied:
    run = _Run(plan, findings, tracker, drafts, now)
    handlers: Mapping[str, Callable[[Step], tuple[Action, IssueRef | None]]] = {
        "create": run.create, "reopen": run.reopen, "link": run.link, "unlink": run.unlink,
        "update": run.update, "comment": run.comment, "close-duplicate": run.close_duplicate,
        "close": run.close,
    }
    stopped: str | None = None
    streak = 0
    outcomes: list[ActionOutcome] = []
    if plan.writes():
        try:
            tracker.prepare_writes(label_specs(findings, policy))
        except (TrackerUnusable, ActionRefused) as exc:
            stopped = str(exc)
    for step in plan.steps:
        action = step.action
        if action.kind == "skip":
            outcomes.append(ActionOutcome(action, ok=True))
            continue
        if stopped is not None:
            outcomes.append(ActionOutcome(run.numbered(action), ok=False, error=f"not attempted: {stopped}"))
            continue
        try:
            done, issue = handlers[action.kind](step)
            outcomes.append(ActionOutcome(done, ok=True, issue=issue))
            streak = 0
        except TrackerUnusable as exc:
            stopped = str(exc)
            outcomes.append(ActionOutcome(run.numbered(action), ok=False, error=str(exc)))
        except ActionRefused as exc:
            outcomes.append(ActionOutcome(run.numbered(action), ok=False, error=str(exc)))
            streak = streak + 1 if exc.transient else 0
            if streak >= MAX_TRANSIENT_STREAK:
                stopped = f"GitHub failed {streak} steps in a row ({exc})"
    return Applied(tuple(outcomes), tuple(run.state.items()))
