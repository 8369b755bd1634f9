"""The human side: html_url pages, and the GitHub Enterprise style /api/v3 base URL."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest

from gardener.sandbox import Sandbox
from tests.github.helpers import make_client


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


def test_html_urls_open_as_escaped_pages(sandbox: Sandbox, repo: Any) -> None:
    issue = repo.create_issue(title="<script>alert(1)</script>", body="Run `make` & see", labels=["bug"])
    comment = issue.create_comment("<b>not bold</b>")
    status, kind, page = fetch(issue.html_url)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "Run `make` &amp; see" in page and "&lt;b&gt;not bold&lt;/b&gt;" in page
    assert f'id="issuecomment-{comment.id}"' in page
    assert fetch(repo.html_url + "/issues")[2].count("<li>") == 1
    assert "octo/demo" in fetch(sandbox.url + "/")[2]
    assert fetch(repo.html_url + "/issues/99")[0] == 404
    assert sandbox.count(path=r"^/octo/") == 0  # pages are not API calls


@pytest.mark.parametrize("prefix", ["", "/api/v3"])
def test_pygithub_works_with_a_bare_or_an_enterprise_base_url(sandbox: Sandbox, prefix: str) -> None:
    gh = make_client(sandbox.url + prefix)
    repo = gh.get_repo("octo/demo")
    for n in range(31):
        repo.create_issue(title=f"issue {n}")
    assert repo.get_issues().totalCount == 31
    assert len(list(repo.get_issues())) == 31  # followed a Link URL carrying the prefix
    issue = repo.get_issue(3)
    assert issue.url == f"{sandbox.url}{prefix}/repos/octo/demo/issues/3"
    assert issue.html_url == f"{sandbox.url}/octo/demo/issues/3"
    assert gh.search_issues("issue", repo="octo/demo").totalCount == 31
