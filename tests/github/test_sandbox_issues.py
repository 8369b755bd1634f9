"""Issue behaviour through PyGithub: updates, state changes, list filters and sorting, pagination, comments."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.github.helpers import RawHttp

ISSUES = "/repos/octo/demo/issues"


def test_update_replaces_title_body_labels_and_assignees(repo: Any) -> None:
    issue = repo.create_issue(title="t", body="b", labels=["a", "b"], assignees=["alice", "bob"])
    assert [lb.name for lb in issue.labels] == ["a", "b"]
    assert [u.login for u in issue.assignees] == ["alice", "bob"]
    issue.edit(labels=["c"], assignees=[], title="renamed", body="new body")
    again = repo.get_issue(issue.number)
    assert [lb.name for lb in again.labels] == ["c"]
    assert again.assignees == []
    assert (again.title, again.body) == ("renamed", "new body")
    assert sorted(lb.name for lb in repo.get_labels()) == ["a", "b", "c"]  # auto-created, kept


def test_close_and_reopen_set_and_clear_the_closing_fields(repo: Any) -> None:
    issue = repo.create_issue(title="t")
    assert (issue.state, issue.state_reason, issue.closed_at, issue.closed_by) == ("open", None, None, None)
    issue.edit(state="closed")
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert issue.closed_at is not None and issue.closed_by.login == "gardener-bot"
    issue.edit(state_reason="not_planned")
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    issue.edit(state="open")
    assert (issue.state, issue.state_reason, issue.closed_at, issue.closed_by) == ("open", "reopened", None, None)


def test_list_filters(repo: Any, http: RawHttp) -> None:
    a = repo.create_issue(title="a", labels=["Bug", "ui"], assignees=["alice"])
    b = repo.create_issue(title="b", labels=["bug"])
    c = repo.create_issue(title="c")
    c.edit(state="closed")

    def numbers(query: str) -> list[int]:
        reply = http("GET", f"{ISSUES}?{query}")
        assert reply.status == 200, reply.body
        return [i["number"] for i in reply.body]

    assert numbers("") == [b.number, a.number]  # open, newest first
    assert numbers("state=all&direction=asc") == [a.number, b.number, c.number]
    assert numbers("state=closed") == [c.number]
    assert numbers("labels=bug") == [b.number, a.number]  # label names are case-insensitive
    assert numbers("labels=bug,UI") == [a.number]  # all must be present
    assert numbers("labels=nope") == []
    assert numbers("assignee=alice") == [a.number]
    assert numbers("assignee=none&state=all") == [c.number, b.number]
    assert numbers("assignee=*") == [a.number]
    assert numbers("creator=gardener-bot&state=all") == [c.number, b.number, a.number]
    assert numbers("creator=someone-else") == []
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(f"since={future}") == []
    assert numbers("since=2000-01-01T00:00:00Z&state=all") == [c.number, b.number, a.number]
    assert http("GET", f"{ISSUES}?state=maybe").status == 422
    assert http("GET", f"{ISSUES}?since=yesterday").status == 422


def test_sort_by_comments_and_updated(repo: Any, http: RawHttp) -> None:
    quiet, busy = repo.create_issue(title="quiet"), repo.create_issue(title="busy")
    for _ in range(2):
        busy.create_comment("again")
    by_comments = http("GET", f"{ISSUES}?sort=comments").body
    assert [i["number"] for i in by_comments] == [busy.number, quiet.number]
    time.sleep(1.01)  # timestamps have one-second resolution, as on GitHub
    quiet.edit(body="touched")
    by_update = http("GET", f"{ISSUES}?sort=updated").body
    assert [i["number"] for i in by_update] == [quiet.number, busy.number]


def test_pagination_links_and_per_page_cap(repo: Any, http: RawHttp, base_url: str) -> None:
    for n in range(5):
        repo.create_issue(title=f"i{n}")
    first = http("GET", f"{ISSUES}?per_page=2&state=open")
    assert len(first.body) == 2
    assert first.headers["link"] == (
        f'<{base_url}{ISSUES}?per_page=2&state=open&page=2>; rel="next", '
        f'<{base_url}{ISSUES}?per_page=2&state=open&page=3>; rel="last"'
    )
    middle = http("GET", f"{ISSUES}?per_page=2&page=2")
    assert [rel.split("rel=")[1] for rel in middle.headers["link"].split(", ")] == [
        '"prev"',
        '"next"',
        '"last"',
        '"first"',
    ]
    last = http("GET", f"{ISSUES}?per_page=2&page=3")
    assert len(last.body) == 1 and 'rel="next"' not in last.headers["link"]
    assert http("GET", f"{ISSUES}?per_page=2&page=9").body == []
    assert "link" not in http("GET", ISSUES).headers  # one page: no Link, as on GitHub
    for n in range(120):
        http("POST", ISSUES, {"title": f"bulk {n}"})
    assert len(http("GET", f"{ISSUES}?per_page=500").body) == 100


def test_comments_count_edit_and_delete(repo: Any) -> None:
    issue = repo.create_issue(title="t")
    first = issue.create_comment("one")
    issue.create_comment("two")
    assert repo.get_issue(issue.number).comments == 2
    first.edit("one, edited")
    assert [c.body for c in issue.get_comments()] == ["one, edited", "two"]
    assert issue.get_comment(first.id).body == "one, edited"
    first.delete()
    assert [c.body for c in issue.get_comments()] == ["two"]
    assert repo.get_issue(issue.number).comments == 1
    assert first.html_url.endswith(f"/octo/demo/issues/{issue.number}#issuecomment-{first.id}")


def test_every_url_points_at_the_sandbox(repo: Any, http: RawHttp, base_url: str) -> None:
    repo.create_issue(title="t", labels=["x"], assignees=["alice"]).create_comment("c")

    def urls(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [u for k, v in node.items() for u in ([v] if k.endswith("url") and v else urls(v))]
        if isinstance(node, list):
            return [u for v in node for u in urls(v)]
        return []

    found = [
        *urls(http("GET", f"{ISSUES}/1").body),
        *urls(http("GET", f"{ISSUES}/1/comments").body),
        *urls(http("GET", "/repos/octo/demo").body),
    ]
    assert len(found) > 50
    assert all(u.startswith(base_url + "/") for u in found), [u for u in found if not u.startswith(base_url)]
