"""Primary rate limits: a budget that is really spent, reported on every response and by /rate_limit."""

from __future__ import annotations

from typing import Any

import pytest
from github.GithubException import RateLimitExceededException

from gardener.sandbox import Sandbox
from gardener.sandbox.ratelimit import Quota, RateLimiter
from tests.github.helpers import RawHttp, make_client

HEADERS = tuple(f"x-ratelimit-{name}" for name in ("limit", "remaining", "used", "reset", "resource"))


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_spends_refuses_and_resets_with_its_window() -> None:
    clock = Clock()
    limiter = RateLimiter({"core": Quota(2, 60.0)}, clock)
    assert limiter.spend("core")[0] and limiter.spend("core")[0]
    allowed, budget = limiter.spend("core")
    assert not allowed and (budget.remaining, budget.used, budget.reset) == (0, 2, 1_000_060)
    clock.now += 59
    assert not limiter.spend("core")[0]
    clock.now += 1
    allowed, budget = limiter.spend("core")
    assert allowed and (budget.used, budget.reset) == (1, 1_000_120)


def test_every_response_carries_the_headers_and_spends_one(http: RawHttp) -> None:
    replies = [http("GET", "/repos/octo/demo"), http("GET", "/repos/octo/demo/issues/9"), http("GET", "/nope")]
    for reply in replies:
        assert all(h in reply.headers for h in HEADERS), reply.headers
    assert [int(r.headers["x-ratelimit-used"]) for r in replies] == [1, 2, 3]
    assert [int(r.headers["x-ratelimit-remaining"]) for r in replies] == [4999, 4998, 4997]
    assert replies[0].headers["x-ratelimit-resource"] == "core"
    search = http("GET", "/search/issues?q=x")
    assert (search.headers["x-ratelimit-resource"], search.headers["x-ratelimit-limit"]) == ("search", "30")
    assert search.headers["x-ratelimit-used"] == "1"


def test_rate_limit_endpoint_reports_without_spending(http: RawHttp, gh: Any) -> None:
    http("GET", "/repos/octo/demo")
    for _ in range(2):
        body = http("GET", "/rate_limit").body
        assert body["resources"]["core"]["used"] == 1 and body["rate"] == body["resources"]["core"]
    assert body["resources"]["search"] == {**body["resources"]["search"], "limit": 30, "used": 0}
    core = gh.get_rate_limit().resources.core
    assert (core.limit, core.remaining) == (5000, 4999)
    assert gh.rate_limiting == (4999, 5000)  # PyGithub read our headers


def test_exhausted_core_budget_is_pygithubs_rate_limit_exception() -> None:
    with Sandbox(("octo/demo",), core_limit=3) as sb:
        gh = make_client(sb.url)
        repo = gh.get_repo("octo/demo")
        repo.create_issue(title="one")
        repo.get_issue(1)
        with pytest.raises(RateLimitExceededException) as caught:
            repo.get_issue(1)
        assert caught.value.headers["x-ratelimit-remaining"] == "0"
        assert int(caught.value.headers["x-ratelimit-reset"]) > 0
        assert gh.get_rate_limit().resources.core.remaining == 0  # /rate_limit still answers
        sb.reset()
        assert repo.get_issue(1).title == "one"
