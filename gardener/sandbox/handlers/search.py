"""GET /search/issues: parse `q`, match every issue the sandbox holds, sort, paginate.

The answer carries `total_count`, `incomplete_results`, `items` (issues plus `score`) and `search_type`.
Like GitHub, only the first 1000 results can be paged to, and naming a repository that does not exist is a
422 rather than an empty result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from gardener.sandbox.paging import page_bounds, paginate
from gardener.sandbox.protocol import ApiError, Request, Response, error_body, validation_failed
from gardener.sandbox.records import Issue
from gardener.sandbox.render import Renderer
from gardener.sandbox.search import Doc, QueryError, parse, score
from gardener.sandbox.store import Store

RESULT_CAP = 1000
SORTS: dict[str, Callable[[Issue], tuple[Any, int]]] = {
    "created": lambda i: (i.created_at, i.number),
    "updated": lambda i: (i.updated_at, i.number),
    "comments": lambda i: (i.comments, i.number),
}
UNSEARCHABLE = (
    "The listed users and repositories cannot be searched either because the resources do not exist "
    "or you do not have permission to view them."
)


def search_issues(store: Store, req: Request) -> Response:
    q = req.params.get("q", "")
    if not q.strip():
        raise validation_failed("Search", "missing", "q")
    try:
        query = parse(q)
    except QueryError as exc:
        raise _invalid_q(str(exc)) from None
    page, per_page = page_bounds(req.params)
    if (page - 1) * per_page >= RESULT_CAP and page > 1:
        raise validation_failed("Search", "invalid", "page", "Only the first 1000 search results are available")
    with store.read():
        known = {r.key for r in store.tables.repos.values()}
        if any(name not in known for name in query.repos):
            raise _invalid_q(UNSEARCHABLE)
        matched: list[tuple[float, Issue]] = []
        for issue, texts in _with_comments(store):
            relevance = score(query, _doc(store, issue, texts))
            if relevance is not None:
                matched.append((relevance, issue))
        order_desc = req.params.get("order", "desc") != "asc"
        sort = req.params.get("sort")
        if sort in SORTS:
            by = SORTS[sort]
            matched.sort(key=lambda pair: by(pair[1]), reverse=order_desc)
        else:  # best match
            matched.sort(key=lambda pair: (pair[0], pair[1].number), reverse=True)
        chunk, headers = paginate(matched[:RESULT_CAP], req.params, req.base_url, req.path)
        render = Renderer(store, req.base_url)
        body: dict[str, Any] = {
            "total_count": len(matched),
            "incomplete_results": False,
            "items": [render.search_item(issue, relevance) for relevance, issue in chunk],
            "search_type": "lexical",
        }
        return Response(200, body, headers)


def _with_comments(store: Store) -> list[tuple[Issue, list[str]]]:
    texts: dict[tuple[str, int], list[str]] = defaultdict(list)
    for c in sorted(store.all_comments(), key=lambda c: c.id):
        texts[(c.repo, c.issue_number)].append(c.body)
    return [(i, texts.get((i.repo, i.number), [])) for i in store.all_issues()]


def _doc(store: Store, issue: Issue, comments: list[str]) -> Doc:
    blocks_open = any((b := store.issue_by_id(x)) is not None and b.state == "open" for x in store.blocking(issue.id))
    blocked_open = any((b := store.issue_by_id(x)) is not None and b.state == "open" for x in issue.blocked_by)
    return Doc(
        repo=issue.repo,
        state=issue.state,
        state_reason=issue.state_reason,
        labels=frozenset(store.label(lid).name.lower() for lid in issue.labels),
        author=issue.user,
        assignees=frozenset(a.lower() for a in issue.assignees),
        title=issue.title,
        body=issue.body or "",
        comments=tuple(comments),
        blocked=blocked_open,
        blocking=blocks_open,
    )


def _invalid_q(message: str) -> ApiError:
    body = error_body(422, "Validation Failed")
    body["errors"] = [{"message": message, "resource": "Search", "field": "q", "code": "invalid"}]
    return ApiError(422, body)
