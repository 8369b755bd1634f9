"""Labels on one issue: list, add (creating unknown labels), set (replace), remove one, remove all."""

from __future__ import annotations

from dataclasses import replace

from gardener.sandbox.handlers.fields import issue_of, names
from gardener.sandbox.handlers.labels import ensure_labels
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import ApiError, Request, Response, error_body
from gardener.sandbox.records import Issue, now_iso
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store


def list_issue_labels(store: Store, req: Request) -> Response:
    with store.read():
        issue = issue_of(store, req)
        page, headers = paginate(list(issue.labels), req.params, req.base_url, req.path)
        render = Renderer(store, req.base_url)
        return Response(200, [render.label(store.label(lid)) for lid in page], headers)


def add_issue_labels(store: Store, req: Request) -> Response:
    wanted = _requested(req)
    with store.write():
        issue = issue_of(store, req)
        added = ensure_labels(store, issue.repo, wanted)
        labels = issue.labels + tuple(lid for lid in added if lid not in issue.labels)
        return _answer(store, req, _relabel(store, issue, labels))


def set_issue_labels(store: Store, req: Request) -> Response:
    wanted = _requested(req)
    with store.write():
        issue = issue_of(store, req)
        return _answer(store, req, _relabel(store, issue, ensure_labels(store, issue.repo, wanted)))


def remove_issue_label(store: Store, req: Request) -> Response:
    with store.write():
        issue = issue_of(store, req)
        label = store.label_named(issue.repo, req.args["name"])
        if label is None or label.id not in issue.labels:
            raise ApiError(404, error_body(404, "Label does not exist"))
        return _answer(store, req, _relabel(store, issue, tuple(x for x in issue.labels if x != label.id)))


def remove_all_issue_labels(store: Store, req: Request) -> Response:
    with store.write():
        _relabel(store, issue_of(store, req), ())
        return Response(204)


def _requested(req: Request) -> list[str]:
    """The names from any of the body forms GitHub accepts: {"labels": [...]}, [...], or "name"."""
    body = req.body
    if isinstance(body, dict):
        body = body.get("labels", [])
    if isinstance(body, str):
        body = [body]
    return names(body if body is not None else [], "labels")


def _relabel(store: Store, issue: Issue, labels: tuple[int, ...]) -> Issue:
    if labels != issue.labels:
        issue = replace(issue, labels=labels, updated_at=now_iso())
        store.put_issue(issue)
    return issue


def _answer(store: Store, req: Request, issue: Issue) -> Response:
    return Response(200, Renderer(store, req.base_url).issue_labels(issue))
