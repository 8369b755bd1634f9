"""GET a commit and compare two commits, answered from a runs folder's commits.json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gardener.sandbox import Sandbox
from tests.github import actions_world as w
from tests.github.helpers import RawHttp

BASE = "/repos/octo/demo"


@pytest.fixture
def api(tmp_path: Path) -> Iterator[RawHttp]:
    with Sandbox(("octo/demo",), runs=w.write_runs(tmp_path)) as sb:
        yield RawHttp(sb.url, sb.token)


def test_a_commit_by_sha_or_prefix(api: RawHttp) -> None:
    full = api("GET", f"{BASE}/commits/{w.BAD_SHA}")
    assert full.status == 200
    c = full.body
    assert (c["sha"], c["commit"]["message"], c["author"]) == (w.BAD_SHA, "Bump the base image\n\nIt moved.", None)
    assert c["commit"]["author"] == {"name": "Cid", "email": "cid@example.com", "date": "2026-12-01T09:00:00Z"}
    assert [p["sha"] for p in c["parents"]] == [w.GOOD_SHA]
    assert [(f["filename"], f["status"], f["changes"]) for f in c["files"]] == [
        ("Dockerfile", "modified", 2),
        ("api.py", "modified", 3),
    ]
    assert c["stats"] == {"additions": 3, "deletions": 2, "total": 5}
    assert api("GET", f"{BASE}/commits/{w.BAD_SHA[:7].upper()}").body["sha"] == w.BAD_SHA
    assert api("GET", f"{BASE}/commits/{w.GOOD_SHA}").body["author"]["login"] == "bob"
    missing = api("GET", f"{BASE}/commits/{'e' * 40}")
    assert missing.status == 422 and missing.body["message"].startswith("No commit found for SHA")


def test_compare_ahead_walks_parents(api: RawHttp) -> None:
    reply = api("GET", f"{BASE}/compare/{w.ROOT_SHA}...{w.BAD_SHA}")
    assert reply.status == 200
    cmp = reply.body
    assert (cmp["status"], cmp["ahead_by"], cmp["behind_by"], cmp["total_commits"]) == ("ahead", 2, 0, 2)
    assert [c["sha"] for c in cmp["commits"]] == [w.GOOD_SHA, w.BAD_SHA]  # oldest first
    assert [f["filename"] for f in cmp["files"]] == ["Dockerfile", "api.py"]  # each file once, as last changed
    assert cmp["base_commit"]["sha"] == w.ROOT_SHA and cmp["merge_base_commit"]["sha"] == w.ROOT_SHA
    assert cmp["html_url"].endswith(f"/octo/demo/compare/{w.ROOT_SHA}...{w.BAD_SHA}")


def test_compare_behind_diverged_and_identical(api: RawHttp) -> None:
    behind = api("GET", f"{BASE}/compare/{w.BAD_SHA}...{w.ROOT_SHA}").body
    assert (behind["status"], behind["ahead_by"], behind["behind_by"], behind["commits"]) == ("behind", 0, 2, [])
    diverged = api("GET", f"{BASE}/compare/{w.SIDE_SHA}...{w.BAD_SHA}").body
    assert (diverged["status"], diverged["ahead_by"], diverged["behind_by"]) == ("diverged", 1, 1)
    assert diverged["merge_base_commit"]["sha"] == w.GOOD_SHA
    same = api("GET", f"{BASE}/compare/{w.GOOD_SHA}...{w.GOOD_SHA}").body
    assert (same["status"], same["ahead_by"], same["behind_by"], same["files"]) == ("identical", 0, 0, [])


def test_compare_pages_its_commits(api: RawHttp) -> None:
    first = api("GET", f"{BASE}/compare/{w.ROOT_SHA}...{w.BAD_SHA}?per_page=1")
    assert [c["sha"] for c in first.body["commits"]] == [w.GOOD_SHA] and first.body["total_commits"] == 2
    assert 'rel="next"' in first.headers["link"]
    second = api("GET", f"{BASE}/compare/{w.ROOT_SHA}...{w.BAD_SHA}?per_page=1&page=2")
    assert [c["sha"] for c in second.body["commits"]] == [w.BAD_SHA]


def test_compare_unknown_or_unrelated(api: RawHttp) -> None:
    assert api("GET", f"{BASE}/compare/{w.ROOT_SHA}...{'e' * 40}").status == 404
    assert api("GET", f"{BASE}/compare/{w.ROOT_SHA}..{w.BAD_SHA}").status == 404
    api("POST", "/_sandbox/runs", {"commits": [{"sha": "f" * 40, "parents": [], "message": "orphan"}]})
    unrelated = api("GET", f"{BASE}/compare/{'f' * 40}...{w.BAD_SHA}")
    assert unrelated.status == 404 and unrelated.body["message"].startswith("No common ancestor")


def test_a_branch_name_means_the_head_of_its_newest_run(api: RawHttp) -> None:
    assert api("GET", f"{BASE}/commits/main").body["sha"] == w.BAD_SHA
    cmp = api("GET", f"{BASE}/compare/release/1.0...main").body  # branch names may hold slashes
    assert (cmp["status"], cmp["ahead_by"], [c["sha"] for c in cmp["commits"]]) == ("ahead", 1, [w.BAD_SHA])
    assert api("GET", f"{BASE}/commits/no-such-branch").status == 422
