"""Repository labels and labels on issues, through PyGithub and raw HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from github.GithubException import GithubException

from tests.github.helpers import RawHttp

LABELS = "/repos/octo/demo/labels"


def test_create_get_update_delete(repo: Any) -> None:
    label = repo.create_label("needs triage", "#FBCA04", "Waiting for a human")
    assert (label.name, label.color, label.description) == ("needs triage", "fbca04", "Waiting for a human")
    assert repo.get_label("Needs Triage").id == label.id  # names are case-insensitive
    issue = repo.create_issue(title="t", labels=["needs triage"])
    label.edit("triage", "0e8a16", "renamed")
    assert [lb.name for lb in repo.get_issue(issue.number).labels] == ["triage"]  # issues follow a rename
    repo.get_label("triage").delete()
    assert repo.get_issue(issue.number).labels == []
    assert list(repo.get_labels()) == []


def test_duplicate_and_invalid_labels_are_refused(repo: Any, http: RawHttp) -> None:
    repo.create_label("bug", "d73a4a")
    with pytest.raises(GithubException) as caught:
        repo.create_label("BUG", "000000")
    assert caught.value.status == 422
    assert caught.value.data["errors"] == [{"resource": "Label", "code": "already_exists", "field": "name"}]
    assert http("POST", LABELS, {"name": "x", "color": "red"}).body["errors"][0]["field"] == "color"
    too_long = http("POST", LABELS, {"name": "n" * 51}).body["errors"][0]
    assert too_long["message"] == "name is too long (maximum is 50 characters)"
    assert http("POST", LABELS, {"name": "x", "description": "d" * 101}).status == 422
    assert http("POST", LABELS, {"color": "ffffff"}).status == 422
    repo.create_label("other", "ffffff")
    assert http("PATCH", f"{LABELS}/other", {"new_name": "Bug"}).status == 422


def test_labelling_an_issue_with_an_overlong_name_is_refused_like_github(http: RawHttp) -> None:
    name = "failing-test-infrastructure-P0-docker-build-failure"  # 51 characters
    reply = http("POST", "/repos/octo/demo/issues", {"title": "t", "labels": [name]})
    assert reply.status == 422
    assert reply.body["errors"] == [{"value": name, "resource": "Label", "field": "name", "code": "invalid"}]
    assert http("GET", "/repos/octo/demo/issues?state=all").body == []  # and nothing was half-created
    assert http("GET", LABELS).body == []


def test_add_set_remove_labels_on_an_issue(repo: Any, http: RawHttp) -> None:
    issue = repo.create_issue(title="t")
    issue.add_to_labels("a", "b")
    issue.add_to_labels("B", "c")  # already there (any case) is not added twice
    assert [lb.name for lb in issue.get_labels()] == ["a", "b", "c"]
    issue.remove_from_labels("b")
    assert [lb.name for lb in issue.get_labels()] == ["a", "c"]
    with pytest.raises(GithubException) as caught:
        issue.remove_from_labels("b")
    assert (caught.value.status, caught.value.data["message"]) == (404, "Label does not exist")
    issue.set_labels("z")
    assert [lb.name for lb in issue.get_labels()] == ["z"]
    assert http("POST", f"/repos/octo/demo/issues/{issue.number}/labels", {"labels": ["y"]}).status == 200
    issue.delete_labels()
    assert list(issue.get_labels()) == []
    assert sorted(lb.name for lb in repo.get_labels()) == ["a", "b", "c", "y", "z"]


def test_label_names_with_spaces_and_slashes_round_trip(repo: Any, http: RawHttp) -> None:
    issue = repo.create_issue(title="t", labels=["area/ci", "needs triage"])
    assert repo.get_label("area/ci").name == "area/ci"  # PyGithub escapes "/" here...
    issue.remove_from_labels("needs triage")
    # ...but not in Issue.remove_from_labels, so a slashed name must go out as %2F
    assert http("DELETE", f"/repos/octo/demo/issues/{issue.number}/labels/area%2Fci").body == []
    assert repo.get_issue(issue.number).labels == []
