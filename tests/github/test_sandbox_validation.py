"""Refusals shaped like GitHub's: 422 with errors[], 404, 401, 400 for broken JSON."""

from __future__ import annotations

import socket
from typing import Any

import github
import pytest
from github.GithubException import BadCredentialsException, GithubException, UnknownObjectException

from gardener.sandbox import Sandbox
from tests.github.helpers import RawHttp, make_client

ISSUES = "/repos/octo/demo/issues"


def only_error(reply: Any) -> dict[str, Any]:
    assert reply.status == 422, reply.body
    assert reply.body["message"] == "Validation Failed"
    assert reply.body["documentation_url"] and reply.body["status"] == "422"
    (err,) = reply.body["errors"]
    return dict(err)


def test_title_and_body_limits(http: RawHttp) -> None:
    assert http("POST", ISSUES, {"title": "t" * 256, "body": "b" * 65_536}).status == 201
    assert only_error(http("POST", ISSUES, {"title": "t" * 257})) == {
        "resource": "Issue",
        "code": "custom",
        "field": "title",
        "message": "title is too long (maximum is 256 characters)",
    }
    err = only_error(http("POST", ISSUES, {"title": "ok", "body": "b" * 65_537}))
    assert (err["field"], err["message"]) == ("body", "body is too long (maximum is 65536 characters)")
    err = only_error(http("PATCH", f"{ISSUES}/1", {"body": "b" * 65_537}))
    assert err["field"] == "body"
    err = only_error(http("POST", f"{ISSUES}/1/comments", {"body": "c" * 65_537}))
    assert (err["resource"], err["field"]) == ("IssueComment", "body")


def test_missing_and_mistyped_fields(http: RawHttp) -> None:
    assert only_error(http("POST", ISSUES, {"body": "no title"}))["code"] == "missing_field"
    assert only_error(http("POST", ISSUES, {"title": "   "}))["code"] == "missing_field"
    assert http("POST", ISSUES, {"title": 42}).body["title"] == "42"  # the schema allows integer titles
    wrong = http("POST", ISSUES, {"title": ["a"]})
    assert wrong.status == 422 and wrong.body["message"].startswith("Invalid request.")
    assert http("POST", ISSUES, {"title": "x", "labels": "bug"}).status == 422
    assert only_error(http("PATCH", f"{ISSUES}/1", {"state": "resolved"}))["field"] == "state"
    assert only_error(http("PATCH", f"{ISSUES}/1", {"state_reason": "fixed"}))["field"] == "state_reason"
    assert only_error(http("POST", ISSUES, {"title": "x", "milestone": 1}))["field"] == "milestone"
    assert http("POST", f"{ISSUES}/1/comments", {}).status == 422
    assert http("POST", ISSUES, [1, 2]).status == 422


def test_broken_json_is_a_400(http: RawHttp) -> None:
    reply = http("POST", ISSUES, b"{not json")
    assert (reply.status, reply.body["message"]) == (400, "Problems parsing JSON")


def test_an_oversized_request_is_refused_without_reading_it(sandbox: Sandbox) -> None:
    host, port = sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            f"POST {ISSUES} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: token t\r\n"
            f"Content-Type: application/json\r\nContent-Length: {64 * 1024 * 1024}\r\n\r\n{{".encode()
        )
        status_line = conn.makefile("rb").readline()
    assert status_line.startswith(b"HTTP/1.1 413 ")


def test_not_found_shapes(http: RawHttp, repo: Any) -> None:
    for path in ("/repos/octo/nothing", f"{ISSUES}/5", "/repos/octo/demo/labels/nope", "/no/such/endpoint"):
        reply = http("GET", path)
        assert (reply.status, reply.body["message"], reply.body["status"]) == (404, "Not Found", "404")
    with pytest.raises(UnknownObjectException):
        repo.get_issue(5)


def test_writes_need_a_token_reads_do_not(sandbox: Sandbox, http: RawHttp) -> None:
    denied = http("POST", ISSUES, {"title": "anonymous"}, token=None)
    assert (denied.status, denied.body["message"]) == (401, "Requires authentication")
    assert http("GET", ISSUES, token=None).status == 200
    anonymous = github.Github(base_url=sandbox.url, retry=None)
    with pytest.raises(GithubException) as caught:
        anonymous.get_repo("octo/demo").create_issue(title="x")
    assert caught.value.status == 401


def test_a_configured_token_is_required_to_match_everywhere() -> None:
    with Sandbox(("octo/demo",), token="s3cret") as sb:
        http = RawHttp(sb.url, "s3cret")
        assert http("POST", ISSUES, {"title": "ok"}).status == 201
        for method, path in (("GET", ISSUES), ("GET", "/rate_limit"), ("GET", "/_sandbox/requests")):
            reply = http(method, path, token="wrong")
            assert (reply.status, reply.body["message"]) == (401, "Bad credentials")
        with pytest.raises(BadCredentialsException):
            make_client(sb.url, "wrong").get_repo("octo/demo")
        assert make_client(sb.url, "s3cret").get_repo("octo/demo").get_issue(1).title == "ok"
