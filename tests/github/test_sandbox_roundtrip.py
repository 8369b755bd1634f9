"""Acceptance: PyGithub drives the sandbox end to end, then finds everything again after a restart."""

from __future__ import annotations

from pathlib import Path

from gardener.sandbox import Sandbox
from tests.github.helpers import make_client

REPO = "octo/demo"


def test_pygithub_round_trip_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    with Sandbox((REPO,), state=state) as sb:
        gh = make_client(sb.url)
        repo = gh.get_repo(REPO)
        repo.create_label("bug", "d73a4a", "Something is broken")
        repo.create_label("flaky", "fbca04")
        created = [
            repo.create_issue(
                title=f"Failure {n}: {'ConnectionRefusedError' if n % 10 == 0 else 'AssertionError'} in test_{n}",
                body=f"Seen in run {n}.",
                labels=["bug"] if n % 3 == 0 else ["flaky"],
            )
            for n in range(1, 121)
        ]
        assert [i.number for i in created] == list(range(1, 121))
        assert len({i.id for i in created}) == 120

        everything = repo.get_issues(state="all")
        assert everything.totalCount == 120
        assert sorted(i.number for i in everything) == list(range(1, 121))  # walks 4 pages of 30

        target = repo.get_issue(7)
        target.create_comment("Reproduced locally.")
        target.edit(state="closed", state_reason="not_planned")
        assert (target.state, target.state_reason) == ("closed", "not_planned")
        assert target.closed_at is not None

        assert repo.get_issues(state="open").totalCount == 119
        assert [i.number for i in repo.get_issues(state="closed")] == [7]
        bugs = repo.get_issues(state="all", labels=[repo.get_label("bug")])
        assert sorted(i.number for i in bugs) == [n for n in range(1, 121) if n % 3 == 0]
        assert [i.number for i in repo.get_issues(state="closed", labels=["flaky"])] == [7]

        found = gh.search_issues("ConnectionRefusedError", repo=REPO, state="open")
        assert found.totalCount == 12
        assert sorted(i.number for i in found) == list(range(10, 121, 10))

        blocked, blocker = repo.get_issue(20), repo.get_issue(10)
        blocked.add_blocked_by(blocker)
        assert [i.number for i in repo.get_issue(20).get_blocked_by()] == [10]
        assert [i.number for i in repo.get_issue(10).get_blocking()] == [20]
        summary = repo.get_issue(20).issue_dependencies_summary
        assert (summary.blocked_by, summary.total_blocked_by) == (1, 1)

    with Sandbox((REPO,), state=state) as sb:
        gh = make_client(sb.url)
        repo = gh.get_repo(REPO)
        assert repo.get_issues(state="all").totalCount == 120
        again = repo.get_issue(7)
        assert (again.state, again.state_reason, again.comments) == ("closed", "not_planned", 1)
        assert [c.body for c in again.get_comments()] == ["Reproduced locally."]
        assert sorted(lb.name for lb in repo.get_labels()) == ["bug", "flaky"]
        assert [i.number for i in repo.get_issue(20).get_blocked_by()] == [10]
        assert gh.search_issues("ConnectionRefusedError", repo=REPO).totalCount == 12
        fresh = repo.create_issue(title="after restart")
        assert fresh.number == 121
        assert fresh.id > max(i.id for i in created)
