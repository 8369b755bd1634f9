"""Issue comments: list (since, pagination), create (201), get, update, delete (204)."""

from __future__ import annotations

from dataclasses import replace

from gardener.sandbox.handlers.fields import (
    BODY_MAX,
    body_object,
    check_length,
    issue_of,
    repo_of,
    required_string,
)
from gardener.sandbox.handlers.issue_list import parse_since
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import Request, Response, validation_failed
from gardener.sandbox.records import Comment, now_iso
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store


def list_comments(store: Store, req: Request) -> Response:
    since = parse_since(req.params.get("since"))
    with store.read():
        issue = issue_of(store, req)
        comments = store.comments_on(issue.repo, issue.number)
        if since is not None:
            comments = [c for c in comments if c.updated_at >= since.strftime("%Y-%m-%dT%H:%M:%SZ")]
        page, headers = paginate(comments, req.params, req.base_url, req.path)
        render = Renderer(store, req.base_url)
        return Response(200, [render.comment(c) for c in page], headers)


def create_comment(store: Store, req: Request) -> Response:
    text = _comment_body(req)
    assert req.login is not None
    with store.write():
        issue = issue_of(store, req)
        now = now_iso()
        comment = Comment(store.allocate_id(), issue.repo, issue.number, text, req.login, now, now)
        store.put_comment(comment)
        store.put_issue(replace(issue, comments=issue.comments + 1, updated_at=now))
        rendered = Renderer(store, req.base_url).comment(comment)
        return Response(201, rendered, {"Location": rendered["url"]})


def get_comment(store: Store, req: Request) -> Response:
    with store.read():
        comment = store.comment(repo_of(store, req).key, int(req.args["comment_id"]))
        return Response(200, Renderer(store, req.base_url).comment(comment))


def update_comment(store: Store, req: Request) -> Response:
    text = _comment_body(req)
    with store.write():
        comment = store.comment(repo_of(store, req).key, int(req.args["comment_id"]))
        if comment.body != text:
            comment = replace(comment, body=text, updated_at=now_iso())
            store.put_comment(comment)
        return Response(200, Renderer(store, req.base_url).comment(comment))


def delete_comment(store: Store, req: Request) -> Response:
    with store.write():
        comment = store.comment(repo_of(store, req).key, int(req.args["comment_id"]))
        store.delete_comment(comment)
        issue = store.issue(comment.repo, comment.issue_number)
        store.put_issue(replace(issue, comments=max(0, issue.comments - 1)))
        return Response(204)


def _comment_body(req: Request) -> str:
    text = required_string(body_object(req), "body")
    if not text.strip():
        raise validation_failed("IssueComment", "missing_field", "body")
    check_length("IssueComment", "body", text, BODY_MAX)
    return text
