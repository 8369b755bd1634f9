"""Issue search: the query language (pure) and GET /search/issues (through PyGithub and raw HTTP)."""

from __future__ import annotations

from typing import Any

import pytest
from github.GithubException import GithubException, RateLimitExceededException

from gardener.sandbox import Sandbox
from gardener.sandbox.search import Doc, QueryError, parse, score
from tests.github.helpers import RawHttp, make_client


def doc(**overrides: Any) -> Doc:
    base: dict[str, Any] = {
        "repo": "octo/demo",
        "state": "open",
        "state_reason": None,
        "labels": frozenset({"bug", "needs triage"}),
        "author": "gardener-bot",
        "assignees": frozenset(),
        "title": "ConnectionRefusedError: connect to db:5432",
        "body": "Seen in test_login, then again at logout.",
        "comments": ("Also on main.",),
    }
    return Doc(**{**base, **overrides})


@pytest.mark.parametrize(
    ("q", "matches"),
    [
        ("connectionrefusederror", True),
        ("ConnectionRefusedError: connect", True),  # punctuation is not part of words
        ("connect db", True),  # words ANDed, in any order
        ("connect redis", False),
        ("conn", False),  # whole tokens only
        ('"connect to db"', True),
        ('"db to connect"', False),  # a phrase keeps its order
        ("test_login", True),
        ("login", False),  # an identifier is one token, as in GitHub's (Elasticsearch standard) analyzer
        ("main", True),  # comments are searched by default
        ("main in:title,body", False),
        ("logout in:title", False),
        ("logout in:body", True),
        ("repo:octo/demo is:issue is:open", True),
        ("repo:OCTO/DEMO", True),
        ("repo:octo/other", False),
        ("user:octo", True),
        ("is:pr", False),  # pull requests are not modelled
        ("is:closed", False),
        ("state:open", True),
        ("label:bug", True),
        ('label:"needs triage"', True),
        ("label:BUG label:wontfix", False),  # every label qualifier must hold
        ("label:bug,wontfix", True),  # a comma means either
        ("-label:wontfix", True),
        ("-label:bug", False),
        ("no:label", False),
        ("no:assignee", True),
        ("author:gardener-bot", True),
        ("connect -logout", False),
        ("connect NOT main", False),
        ("connect AND db", True),
        ("http://example.com", False),  # unknown key:value is just text
    ],
)
def test_query_language(q: str, matches: bool) -> None:
    assert (score(parse(q), doc()) is not None) is matches


def test_reason_and_dependency_qualifiers() -> None:
    closed = doc(state="closed", state_reason="not_planned")
    assert score(parse('is:closed reason:"not planned"'), closed) is not None
    assert score(parse("reason:completed"), closed) is None
    assert score(parse("is:blocked"), doc(blocked=True)) is not None
    assert score(parse("is:blocking"), doc()) is None


def test_more_hits_score_higher() -> None:
    once, twice = doc(body="nothing here"), doc(body="connect again")
    assert score(parse("connect"), twice) > score(parse("connect"), once)  # type: ignore[operator]


@pytest.mark.parametrize("q", ["is:draft", "state:merged", "in:code", "-repo:octo/demo"])
def test_unsupported_qualifiers_are_errors(q: str) -> None:
    with pytest.raises(QueryError):
        parse(q)


def test_search_through_pygithub(gh: Any, repo: Any) -> None:
    a = repo.create_issue(title="Timeout in test_upload", body="socket timed out", labels=["flaky"])
    b = repo.create_issue(title="Docker build failed", body="timeout pulling image", labels=["infra"])
    c = repo.create_issue(title="Timeout again", body="")
    c.edit(state="closed")
    gh.get_repo("octo/other").create_issue(title="Timeout elsewhere")

    def numbers(query: str, **qualifiers: Any) -> list[int]:
        return sorted(i.number for i in gh.search_issues(query, **qualifiers))

    assert numbers("timeout", repo="octo/demo") == [a.number, b.number, c.number]
    assert numbers("timeout", repo="octo/demo", state="open") == [a.number, b.number]
    assert numbers("timeout in:title", repo="octo/demo", state="open") == [a.number]
    assert numbers("timeout", repo="octo/demo", label="infra") == [b.number]
    assert numbers("timeout") == [1, a.number, b.number, c.number]  # every repository
    found = gh.search_issues("timeout", repo="octo/demo", sort="created", order="asc")
    assert [i.number for i in found] == [a.number, b.number, c.number]
    assert found.totalCount == 3
    assert all(i.score >= 1.0 for i in found)


def test_search_errors(http: RawHttp) -> None:
    missing = http("GET", "/search/issues")
    assert missing.status == 422 and missing.body["errors"][0]["code"] == "missing"
    unknown = http("GET", "/search/issues?q=x+repo:octo/nope")
    assert unknown.status == 422 and "cannot be searched" in unknown.body["errors"][0]["message"]
    assert http("GET", "/search/issues?q=is:draft").status == 422
    assert http("GET", "/search/issues?q=x&per_page=100&page=11").status == 422  # beyond 1000 results


def test_search_paginates_with_totalcount(http: RawHttp, gh: Any) -> None:
    for n in range(45):
        http("POST", "/repos/octo/demo/issues", {"title": f"flaky number {n}"})
    found = gh.search_issues("flaky", repo="octo/demo")
    assert found.totalCount == 45
    assert len({i.number for i in found}) == 45  # two pages of 30


def test_search_spends_its_own_small_budget() -> None:
    with Sandbox(("octo/demo",), search_limit=2) as sb:
        gh = make_client(sb.url)
        for _ in range(2):
            assert gh.search_issues("anything").totalCount == 0
        with pytest.raises(RateLimitExceededException) as caught:
            gh.search_issues("anything").totalCount  # noqa: B018 - the request is the point
        assert caught.value.headers["x-ratelimit-resource"] == "search"
        assert caught.value.headers["x-ratelimit-remaining"] == "0"
        assert gh.get_repo("octo/demo").full_name == "octo/demo"  # core is a separate bucket
        with pytest.raises(GithubException):
            gh.search_issues("anything").totalCount  # noqa: B018
