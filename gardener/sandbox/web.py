"""Plain read-only HTML at the `html_url` addresses, so a person can look at what gardener filed.

`/` lists the repositories, `/{owner}/{repo}/issues` the issues, `/{owner}/{repo}/issues/{n}` one issue
with its comments. Bodies are shown as their raw Markdown, escaped: issue text is untrusted.
Pages are not API calls: they are not logged, faulted or rate-limited.
"""

from __future__ import annotations

import re
from html import escape

from gardener.sandbox.protocol import ApiError, Response
from gardener.sandbox.records import Issue
from gardener.sandbox.store import Store

PAGE = re.compile(r"/(?:(?P<owner>[^/_][^/]*)/(?P<repo>[^/]+)/issues(?:/(?P<number>\d+))?)?/?")
API_ROOTS = ("repos", "search", "rate_limit", "user", "users", "api")
STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}"
    ".label{border:1px solid #999;border-radius:1em;padding:0 .5em;margin-right:.3em;font-size:85%}"
)


def is_page(method: str, path: str) -> bool:
    m = PAGE.fullmatch(path)
    return method == "GET" and m is not None and m["owner"] not in API_ROOTS


def render_page(store: Store, path: str) -> Response:
    m = PAGE.fullmatch(path)
    assert m is not None
    try:
        with store.read():
            if m["owner"] is None:
                return _html("gardener sandbox", _index(store))
            repo = store.repo(m["owner"], m["repo"])
            if m["number"] is None:
                issues = sorted(store.issues_in(repo.key), key=lambda i: -i.number)
                return _html(f"{repo.full_name} issues", _issue_list(store, repo.full_name, issues))
            issue = store.issue(repo.key, int(m["number"]))
            return _html(f"{issue.title} · #{issue.number}", _issue_page(store, repo.full_name, issue))
    except ApiError:
        return Response(404, b"Not Found\n", {"Content-Type": "text/plain; charset=utf-8"})


def _index(store: Store) -> str:
    items = "".join(
        f'<li><a href="/{escape(r.full_name)}/issues">{escape(r.full_name)}</a></li>'
        for r in sorted(store.tables.repos.values(), key=lambda r: r.key)
    )
    return f"<h1>gardener sandbox</h1><ul>{items}</ul>"


def _labels(store: Store, issue: Issue) -> str:
    return "".join(f'<span class="label">{escape(store.label(lid).name)}</span>' for lid in issue.labels)


def _issue_list(store: Store, full_name: str, issues: list[Issue]) -> str:
    rows = "".join(
        f'<li>[{issue.state}] <a href="/{escape(full_name)}/issues/{issue.number}">#{issue.number} '
        f"{escape(issue.title)}</a> {_labels(store, issue)}</li>"
        for issue in issues
    )
    return f'<p><a href="/">all repositories</a></p><h1>{escape(full_name)}</h1><ul>{rows}</ul>'


def _issue_page(store: Store, full_name: str, issue: Issue) -> str:
    state = issue.state + (f" ({issue.state_reason})" if issue.state_reason else "")
    comments = "".join(
        f'<h3 id="issuecomment-{c.id}">{escape(c.user)} commented {c.created_at}</h3><pre>{escape(c.body)}</pre>'
        for c in store.comments_on(issue.repo, issue.number)
    )
    return (
        f'<p><a href="/{escape(full_name)}/issues">{escape(full_name)} issues</a></p>'
        f"<h1>{escape(issue.title)} #{issue.number}</h1>"
        f"<p>{state} · opened by {escape(issue.user)} {issue.created_at} · {_labels(store, issue)}</p>"
        f"<pre>{escape(issue.body or '')}</pre>{comments}"
    )


def _html(title: str, content: str) -> Response:
    page = f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title><style>{STYLE}</style>{content}"
    return Response(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
