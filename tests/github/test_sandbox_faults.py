"""Fault injection as PyGithub experiences it, the admin endpoints, and the request log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import github
import pytest
import requests
from github import GithubRetry
from github.GithubException import GithubException, RateLimitExceededException

from gardener.sandbox import Sandbox
from tests.github.helpers import RawHttp

REPO = "octo/demo"
ISSUES = r"/issues$"


def quick_retry(**options: Any) -> GithubRetry:
    options.setdefault("total", 3)
    options.setdefault("backoff_factor", 0.01)
    return GithubRetry(**options)


def test_secondary_rate_limit_surfaces_as_pygithubs_rate_limit_exception(sandbox: Sandbox, repo: Any) -> None:
    sandbox.inject({"kind": "secondary_rate_limit", "retry_after": 7}, method="POST", path=ISSUES)
    with pytest.raises(RateLimitExceededException) as caught:
        repo.create_issue(title="too fast")
    assert caught.value.status == 403
    assert caught.value.headers["retry-after"] == "7"
    assert caught.value.data["message"].startswith("You have exceeded a secondary rate limit")
    assert repo.get_issues(state="all").totalCount == 0  # the refused request changed nothing
    assert repo.create_issue(title="later").number == 1  # one use only


def test_a_retrying_client_rides_out_502s(sandbox: Sandbox, client_for: Callable[..., github.Github]) -> None:
    sandbox.inject({"status": 502}, method="POST", path=ISSUES, times=2)
    repo = client_for(retry=quick_retry()).get_repo(REPO)
    issue = repo.create_issue(title="eventually")
    assert issue.number == 1
    assert sandbox.count("POST", ISSUES) == 3
    assert [r.status for r in sandbox.requests() if r.method == "POST"] == [502, 502, 201]


def test_without_retries_a_502_is_an_error(sandbox: Sandbox, repo: Any) -> None:
    sandbox.inject({"status": 502}, method="POST", path=ISSUES)
    with pytest.raises(GithubException) as caught:
        repo.create_issue(title="x")
    assert caught.value.status == 502


def test_a_retrying_client_honours_retry_after(sandbox: Sandbox, client_for: Callable[..., github.Github]) -> None:
    sandbox.inject({"kind": "secondary_rate_limit", "retry_after": 1}, method="POST", path=ISSUES)
    repo = client_for(retry=quick_retry(secondary_rate_wait=60)).get_repo(REPO)
    assert repo.create_issue(title="after retry-after").number == 1  # waited 1 s (header), not 60 s
    assert [r.status for r in sandbox.requests() if r.method == "POST"] == [403, 201]


def test_secondary_rate_limit_without_retry_after_is_retried_after_the_configured_wait(
    sandbox: Sandbox, client_for: Callable[..., github.Github]
) -> None:
    sandbox.inject({"kind": "secondary_rate_limit", "retry_after": None}, method="POST", path=ISSUES)
    repo = client_for(retry=quick_retry(secondary_rate_wait=0.05)).get_repo(REPO)
    assert repo.create_issue(title="after waiting").number == 1
    assert [r.fault for r in sandbox.requests() if r.method == "POST"] == ["secondary_rate_limit", None]


def test_primary_exhaustion_carries_remaining_zero_and_a_reset_time(
    sandbox: Sandbox, repo: Any, client_for: Callable[..., github.Github]
) -> None:
    sandbox.inject({"kind": "rate_limit_exhausted", "reset_in": 30}, method="GET", path=ISSUES)
    with pytest.raises(RateLimitExceededException) as caught:
        list(repo.get_issues())
    assert caught.value.headers["x-ratelimit-remaining"] == "0"
    assert caught.value.data["message"].startswith("API rate limit exceeded")

    sandbox.inject({"kind": "rate_limit_exhausted", "reset_in": 30}, method="GET", path=ISSUES)
    patient = client_for(retry=quick_retry(max_rate_limit_wait=5)).get_repo(REPO)
    with pytest.raises(github.RateLimitExceededExceedsMaxWait) as waited:
        list(patient.get_issues())
    assert 30 <= waited.value.wait <= 32  # PyGithub computed the wait from our x-ratelimit-reset


def test_a_dropped_connection_is_an_error_or_a_retry(
    sandbox: Sandbox, repo: Any, client_for: Callable[..., github.Github]
) -> None:
    sandbox.inject({"kind": "drop"}, method="GET", path=r"/issues/1$")
    repo.create_issue(title="one")
    with pytest.raises(requests.exceptions.ConnectionError):
        repo.get_issue(1)
    sandbox.inject({"kind": "drop"}, method="GET", path=r"/issues/1$")
    assert client_for(retry=quick_retry()).get_repo(REPO).get_issue(1).title == "one"
    assert [r.status for r in sandbox.requests() if r.path.endswith("/issues/1")] == [0, 0, 200]


def test_a_delay_answers_normally(sandbox: Sandbox, repo: Any) -> None:
    repo.create_issue(title="slow to list")
    sandbox.inject({"kind": "delay", "seconds": 0.05}, method="GET", path=ISSUES)
    assert [i.title for i in repo.get_issues()] == ["slow to list"]
    last = sandbox.requests()[-1]
    assert (last.method, last.path, last.status, last.fault) == ("GET", "/repos/octo/demo/issues", 200, "delay")


def test_status_faults_look_like_githubs(sandbox: Sandbox, http: RawHttp) -> None:
    for status in (500, 503):
        sandbox.inject({"status": status})
        reply = http("GET", "/repos/octo/demo")
        assert reply.status == status and reply.body["message"] in ("Server Error", "Service Unavailable")
    sandbox.inject({"status": 429, "retry_after": 3})
    reply = http("GET", "/repos/octo/demo")
    assert (reply.status, reply.headers["retry-after"]) == (429, "3")
    assert reply.body["message"].startswith("You have exceeded a secondary rate limit")
    assert "x-ratelimit-remaining" in reply.headers


def test_rules_match_method_and_path_and_run_out(sandbox: Sandbox, http: RawHttp) -> None:
    sandbox.inject({"status": 500}, method="POST", path=ISSUES, times=2)
    assert http("GET", "/repos/octo/demo/issues").status == 200  # wrong method
    assert http("POST", "/repos/octo/demo/labels", {"name": "x"}).status == 201  # wrong path
    statuses = [http("POST", "/repos/octo/demo/issues", {"title": "t"}).status for _ in range(3)]
    assert statuses == [500, 500, 201]


def test_admin_endpoints_inject_log_and_reset_without_spending_budget(http: RawHttp) -> None:
    rule = {"match": {"method": "GET", "path": "/repos/octo/demo$"}, "times": 1, "fault": {"status": 503}}
    added = http("POST", "/_sandbox/faults", rule)
    assert added.status == 201 and added.body["pending"][0]["times"] == 1
    used_before = http("GET", "/rate_limit").body["resources"]["core"]["used"]
    assert http("GET", "/repos/octo/demo").status == 503
    assert http("GET", "/repos/octo/demo").status == 200
    log = http("GET", "/_sandbox/requests").body["requests"]
    assert [(r["method"], r["path"], r["status"], r["fault"]) for r in log][-2:] == [
        ("GET", "/repos/octo/demo", 503, "status"),
        ("GET", "/repos/octo/demo", 200, None),
    ]
    assert all(not r["path"].startswith("/_sandbox") for r in log)
    assert http("GET", "/rate_limit").body["resources"]["core"]["used"] == used_before + 1  # the 200 only
    assert http("POST", "/_sandbox/faults", {"fault": {"kind": "explode"}}).status == 422
    assert http("POST", "/_sandbox/faults", {"fault": {"status": 200}}).status == 422
    assert http("POST", "/_sandbox/faults", {"match": {"path": "("}, "fault": {"status": 500}}).status == 422
    assert http("POST", "/_sandbox/reset").status == 204
    assert http("GET", "/_sandbox/requests").body["requests"] == []
    assert http("GET", "/rate_limit").body["resources"]["core"]["used"] == 0


def test_reset_with_data_forgets_issues_but_never_reuses_numbers(sandbox: Sandbox, repo: Any) -> None:
    first = repo.create_issue(title="before")
    sandbox.reset(data=True)
    assert repo.get_issues(state="all").totalCount == 0
    again = repo.create_issue(title="after")
    assert again.number == first.number + 1 and again.id > first.id


def test_the_python_api_refuses_a_bad_rule(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sandbox.inject({"kind": "teleport"})
    with pytest.raises(ValueError, match="times"):
        sandbox.inject({"status": 500}, times=0)
