"""Issue dependencies (blocked_by / blocking) and sub-issues."""

from __future__ import annotations

from typing import Any

from tests.github.helpers import RawHttp

BASE = "/repos/octo/demo/issues"


def make(http: RawHttp, title: str, repo: str = "octo/demo") -> dict[str, Any]:
    reply = http("POST", f"/repos/{repo}/issues", {"title": title})
    assert reply.status == 201
    return dict(reply.body)


def test_blocked_by_takes_the_rest_id_and_answers_with_the_blocker(http: RawHttp, base_url: str) -> None:
    blocked, blocker = make(http, "tests fail"), make(http, "docker build fails")
    reply = http("POST", f"{BASE}/1/dependencies/blocked_by", {"issue_id": blocker["id"]})
    assert reply.status == 201
    assert reply.body["number"] == blocker["number"]
    assert reply.headers["location"] == f"{base_url}{BASE}/1/dependencies/blocked_by"
    assert [i["number"] for i in http("GET", f"{BASE}/1/dependencies/blocked_by").body] == [2]
    assert [i["number"] for i in http("GET", f"{BASE}/2/dependencies/blocking").body] == [1]
    assert http("GET", f"{BASE}/1").body["issue_dependencies_summary"] == {
        "blocked_by": 1, "blocking": 0, "total_blocked_by": 1, "total_blocking": 0,
    }  # fmt: skip
    assert http("GET", f"{BASE}/2").body["issue_dependencies_summary"]["blocking"] == 1
    # the number is not the id: a client that mixes them up is told so
    assert http("POST", f"{BASE}/1/dependencies/blocked_by", {"issue_id": blocker["number"]}).status == 422
    assert blocked["id"] != blocked["number"]


def test_self_links_duplicates_and_bad_bodies_are_refused(http: RawHttp) -> None:
    one, two = make(http, "one"), make(http, "two")
    link = f"{BASE}/1/dependencies/blocked_by"
    assert http("POST", link, {"issue_id": one["id"]}).status == 422
    assert http("POST", link, {"issue_id": two["id"]}).status == 201
    duplicate = http("POST", link, {"issue_id": two["id"]})
    assert duplicate.status == 422 and duplicate.body["message"] == "Validation Failed"
    assert http("POST", link, {"issue_id": str(two["id"])}).status == 422  # a string id, as `gh -f` sends
    assert http("POST", link, {}).status == 422
    assert http("POST", f"{BASE}/99/dependencies/blocked_by", {"issue_id": two["id"]}).status == 404


def test_summary_counts_open_blockers_and_removal_unlinks(http: RawHttp) -> None:
    make(http, "blocked")
    first, second = make(http, "first"), make(http, "second")
    for blocker in (first, second):
        http("POST", f"{BASE}/1/dependencies/blocked_by", {"issue_id": blocker["id"]})
    http("PATCH", f"{BASE}/2", {"state": "closed"})
    summary = http("GET", f"{BASE}/1").body["issue_dependencies_summary"]
    assert (summary["blocked_by"], summary["total_blocked_by"]) == (1, 2)
    assert [i["state"] for i in http("GET", f"{BASE}/1/dependencies/blocked_by").body] == ["closed", "open"]
    removed = http("DELETE", f"{BASE}/1/dependencies/blocked_by/{first['id']}")
    assert (removed.status, removed.body["number"]) == (200, 2)
    assert [i["number"] for i in http("GET", f"{BASE}/1/dependencies/blocked_by").body] == [3]
    assert http("GET", f"{BASE}/2/dependencies/blocking").body == []
    assert http("DELETE", f"{BASE}/1/dependencies/blocked_by/{first['id']}").status == 404


def test_dependencies_may_cross_repositories(http: RawHttp) -> None:
    make(http, "here")
    elsewhere = make(http, "there", repo="octo/other")
    assert http("POST", f"{BASE}/1/dependencies/blocked_by", {"issue_id": elsewhere["id"]}).status == 201
    blocking = http("GET", "/repos/octo/other/issues/1/dependencies/blocking").body
    assert [(i["repository_url"].rsplit("/", 1)[1], i["number"]) for i in blocking] == [("demo", 1)]


def test_pygithub_dependency_methods(repo: Any) -> None:
    blocked, blocker = repo.create_issue(title="a"), repo.create_issue(title="b")
    blocked.add_blocked_by(blocker)
    assert [i.number for i in repo.get_issue(1).get_blocked_by()] == [2]
    repo.get_issue(1).remove_blocked_by(blocker)
    assert repo.get_issue(1).get_blocked_by().totalCount == 0


def test_sub_issues(repo: Any, http: RawHttp, base_url: str) -> None:
    parent, child, other = (repo.create_issue(title=t) for t in ("epic", "task", "other"))
    parent.add_sub_issue(child)
    parent.add_sub_issue(other.id)
    assert [i.number for i in parent.get_sub_issues()] == [2, 3]
    assert http("GET", f"{BASE}/2").body["parent_issue_url"] == f"{base_url}{BASE}/1"
    assert http("GET", f"{BASE}/2/parent").body["number"] == 1
    assert http("GET", f"{BASE}/1/parent").status == 404
    child.edit(state="closed")
    assert http("GET", f"{BASE}/1").body["sub_issues_summary"] == {"total": 2, "completed": 1, "percent_completed": 50}
    moved = http("PATCH", f"{BASE}/1/sub_issues/priority", {"sub_issue_id": other.id, "before_id": child.id})
    assert moved.status == 200
    assert [i.number for i in parent.get_sub_issues()] == [3, 2]
    parent.remove_sub_issue(child)
    assert [i.number for i in parent.get_sub_issues()] == [3]
    assert http("GET", f"{BASE}/2").body["parent_issue_url"] is None


def test_sub_issue_rules(http: RawHttp) -> None:
    a, b, c = make(http, "a"), make(http, "b"), make(http, "c")
    add = f"{BASE}/1/sub_issues"
    assert http("POST", add, {"sub_issue_id": a["id"]}).status == 422  # itself
    assert http("POST", add, {"sub_issue_id": b["id"]}).status == 201
    assert http("POST", add, {"sub_issue_id": b["id"]}).status == 422  # twice
    assert http("POST", f"{BASE}/3/sub_issues", {"sub_issue_id": b["id"]}).status == 422  # has a parent
    moved = http("POST", f"{BASE}/3/sub_issues", {"sub_issue_id": b["id"], "replace_parent": True})
    assert moved.status == 201
    assert http("GET", f"{BASE}/1/sub_issues").body == []
    assert http("POST", f"{BASE}/2/sub_issues", {"sub_issue_id": c["id"]}).status == 422  # a cycle
    assert http("DELETE", f"{BASE}/1/sub_issue", {"sub_issue_id": b["id"]}).status == 404
