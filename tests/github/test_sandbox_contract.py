"""Contract: real sandbox responses validate against GitHub's official OpenAPI description.

Each call goes over HTTP and its body is checked against the schema the description documents for that
operation and status (OpenAPI 3.0 semantics, so `nullable` is honoured).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.github.helpers import RawHttp, component_errors, schema_errors

R = "/repos/{owner}/{repo}"
I = f"{R}/issues/{{issue_number}}"  # noqa: E741 - the issue path template, as in the description
BASE = "/repos/octo/demo"


@pytest.fixture
def world(http: RawHttp) -> dict[str, Any]:
    """Issues in every interesting state: labelled, assigned, bodiless, closed, linked, nested."""
    assert http("POST", f"{BASE}/labels", {"name": "bug", "color": "d73a4a", "description": "Broken"}).status == 201
    first = http(
        "POST",
        f"{BASE}/issues",
        {
            "title": "Timeout in test_a",
            "body": "connection timed out",
            "labels": ["bug", "needs triage"],
            "assignees": ["alice"],
        },
    ).body
    second = http("POST", f"{BASE}/issues", {"title": "Docker build failed"}).body
    third = http("POST", f"{BASE}/issues", {"title": "Sub task", "body": "part of it"}).body
    http("PATCH", f"{BASE}/issues/3", {"state": "closed", "state_reason": "completed"})
    http("POST", f"{BASE}/issues/1/comments", {"body": "Seen again"})
    return {"first": first, "second": second, "third": third}


def check(spec: dict[str, Any], method: str, template: str, status: int, reply: Any) -> None:
    assert reply.status == status, reply.body
    errors = schema_errors(spec, method, template, status, reply.body)
    assert errors == [], f"{method} {template} {status}: {errors[:5]}"


def test_issue_endpoints_match_the_schemas(openapi_spec: dict[str, Any], http: RawHttp, world: dict[str, Any]) -> None:
    check(openapi_spec, "POST", f"{R}/issues", 201, http("POST", f"{BASE}/issues", {"title": "New"}))
    check(openapi_spec, "GET", f"{R}/issues", 200, http("GET", f"{BASE}/issues?state=all"))
    check(openapi_spec, "GET", I, 200, http("GET", f"{BASE}/issues/1"))
    check(openapi_spec, "GET", I, 200, http("GET", f"{BASE}/issues/3"))  # closed: closed_at, closed_by set
    patched = http("PATCH", f"{BASE}/issues/2", {"state": "closed", "state_reason": "not_planned", "body": None})
    check(openapi_spec, "PATCH", I, 200, patched)
    assert patched.body["body"] is None and patched.body["closed_by"]["login"]


def test_comment_and_label_endpoints_match_the_schemas(
    openapi_spec: dict[str, Any], http: RawHttp, world: dict[str, Any]
) -> None:
    created = http("POST", f"{BASE}/issues/1/comments", {"body": "Another"})
    check(openapi_spec, "POST", f"{I}/comments", 201, created)
    check(openapi_spec, "GET", f"{I}/comments", 200, http("GET", f"{BASE}/issues/1/comments"))
    comment = f"{R}/issues/comments/{{comment_id}}"
    check(openapi_spec, "GET", comment, 200, http("GET", f"{BASE}/issues/comments/{created.body['id']}"))
    edited = http("PATCH", f"{BASE}/issues/comments/{created.body['id']}", {"body": "Edited"})
    check(openapi_spec, "PATCH", comment, 200, edited)

    check(openapi_spec, "POST", f"{R}/labels", 201, http("POST", f"{BASE}/labels", {"name": "infra"}))
    check(openapi_spec, "GET", f"{R}/labels", 200, http("GET", f"{BASE}/labels"))
    check(openapi_spec, "GET", f"{R}/labels/{{name}}", 200, http("GET", f"{BASE}/labels/needs%20triage"))
    renamed = http("PATCH", f"{BASE}/labels/infra", {"new_name": "infrastructure", "color": "#0e8a16"})
    check(openapi_spec, "PATCH", f"{R}/labels/{{name}}", 200, renamed)
    check(openapi_spec, "GET", f"{I}/labels", 200, http("GET", f"{BASE}/issues/2/labels"))
    check(openapi_spec, "POST", f"{I}/labels", 200, http("POST", f"{BASE}/issues/2/labels", {"labels": ["bug"]}))
    check(openapi_spec, "PUT", f"{I}/labels", 200, http("PUT", f"{BASE}/issues/2/labels", ["infrastructure"]))
    check(openapi_spec, "DELETE", f"{I}/labels/{{name}}", 200, http("DELETE", f"{BASE}/issues/1/labels/bug"))


def test_search_result_matches_the_schema(openapi_spec: dict[str, Any], http: RawHttp, world: dict[str, Any]) -> None:
    reply = http("GET", "/search/issues?q=timed+repo:octo/demo+is:issue")
    check(openapi_spec, "GET", "/search/issues", 200, reply)
    assert reply.body["total_count"] == 1 and reply.body["search_type"] == "lexical"
    empty = http("GET", "/search/issues?q=nothing+like+this")
    check(openapi_spec, "GET", "/search/issues", 200, empty)


def test_dependency_and_sub_issue_endpoints_match_the_schemas(
    openapi_spec: dict[str, Any], http: RawHttp, world: dict[str, Any]
) -> None:
    deps = f"{I}/dependencies"
    added = http("POST", f"{BASE}/issues/1/dependencies/blocked_by", {"issue_id": world["second"]["id"]})
    check(openapi_spec, "POST", f"{deps}/blocked_by", 201, added)
    check(openapi_spec, "GET", f"{deps}/blocked_by", 200, http("GET", f"{BASE}/issues/1/dependencies/blocked_by"))
    check(openapi_spec, "GET", f"{deps}/blocking", 200, http("GET", f"{BASE}/issues/2/dependencies/blocking"))
    removed = http("DELETE", f"{BASE}/issues/1/dependencies/blocked_by/{world['second']['id']}")
    check(openapi_spec, "DELETE", f"{deps}/blocked_by/{{issue_id}}", 200, removed)

    subs = f"{I}/sub_issues"
    check(
        openapi_spec,
        "POST",
        subs,
        201,
        http("POST", f"{BASE}/issues/1/sub_issues", {"sub_issue_id": world["third"]["id"]}),
    )
    http("POST", f"{BASE}/issues/1/sub_issues", {"sub_issue_id": world["second"]["id"]})
    check(openapi_spec, "GET", subs, 200, http("GET", f"{BASE}/issues/1/sub_issues"))
    check(openapi_spec, "GET", f"{I}/parent", 200, http("GET", f"{BASE}/issues/3/parent"))
    moved = http(
        "PATCH",
        f"{BASE}/issues/1/sub_issues/priority",
        {"sub_issue_id": world["second"]["id"], "before_id": world["third"]["id"]},
    )
    check(openapi_spec, "PATCH", f"{subs}/priority", 200, moved)
    check(
        openapi_spec,
        "DELETE",
        f"{I}/sub_issue",
        200,
        http("DELETE", f"{BASE}/issues/1/sub_issue", {"sub_issue_id": world["third"]["id"]}),
    )


def test_repository_rate_limit_and_error_bodies_match_the_schemas(openapi_spec: dict[str, Any], http: RawHttp) -> None:
    check(openapi_spec, "GET", R, 200, http("GET", BASE))
    check(openapi_spec, "GET", "/rate_limit", 200, http("GET", "/rate_limit"))
    check(openapi_spec, "GET", f"{R}/issue-types", 200, http("GET", f"{BASE}/issue-types"))
    check(openapi_spec, "GET", I, 404, http("GET", f"{BASE}/issues/999"))
    check(openapi_spec, "POST", f"{R}/issues", 422, http("POST", f"{BASE}/issues", {"title": "x" * 257}))
    check(
        openapi_spec,
        "POST",
        f"{R}/labels",
        422,
        http("POST", f"{BASE}/labels", {"name": "bug"}) and http("POST", f"{BASE}/labels", {"name": "bug"}),
    )
    check(openapi_spec, "GET", "/search/issues", 422, http("GET", "/search/issues?q=repo:nobody/nothing"))
    anonymous = http("POST", f"{BASE}/issues", {"title": "x"}, token=None)
    assert anonymous.status == 401
    assert component_errors(openapi_spec, "basic-error", anonymous.body) == []


def test_the_validator_rejects_a_response_that_breaks_the_contract(
    openapi_spec: dict[str, Any], http: RawHttp, world: dict[str, Any]
) -> None:
    issue = http("GET", f"{BASE}/issues/1").body
    assert schema_errors(openapi_spec, "GET", I, 200, issue) == []
    missing_key = {k: v for k, v in issue.items() if k != "html_url"}
    wrong_type = {**issue, "number": "1"}
    not_nullable = {**issue, "title": None}
    for broken in (missing_key, wrong_type, not_nullable):
        assert schema_errors(openapi_spec, "GET", I, 200, broken) != []
    search = http("GET", "/search/issues?q=timed").body
    assert schema_errors(openapi_spec, "GET", "/search/issues", 200, {**search, "search_type": "fuzzy"}) != []
