"""Planning against a tracker's issues (the decision table in gardener/plan/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from gardener.model import Action, Finding, IssueRef, TrackerPolicy
from gardener.plan import ORDER, Plan, PlanInput, Step, placeholder
from gardener.plan.close import plan_closes
from gardener.plan.issue import (
    Decision,
    Known,
    decide,
    iso,
    known_of,
    merged,
    new_error_text,
    news,
    priority_managed,
    reopen_news,
)
from gardener.plan.quiet import over_time_news, stability_line
from gardener.plan.related import MAX_PER_FINDING, related_for
from gardener.plan.wording import fragment
from gardener.tracker import markers
from gardener.tracker.labels import desired_labels, same_labels
from gardener.tracker.markers import Marker
from gardener.view.common import plural


def make_plan(inp: PlanInput) -> Plan:
    known = known_of(inp.known)
    matches = _claims(inp.findings, known, inp.aliases)
    decisions = {f.id: decide(f, matches[f.id], inp.evidence[f.id], inp.policy, inp.now) for f in inp.findings}
    decisions = _apply_cap(inp.findings, decisions, inp.policy)
    targets: dict[str, IssueRef] = {}
    for f in inp.findings:
        d = decisions[f.id]
        if d.kind in ("open", "reopen") and d.issue is not None:
            targets[f.id] = d.issue
        elif d.kind == "create":
            targets[f.id] = placeholder(f)
    managed = _managed_numbers(decisions, targets, known)
    steps: list[Step] = []
    for f in inp.findings:
        steps.extend(_finding_steps(f, decisions[f.id], targets, managed, inp))
    steps.extend(_link_steps(inp, decisions, targets, managed))
    steps.extend(_close_steps(inp, known))
    rank = {kind: n for n, kind in enumerate(ORDER)}
    ordered = sorted(enumerate(steps), key=lambda p: (rank[p[1].action.kind], p[0]))
    existing = tuple((fid, issue) for fid, issue in targets.items() if issue.number)
    return Plan(tuple(s for _, s in ordered), existing)


def sticky_related(old: Sequence[tuple[int, str]], found: Sequence[IssueRef]) -> tuple[tuple[int, str], ...]:
    """Related issues listed before stay listed (runs with other focus words find others); new ones
    join until there are MAX_PER_FINDING. Titles are refreshed when a search sees them again."""
    titles = {i.number: i.title[:160] for i in found}
    kept = {n: titles.get(n, t) for n, t in old}
    for issue in found:
        if len(kept) >= MAX_PER_FINDING:
            break
        kept.setdefault(issue.number, titles[issue.number])
    return tuple(kept.items())


def _matches(f: Finding, known: Sequence[Known], aliases: Mapping[str, frozenset[str]]) -> list[Known]:
    keys = aliases.get(f.id, frozenset()) | {f.signature.digest}
    return [k for k in known if k.marker.digests() & keys]


def _claims(findings: Sequence[Finding], known: Sequence[Known], aliases: Mapping[str, frozenset[str]]
            ) -> dict[str, list[Known]]:
    """Each finding's issues; an issue is one finding's. First the finding whose signature the issue's marker
    names, then one whose signature it carries as an earlier one (`aka`), then the first (resolution order) that
    answers to it only through an alias (an older version may have keyed two causes of today alike: the second
    is filed on its own rather than both writing one issue, and the marker's signature never flips between them)."""
    found = {f.id: _matches(f, known, aliases) for f in findings}
    ranks: tuple[Callable[[Finding, Known], bool], ...] = (
        lambda f, k: k.marker.sig == f.signature.digest,
        lambda f, k: f.signature.digest in k.marker.digests(),
        lambda f, k: True,
    )
    owner: dict[int, str] = {}
    for rank in ranks:
        for f in findings:
            for k in found[f.id]:
                if k.issue.number not in owner and rank(f, k):
                    owner[k.issue.number] = f.id
    return {f.id: [k for k in found[f.id] if owner[k.issue.number] == f.id] for f in findings}


def _apply_cap(findings: Sequence[Finding], decisions: dict[str, Decision], policy: TrackerPolicy
               ) -> dict[str, Decision]:
    out, created = dict(decisions), 0
    for f in findings:  # resolution order: the most fundamental findings get the first issues
        if out[f.id].kind != "create":
            continue
        if created >= policy.max_new_issues:
            cap = plural(policy.max_new_issues, "new issue")
            out[f.id] = Decision("deferred", f"deferred: the per-run cap of {cap} was reached; it is filed on a "
                                 "later run")
        else:
            created += 1
    return out


def _managed_numbers(decisions: Mapping[str, Decision], targets: Mapping[str, IssueRef],
                     known: Sequence[Known]) -> frozenset[int]:
    """Issues whose links this run may change: this run's issues and gardener's duplicates. A link to
    anything else (a finding outside this run's focus or scope) is left as it is."""
    ours = {t.number for t in targets.values() if t.number}
    ours |= {k.issue.number for k in known if k.marker.dup_of is not None}
    ours |= {dup.issue.number for d in decisions.values() for dup in d.duplicates}
    return frozenset(ours)


def _link_delta(f: Finding, old: Marker | None, targets: Mapping[str, IssueRef], managed: frozenset[int]
                ) -> tuple[list[str], dict[int, int]]:
    """(blockers to link, as finding ids; gardener's links to remove, number -> REST id)."""
    linked = old.linked() if old else {}
    wanted = {targets[b].number for b in f.blocked_by if b in targets}
    to_link = [b for b in f.blocked_by if b in targets and (not targets[b].number or targets[b].number not in linked)]
    stale = {n: i for n, i in linked.items() if n not in wanted and n in managed}
    return to_link, stale


def _finding_steps(f: Finding, d: Decision, targets: Mapping[str, IssueRef], managed: frozenset[int],
                   inp: PlanInput) -> list[Step]:
    ev, now, policy = inp.evidence[f.id], inp.now, inp.policy
    if d.kind in ("closed", "deferred"):
        return [Step(Action("skip", f.id, d.reason, issue=d.issue.number if d.issue else None))]
    steps = [_close_duplicate(f, dup, d) for dup in d.duplicates]
    if d.kind == "create":
        marker = replace(merged(f, ev, None, now), prio=f.priority, commented=iso(now), stab=_stab(f, inp, None),
                         supersedes=d.previous.number if d.previous else None,
                         rel=sticky_related((), related_for(f, inp.related, inp.focus)))
        labels = desired_labels((), f, policy, True)
        steps.append(Step(Action("create", f.id, d.reason), marker, labels, previous=d.previous))
        if _needs_follow_up(f, inp, targets):
            steps.append(Step(Action("update", f.id, "after filing: name the issues filed after it and record "
                                     "its blocked-by links"), marker, labels))
        return steps
    assert d.issue is not None and d.marker is not None
    issue, old = d.issue, d.marker
    manage = priority_managed(issue, old)
    marker = replace(merged(f, ev, old, now), prio=f.priority if manage else old.prio, prio_managed=manage,
                     rel=sticky_related(old.rel, related_for(f, inp.related, inp.focus)), stab=_stab(f, inp, old))
    labels = desired_labels(issue.labels, f, policy, manage)
    if d.kind == "reopen":
        lines = reopen_news(d, ev, old, now)
        marker = replace(marker, commented=iso(now))
        steps.append(Step(Action("reopen", f.id, d.reason, issue=issue.number), marker, labels, lines,
                          excerpt=new_error_text(ev, old)))
        if any(_link_delta(f, old, targets, managed)):
            steps.append(Step(Action("update", f.id, "blocked-by links", issue=issue.number), marker, labels))
        return steps
    lines = news(f, ev, issue, old, manage, policy, now)
    ot = inp.over_time.get(f.id)
    if ot is not None:
        lines = over_time_news(lines, ot, old, policy, now)
        if not lines and stability_line(ot, old) is not None:
            marker = replace(marker, stab=old.stab)  # held back by the cooldown: said on a later run
    if lines:
        marker = replace(marker, commented=iso(now))
    changes = _changes(f, issue, old, marker, labels, targets, inp, any(_link_delta(f, old, targets, managed)))
    if changes:
        steps.append(Step(Action("update", f.id, "; ".join(changes), issue=issue.number), marker, labels))
    if lines:
        steps.append(Step(Action("comment", f.id, lines[0], issue=issue.number), marker, labels, lines,
                          excerpt=new_error_text(ev, old)))
    return steps


def _changes(f: Finding, issue: IssueRef, old: Marker, marker: Marker, labels: Sequence[str],
             targets: Mapping[str, IssueRef], inp: PlanInput, relink: bool) -> list[str]:
    """Why an open issue needs an edit (nothing: no write)."""
    changes = []
    if not same_labels(issue.labels, labels):
        changes.append("labels " + ", ".join(fragment(label, 100) for label in sorted(set(labels) ^ set(issue.labels))))
    if relink:
        changes.append("blocked-by links")
    if inp.render_visible is not None:
        body, _ = markers.next_body(issue.body, inp.render_visible(f, marker, targets), marker)
        if body != issue.body and not changes:
            changes.append("metadata" if markers.split(body)[0] == markers.split(issue.body)[0] else "description")
    elif markers.render(marker) != markers.render(old):
        changes.append("metadata")
    return changes


def _needs_follow_up(f: Finding, inp: PlanInput, targets: Mapping[str, IssueRef]) -> bool:
    """A new issue is edited once more when it gets links or blocks an issue filed after it."""
    later = {e.blocked for e in inp.edges if e.blocker == f.id}
    return any(b in targets for b in f.blocked_by) or any(targets.get(g, None) is not None
                                                          and targets[g].number == 0 for g in later)


def _close_duplicate(f: Finding, dup: Known, d: Decision) -> Step:
    assert d.issue is not None
    keep = d.issue.number
    return Step(Action("close-duplicate", f.id, f"#{dup.issue.number} has the same signature as the older #{keep}",
                       issue=dup.issue.number, blocker_issue=keep),
                replace(dup.marker, dup_of=keep), current=dup.issue,
                news=(f"Closing as a duplicate of #{keep}: both issues carry the same failure signature "
                      f"(`{f.signature.digest}`), most likely filed by two gardener runs at once.",))


def _link_steps(inp: PlanInput, decisions: Mapping[str, Decision], targets: Mapping[str, IssueRef],
                managed: frozenset[int]) -> list[Step]:
    steps: list[Step] = []
    by_id = {f.id: f for f in inp.findings}
    reasons = {(e.blocker, e.blocked): e.reason for e in inp.edges}
    for f in inp.findings:
        if f.id not in targets:
            continue
        d = decisions[f.id]
        old = d.marker if d.kind in ("open", "reopen") else None
        issue = targets[f.id].number or None
        to_link, stale = _link_delta(f, old, targets, managed)
        for blocker in to_link:
            reason = fragment(reasons.get((blocker, f.id)) or f"{by_id[blocker].title} blocks it")
            steps.append(Step(Action("link", f.id, reason, issue=issue, blocker=blocker,
                                     blocker_issue=targets[blocker].number or None)))
        for number, rest_id in stale.items():
            steps.append(Step(Action("unlink", f.id, f"#{number} no longer blocks it in this run", issue=issue,
                                     blocker_issue=number), blocker_id=rest_id))
    return steps


def _stab(f: Finding, inp: PlanInput, old: Marker | None) -> str:
    """The stability the issue records: this run's when history judged it, else what it recorded."""
    ot = inp.over_time.get(f.id)
    return (ot.stability or "") if ot is not None else (old.stab if old else "")


def _close_steps(inp: PlanInput, known: Sequence[Known]) -> list[Step]:
    """Verified closes of open issues this run does not garden (see plan/close.py)."""
    if inp.over_time_policy is None or not inp.clean:
        return []
    mine: set[str] = set()
    for f in inp.findings:
        mine |= inp.aliases.get(f.id, frozenset()) | {f.signature.digest}
    targeted = {k.issue.number for k in known if k.marker.digests() & mine}
    decisions = plan_closes(known, targeted, {r.digest: r for r in inp.clean}, inp.over_time_policy, inp.policy,
                            inp.now)
    return [Step(Action("close", d.known.marker.finding or None, d.reason, issue=d.known.issue.number),
                 d.known.marker, news=d.lines, current=d.known.issue) for d in decisions if d.close]
