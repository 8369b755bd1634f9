"""The pure decision table: findings x known issues x policy -> steps (no tracker involved)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from gardener.model import Edge, Finding, IssueRef, TrackerPolicy
from gardener.plan import Plan, PlanInput, plan_without_tracker
from gardener.plan.evidence import Evidence
from gardener.plan.make import make_plan
from gardener.tracker import markers
from tests.factories import finding

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SEEN = datetime(2026, 3, 2, 9, 14, tzinfo=UTC)
POLICY = TrackerPolicy()


def render_visible(f, marker, targets):
    blockers = ", ".join(f"#{targets[b].number}" if b in targets else b for b in f.blocked_by)
    return f"{f.title}\nblocked by: {blockers}\npriority {f.priority}"


def ev(f: Finding, *, newest=SEEN, tests=("tests/test_a.py::t1",), errors=("e1",), fp="fp-1", count=1):
    return Evidence(fingerprint=f"{fp}-{f.id}", newest=newest, oldest=newest, tests=tests, count=count, errors=errors)


def plan(findings, known=(), evidence=None, edges=(), policy=POLICY, now=NOW, aliases=None) -> Plan:
    evidence = evidence or {f.id: ev(f) for f in findings}
    return make_plan(PlanInput(tuple(findings), tuple(edges), tuple(known), evidence, policy, now, aliases or {},
                               render_visible))


def kinds(p: Plan):
    return [(s.action.kind, s.action.finding, s.action.issue) for s in p.steps]


def filed(p: Plan, numbers: dict[str, int], *, state="open", closed_at=None, reason=None,
          links: dict[str, tuple[tuple[int, int], ...]] | None = None) -> list[IssueRef]:
    """The issues a tracker would hold after applying `p`'s creates, as apply.py writes them."""
    findings_by_id = {s.action.finding: s for s in p.steps if s.action.kind == "create"}
    targets = {fid: IssueRef(n, 1000 + n, "t", "open", "") for fid, n in numbers.items()}
    out = []
    for fid, step in findings_by_id.items():
        marker = replace(step.marker, links=(links or {}).get(fid, ()))
        f = next(x for x in FINDINGS_SEEN if x.id == fid)
        body, _ = markers.next_body(None, render_visible(f, marker, targets), marker)
        out.append(IssueRef(numbers[fid], 1000 + numbers[fid], f.title, state, f"u/{numbers[fid]}", state_reason=reason,
                            labels=step.labels, body=body, closed_at=closed_at))
    return out


BUILD = finding("f-build", "docker-build-failure", "infrastructure", priority="P0")
TESTS = replace(finding("f-tests", "connection-refused", "environment", priority="P1"), blocked_by=("f-build",))
UNIT = finding("f-unit", "assertion-failure", "test", priority="P2")
FINDINGS_SEEN = [BUILD, TESTS, UNIT]
EDGE = Edge("f-build", "f-tests", "the build failure blocks the services the tests need")


def first_run():
    p = plan([BUILD, TESTS, UNIT], edges=[EDGE])
    return p, filed(p, {"f-build": 1, "f-tests": 2, "f-unit": 3}, links={"f-tests": ((1, 1001),)})


def test_nothing_filed_yet_creates_one_issue_per_finding_most_fundamental_first_and_links_them():
    p = plan([BUILD, TESTS, UNIT], edges=[EDGE])
    assert kinds(p)[:3] == [("create", "f-build", None), ("create", "f-tests", None), ("create", "f-unit", None)]
    link = next(s.action for s in p.steps if s.action.kind == "link")
    assert (link.finding, link.blocker) == ("f-tests", "f-build")
    # the blocker names the issue filed after it; the blocked one records its link: one edit each
    assert sorted(s.action.finding for s in p.steps if s.action.kind == "update") == ["f-build", "f-tests"]
    create = p.steps[0]
    assert set(create.labels) == {"gardener", "P0", "failing-test:docker-build-failure"}
    assert create.marker.sig == BUILD.signature.digest and create.marker.prio == "P0"


def test_the_same_inputs_again_plan_nothing():
    _, issues = first_run()
    again = plan([BUILD, TESTS, UNIT], known=issues, edges=[EDGE])
    assert again.steps == ()
    assert dict(again.targets)["f-tests"].number == 2


def test_the_cap_defers_the_least_fundamental_findings_and_says_so():
    p = plan([BUILD, TESTS, UNIT], edges=[EDGE], policy=replace(POLICY, max_new_issues=2))
    assert [s.action.finding for s in p.steps if s.action.kind == "create"] == ["f-build", "f-tests"]
    skip = next(s.action for s in p.steps if s.action.kind == "skip")
    assert skip.finding == "f-unit" and skip.reason.startswith("deferred") and "cap of 2" in skip.reason


def test_new_evidence_updates_metadata_without_a_comment_inside_the_cooldown():
    _, issues = first_run()
    later = SEEN + timedelta(hours=5)
    p = plan([BUILD, TESTS, UNIT], known=issues, edges=[EDGE], now=SEEN + timedelta(days=1),
             evidence={f.id: ev(f, newest=later, fp="fp-2") for f in (BUILD, TESTS, UNIT)})
    assert {k for k, _, _ in kinds(p)} == {"update"}
    step = p.steps[0]
    assert step.marker.last_seen == later.isoformat(timespec="seconds") and step.action.reason == "metadata"


def test_after_the_cooldown_new_evidence_gets_a_still_failing_comment():
    _, issues = first_run()
    p = plan([UNIT], known=issues, now=NOW + timedelta(days=4), evidence={UNIT.id: ev(UNIT, fp="fp-2")})
    comment = next(s for s in p.steps if s.action.kind == "comment")
    assert comment.news[0].startswith("Still failing") and comment.action.issue == 3


def test_new_tests_or_new_error_text_are_news():
    _, issues = first_run()
    e = ev(UNIT, fp="fp-2", tests=("tests/test_a.py::t1", "tests/test_b.py::t2"), errors=("e1", "e2"))
    p = plan([UNIT], known=issues, evidence={UNIT.id: e})
    comment = next(s for s in p.steps if s.action.kind == "comment")
    assert comment.news[0] == "A new error text appeared (excerpt below)." and comment.excerpt
    assert "1 more test affected: `tests/test_b.py::t2`" in comment.news[1]
    e3 = ev(UNIT, fp="fp-3", tests=("tests/test_a.py::t1", "tests/test_b.py::t2", "tests/test_c.py::t3"))
    again = next(s for s in plan([UNIT], known=issues, evidence={UNIT.id: e3}).steps if s.action.kind == "comment")
    assert again.news == ("2 more tests affected: `tests/test_b.py::t2`, `tests/test_c.py::t3`.",)
    assert not again.excerpt, "the error text is the one recorded: no excerpt"


def test_priority_change_moves_the_label_and_is_news():
    _, issues = first_run()
    p = plan([replace(UNIT, priority="P1")], known=issues)
    update = next(s for s in p.steps if s.action.kind == "update")
    assert "P1" in update.labels and "P2" not in update.labels
    assert next(s for s in p.steps if s.action.kind == "comment").news[0].startswith("Priority changed from P2 to P1")


def test_a_person_changing_the_priority_label_stops_gardener_managing_it_said_once():
    _, issues = first_run()
    unit = next(i for i in issues if i.number == 3)
    by_hand = replace(unit, labels=("gardener", "P0", "failing-test:assertion-failure", "needs-triage"))
    p = plan([UNIT], known=[by_hand])
    update = next(s for s in p.steps if s.action.kind == "update")
    assert update.marker.prio_managed is False and "P0" in update.labels and "needs-triage" in update.labels
    assert "changed by a person" in next(s for s in p.steps if s.action.kind == "comment").news[0]
    # once recorded, gardener neither moves the label nor mentions it again
    written, _ = markers.next_body(by_hand.body, render_visible(UNIT, update.marker, {}), update.marker)
    p2 = plan([replace(UNIT, priority="P3")], known=[replace(by_hand, body=written)])
    assert not [s for s in p2.steps if s.action.kind == "comment"]
    assert all("P3" not in s.labels for s in p2.steps)


def test_closed_issue_with_older_evidence_stays_closed():
    p1 = plan([UNIT])
    closed = filed(p1, {"f-unit": 3}, state="closed", closed_at=SEEN + timedelta(days=1), reason="completed")
    p = plan([UNIT], known=closed)
    assert kinds(p) == [("skip", "f-unit", 3)] and "stays closed" in p.steps[0].action.reason


def test_closed_issue_with_newer_evidence_is_reopened_with_what_came_back():
    p1 = plan([UNIT])
    closed = filed(p1, {"f-unit": 3}, state="closed", closed_at=SEEN + timedelta(days=1), reason="completed")
    p = plan([UNIT], known=closed, evidence={UNIT.id: ev(UNIT, newest=SEEN + timedelta(days=2), fp="fp-2")})
    assert kinds(p) == [("reopen", "f-unit", 3)]
    assert p.steps[0].news[0] == ("Seen again at 2026-03-04T09:14:00+00:00, after this issue was closed on "
                                  "2026-03-03T09:14:00+00:00: 1 failing result.")


def test_the_reopening_names_the_tests_and_the_error_that_came_back():
    p1 = plan([UNIT])
    closed = filed(p1, {"f-unit": 3}, state="closed", closed_at=SEEN + timedelta(days=1), reason="completed")
    came_back = replace(ev(UNIT, newest=SEEN + timedelta(days=2), fp="fp-2", count=2,
                           tests=("tests/test_a.py::t1", "tests/test_b.py::t2"), errors=("e1", "e9")),
                        error="AssertionError: assert 19.98 == 19.99")
    (step,) = plan([UNIT], known=closed, evidence={UNIT.id: came_back}).steps
    assert step.news[0].endswith(": 2 failing results.")
    assert step.news[1:] == ("Failing again: `tests/test_a.py::t1`.",
                             "Failing now but not before: `tests/test_b.py::t2`.",
                             "Error: `AssertionError: assert 19.98 == 19.99`")
    assert step.excerpt, "a new error text is quoted below the lines"


def test_issues_closed_as_duplicate_or_not_planned_are_never_reopened():
    p1 = plan([UNIT])
    for reason in ("duplicate", "not_planned"):
        closed = filed(p1, {"f-unit": 3}, state="closed", closed_at=SEEN, reason=reason)
        p = plan([UNIT], known=closed, evidence={UNIT.id: ev(UNIT, newest=NOW, fp="fp-2")})
        assert kinds(p) == [("skip", "f-unit", 3)] and "never reopens" in p.steps[0].action.reason


def test_an_issue_closed_long_ago_gets_a_successor_that_links_it():
    p1 = plan([UNIT])
    closed = filed(p1, {"f-unit": 3}, state="closed", closed_at=NOW - timedelta(days=200), reason="completed")
    p = plan([UNIT], known=closed, evidence={UNIT.id: ev(UNIT, newest=NOW, fp="fp-2")})
    assert kinds(p) == [("create", "f-unit", None)]
    assert p.steps[0].previous.number == 3 and p.steps[0].marker.supersedes == 3


def test_evidence_without_timestamps_is_not_a_recurrence_when_it_was_seen_before():
    p1 = plan([UNIT], evidence={UNIT.id: ev(UNIT, newest=None)})
    closed = filed(p1, {"f-unit": 3}, state="closed", closed_at=NOW + timedelta(hours=1), reason="completed")
    later = NOW + timedelta(hours=2)
    same = plan([UNIT], known=closed, evidence={UNIT.id: ev(UNIT, newest=None)}, now=later)
    assert kinds(same) == [("skip", "f-unit", 3)]
    new = plan([UNIT], known=closed, evidence={UNIT.id: ev(UNIT, newest=None, fp="fp-2")}, now=later)
    assert kinds(new) == [("reopen", "f-unit", 3)]


def test_two_open_issues_with_one_signature_close_the_newer_as_a_duplicate():
    _, issues = first_run()
    unit = next(i for i in issues if i.number == 3)
    twin = replace(unit, number=7, id=1007, url="u/7")
    p = plan([UNIT], known=[twin, unit])
    close = next(s for s in p.steps if s.action.kind == "close-duplicate")
    assert (close.action.issue, close.action.blocker_issue) == (7, 3) and close.marker.dup_of == 3
    assert "duplicate of #3" in close.news[0]
    assert dict(p.targets)["f-unit"].number == 3


def test_a_gardener_closed_duplicate_is_ignored_afterwards():
    _, issues = first_run()
    unit = next(i for i in issues if i.number == 3)
    _, marker = markers.split(unit.body)
    dup = replace(unit, number=7, id=1007, state="closed", state_reason="duplicate",
                  body=markers.compose("x", replace(marker, dup_of=3)))
    assert plan([UNIT], known=[unit, dup]).steps == ()


def test_a_chain_that_changed_unlinks_the_stale_edge_and_links_the_new_one():
    _, issues = first_run()
    moved = replace(TESTS, blocked_by=("f-unit",))
    p = plan([BUILD, moved, UNIT], known=issues, edges=[Edge("f-unit", "f-tests", "shares the job")])
    link = next(s.action for s in p.steps if s.action.kind == "link")
    unlink = next(s for s in p.steps if s.action.kind == "unlink")
    assert (link.issue, link.blocker_issue) == (2, 3)
    assert (unlink.action.issue, unlink.action.blocker_issue, unlink.blocker_id) == (2, 1, 1001)


def test_links_to_issues_outside_this_run_are_left_alone():
    _, issues = first_run()
    only_tests = replace(TESTS, blocked_by=())  # focus left the build finding out of this run
    p = plan([only_tests], known=[i for i in issues if i.number == 2])
    assert not [s for s in p.steps if s.action.kind in ("link", "unlink")]


def test_an_issue_filed_under_an_older_signature_version_is_still_recognised():
    p1 = plan([UNIT])
    old = filed(p1, {"f-unit": 3})[0]
    visible, marker = markers.split(old.body)
    renamed = replace(old, body=markers.compose(visible, replace(marker, sig="v0digest", sig_v="sig-v0")))
    p = plan([UNIT], known=[renamed], aliases={UNIT.id: frozenset({"v0digest"})})
    assert [k for k, _, _ in kinds(p)] == ["update"]
    assert p.steps[0].marker.sig == UNIT.signature.digest and "v0digest" in p.steps[0].marker.aka


def test_issues_whose_block_was_destroyed_are_not_matched():
    _, issues = first_run()
    wiped = [replace(i, body="a person replaced everything") for i in issues]
    assert [k for k, _, _ in kinds(plan([UNIT], known=wiped))] == ["create"]


def test_without_a_tracker_the_plan_says_what_would_be_filed():
    actions = plan_without_tracker([BUILD, TESTS], [EDGE])
    assert [a.kind for a in actions] == ["create", "create", "link"]


def test_related_issues_listed_once_stay_listed_when_another_focus_finds_others():
    unit = replace(UNIT, title="Token expiry is one hour")
    ws = IssueRef(41, 41, "Token expiry breaks the websocket suite", "open", "u/41")
    other = IssueRef(42, 42, "Token refresh in billing", "open", "u/42")
    first = make_plan(PlanInput((unit,), (), (), {unit.id: ev(unit)}, POLICY, NOW, {}, render_visible, (ws,),
                                ("websocket",)))
    create = first.steps[0]
    assert create.marker.rel == ((41, ws.title),)
    body, _ = markers.next_body(None, render_visible(unit, create.marker, {}), create.marker)
    issue = IssueRef(3, 1003, unit.title, "open", "u/3", labels=create.labels, body=body)
    later = make_plan(PlanInput((unit,), (), (issue,), {unit.id: ev(unit)}, POLICY, NOW, {}, render_visible, (other,)))
    update = next(s for s in later.steps if s.action.kind == "update")
    assert update.marker.rel == ((41, ws.title), (42, other.title))
    unchanged = make_plan(PlanInput((unit,), (), (issue,), {unit.id: ev(unit)}, POLICY, NOW, {}, render_visible, ()))
    assert unchanged.steps == ()


def test_an_issue_two_findings_answer_to_only_through_aliases_is_the_first_ones():
    """An older version keyed two of today's causes alike: one issue. The first finding keeps it, the second is
    filed on its own (never both writing one issue); a finding whose own signature the issue carries wins it."""
    p1 = plan([UNIT])
    old = filed(p1, {"f-unit": 3})[0]
    visible, marker = markers.split(old.body)
    shared = replace(old, body=markers.compose(visible, replace(marker, sig="olddigest000")))
    a, b = replace(UNIT, id="f-a"), replace(TESTS, id="f-b", blocked_by=())
    aliases = {"f-a": frozenset({"olddigest000"}), "f-b": frozenset({"olddigest000"})}
    p = plan([a, b], known=[shared], aliases=aliases)
    assert sorted((k, f) for k, f, _ in kinds(p)) == [("create", "f-b"), ("update", "f-a")], kinds(p)
    exact = replace(b, signature=replace(b.signature, digest="olddigest000"))
    p = plan([a, exact], known=[shared], aliases=aliases)
    assert sorted((k, f) for k, f, _ in kinds(p) if k != "comment") == [("create", "f-a"), ("update", "f-b")], kinds(p)
