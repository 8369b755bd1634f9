"""Rate limits, server errors, lost answers and refusals, injected into the sandbox: no duplicate,
nothing lost, and a clear record of what could not be done."""

import time
from dataclasses import replace

import pytest

from gardener.config import Config
from gardener.errors import TrackerError
from gardener.plan.text import plan_totals
from gardener.sandbox import Sandbox
from tests.github.gardening import FAST, REPO, garden, last_seq, later_than_now, outage, writes

CREATE = r"/issues$"


class Waits(list):
    """Records each wait the tracker asks for, and waits only briefly (the faults here are one-shot)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(min(seconds, 0.05))


def one_issue_per_finding(repo, report):
    titles = [i.title for i in repo.get_issues(state="all")]
    assert len(titles) == len(set(titles)) == len(report.findings)


def test_a_secondary_rate_limit_is_waited_out_as_retry_after_says(sandbox, repo, tmp_path):
    sandbox.inject({"kind": "secondary_rate_limit", "retry_after": 3}, method="POST", path=CREATE)
    waits = Waits()
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out", sleep=waits)
    assert all(o.ok for o in out.report.outcomes)
    assert waits == [3.0]
    one_issue_per_finding(repo, out.report)
    statuses = [s for m, p, s in writes(sandbox) if m == "POST" and p.endswith("/issues")]
    assert statuses[:2] == [403, 201]


def test_an_exhausted_primary_limit_waits_for_the_reset(sandbox, repo, tmp_path):
    sandbox.inject({"kind": "rate_limit_exhausted", "reset_in": 5}, method="POST", path=CREATE)
    waits = Waits()
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out", sleep=waits)
    assert all(o.ok for o in out.report.outcomes)
    assert len(waits) == 1 and 4.0 <= waits[0] <= 7.0  # until the reset, plus a second
    one_issue_per_finding(repo, out.report)


def test_a_reset_later_than_max_wait_stops_the_writes_and_the_next_run_completes(sandbox, repo, tmp_path):
    sandbox.inject({"kind": "rate_limit_exhausted", "reset_in": 3600}, method="POST", path=CREATE, times=1)
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    failed = [o for o in out.report.outcomes if not o.ok]
    assert len(failed) == len([o for o in out.report.outcomes if o.action.kind != "skip"])
    assert "rate limited for" in failed[0].error and failed[1].error.startswith("not attempted: rate limited")
    worklog = out.worklog_path.read_text(encoding="utf-8")
    assert "### Could not be done (the next run retries):" in worklog
    again = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    assert all(o.ok for o in again.report.outcomes)
    one_issue_per_finding(repo, again.report)


def test_server_errors_are_retried_with_backoff(sandbox, repo, tmp_path):
    sandbox.inject({"status": 502}, method="POST", path=CREATE, times=2)
    sandbox.inject({"status": 503}, method="PATCH", path=r"/issues/\d+$", times=1)
    waits = Waits()
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out", sleep=waits, backoff_s=0.5)
    assert all(o.ok for o in out.report.outcomes)
    assert waits[:2] == [0.5, 1.0]  # capped exponential backoff
    one_issue_per_finding(repo, out.report)


def test_a_create_whose_answer_is_lost_is_found_again_not_filed_twice(sandbox, repo, tmp_path):
    # The server files the issue, but only after the client gave up waiting for the answer.
    sandbox.inject({"kind": "delay", "seconds": 1.2}, method="POST", path=CREATE, times=1)
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out", timeout_s=1, backoff_s=1.5)
    assert all(o.ok for o in out.report.outcomes)
    one_issue_per_finding(repo, out.report)


def test_a_dropped_connection_is_retried(sandbox, repo, tmp_path):
    sandbox.inject({"kind": "drop"}, method="POST", path=r"/dependencies/blocked_by$", times=1)
    sandbox.inject({"kind": "drop"}, method="POST", path=CREATE, times=1)
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    assert all(o.ok for o in out.report.outcomes)
    one_issue_per_finding(repo, out.report)
    assert sum(1 for i in repo.get_issues() for _ in i.get_blocked_by()) == len(out.report.edges)


def test_a_refused_step_is_recorded_and_the_run_goes_on(sandbox, repo, tmp_path):
    sandbox.inject({"status": 422}, method="POST", path=r"/dependencies/blocked_by$", times=1)
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    failed = [o for o in out.report.outcomes if not o.ok]
    assert [o.action.kind for o in failed] == ["link"] and "HTTP 422" in failed[0].error
    assert sum(1 for o in out.report.outcomes if o.ok and o.action.kind == "create") == 5
    numbers = {issue.number for _, issue in out.report.issues}
    link = failed[0].action  # both issues were filed by then: the refusal names them
    assert link.issue in numbers and link.blocker_issue in numbers
    made = sum(1 for o in out.report.outcomes if o.ok and o.action.kind == "link")
    assert f"link {made}, " in plan_totals(out.report, applied=True) and made == len(out.report.edges) - 1
    assert plan_totals(out.report, applied=True).endswith("; 1 step could not be done.")
    worklog = out.worklog_path.read_text(encoding="utf-8")
    assert f"- link #{link.issue} blocked by #{link.blocker_issue}: HTTP 422" in worklog
    mark = last_seq(sandbox)
    again = garden(sandbox, (outage(tmp_path),), tmp_path / "out")  # the next run makes the missing link
    assert [o.action.kind for o in again.report.outcomes] == ["link", "update"]
    assert all(o.ok for o in again.report.outcomes) and writes(sandbox, mark)


def test_persistent_server_errors_stop_after_a_few_steps_instead_of_hammering(sandbox, tmp_path):
    sandbox.inject({"status": 500}, method="POST", path=CREATE, times=100)
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    creates = [o for o in out.report.outcomes if o.action.kind == "create"]
    assert not any(o.ok for o in creates)
    assert creates[-1].error.startswith("not attempted: GitHub failed 3 steps in a row")
    tries = sum(1 for m, p, _ in writes(sandbox) if m == "POST" and p.endswith("/issues"))
    assert tries == 3 * FAST.max_attempts


def test_a_bad_token_is_one_clear_error(tmp_path):
    with Sandbox([REPO], token="the-right-token") as sb:
        sb.token = "a-wrong-token"
        with pytest.raises(TrackerError, match="refused the token"):
            garden(sb, (outage(tmp_path),), tmp_path / "out")


def test_pacing_keeps_writes_apart(sandbox, tmp_path):
    waits = Waits()
    policy = replace(FAST, write_interval_s=0.5)
    config = replace(Config(), github=policy)
    garden(sandbox, (outage(tmp_path),), tmp_path / "out", config=config, sleep=waits, pace=True)
    assert len(waits) >= len(writes(sandbox)) - 1 and all(0 < w <= 0.5 for w in waits)
    unpaced = Waits()  # on loopback (the sandbox) writes are not paced unless asked
    garden(sandbox, (outage(tmp_path, later_than_now(), "newer"),), tmp_path / "again", config=config, sleep=unpaced)
    assert unpaced == []
