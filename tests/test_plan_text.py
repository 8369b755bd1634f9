"""The plan as printed: terraform-style lines, totals, and what --apply did."""

from datetime import UTC, datetime

from gardener.model import Action, ActionOutcome, RunReport
from gardener.plan.text import action_line, failure_line, plan_lines, plan_totals
from gardener.plan.wording import fragment, own_line
from tests.factories import finding

TITLES = {"f-1": "Missing orders-api directory causing Docker build failures", "f-2": "Refused tests"}


def report(actions, outcomes=()):
    return RunReport(generated_at=datetime(2026, 3, 2, tzinfo=UTC), command_line="gardener run", focus=(), scope=None,
                     files=(), attempts=(), findings=(finding("f-1", "docker-build-failure"),), edges=(), phases=(),
                     resolution_order=("f-1",), actions=tuple(actions), outcomes=tuple(outcomes), tracker="o/r")


def test_each_kind_reads_like_a_terraform_plan():
    assert action_line(Action("create", "f-1", "no issue"), TITLES) == (
        '+ create   "Missing orders-api directory causing Docker build failures" (f-1)')
    assert action_line(Action("update", "f-1", "labels P0", issue=12), TITLES) == "~ update   #12  (labels P0)"
    assert action_line(Action("reopen", "f-1", "failing again", issue=9), TITLES) == "↻ reopen   #9  (failing again)"
    assert action_line(Action("link", "f-2", "r", issue=458, blocker="f-1", blocker_issue=443), TITLES) == (
        "→ link     #458 blocked by #443")
    assert action_line(Action("link", "f-2", "r", blocker="f-1"), TITLES) == (
        "→ link     new issue for f-2 blocked by new issue for f-1")
    assert action_line(Action("skip", "f-2", "deferred: the per-run cap of 10 ..."), TITLES).startswith(
        '· skip     (cap) f-2 "Refused tests"')
    assert action_line(Action("close-duplicate", "f-1", "same", issue=14, blocker_issue=12), TITLES) == (
        "✕ close-duplicate #14 as a duplicate of #12")


def test_long_titles_are_cut_with_an_ellipsis_and_stay_one_line():
    line = action_line(Action("create", "f-1", "x"), {"f-1": "word " * 60 + "\nsecond line"})
    assert "\n" not in line and "…" in line and len(line) < 120


def test_totals_and_applied_outcomes():
    actions = [Action("create", "f-1", "x"), Action("skip", "f-2", "deferred: cap")]
    assert plan_totals(report(actions), applied=False) == (
        "Plan: create 1, update 0, reopen 0, link 0, unlink 0, comment 0, deferred by the cap 1.")
    done = [ActionOutcome(Action("create", "f-1", "x", issue=3), ok=True),
            ActionOutcome(Action("link", "f-2", "r", issue=4, blocker_issue=3), ok=False, error="HTTP 422: nope")]
    r = report([o.action for o in done], done)
    lines = plan_lines(r, applied=True)
    assert lines[0].startswith("✓ + create") and lines[1].startswith("✗ → link     #4 blocked by #3")
    assert lines[1].endswith("error: HTTP 422: nope")
    assert plan_totals(r, applied=True) == (
        "Applied: create 1, update 0, reopen 0, link 0, unlink 0, comment 0; 1 step could not be done.")
    assert plan_totals(report([]), applied=True) == "Applied: no changes; every issue is up to date."
    failed_only = report([done[1].action], done[1:])
    assert plan_totals(failed_only, applied=True) == "Applied: no changes; 1 step could not be done."
    assert failure_line(done[1], TITLES) == "link #4 blocked by #3: HTTP 422: nope"


def test_gardeners_own_references_stay_live_and_untrusted_parts_do_not():
    skip = Action("skip", "f-1", "#8 was closed 2026-03-01T00:00:00+00:00; this evidence predates the closing",
                  issue=8)
    assert "#8 was closed" in action_line(skip, TITLES)
    untrusted = {"f-1": "Ping @dana-k about #12"}
    line = action_line(Action("skip", "f-1", "#8 was closed", issue=8), untrusted)
    assert "@\u200bdana-k" in line and "#\u200b12" in line and "#8 was closed" in line
    labels = plan_lines(report([Action("update", "f-1", "labels " + fragment("@acme/ui-kit"), issue=3)]), False)
    assert labels == ["~ update   #3  (labels @\u200bacme/ui-kit)"]
    secret = action_line(Action("update", "f-1", "ghp_R7tQk2VbX9mL4sWc8NzJ1hYd6PfA3uE0oGiT", issue=3), TITLES)
    assert "ghp_" not in secret and not own_line("::error::x", 100).startswith("::error")
