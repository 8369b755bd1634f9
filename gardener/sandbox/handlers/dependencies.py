"""Issue dependencies: which issues block this one (`blocked_by`) and which it blocks (`blocking`).

Links take the blocker's REST `id` (not its number), may cross repositories, and list issues in every
state; `issue_dependencies_summary` counts only open ones in `blocked_by`/`blocking`. A self-link or a
duplicate is refused with 422, like GitHub.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gardener.sandbox.handlers.fields import body_object, issue_of
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import Request, Response, invalid_request, not_found, validation_failed
from gardener.sandbox.records import Issue, now_iso
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store


def list_blocked_by(store: Store, req: Request) -> Response:
    with store.read():
        return _listing(store, req, list(issue_of(store, req).blocked_by))


def list_blocking(store: Store, req: Request) -> Response:
    with store.read():
        return _listing(store, req, store.blocking(issue_of(store, req).id))


def add_blocked_by(store: Store, req: Request) -> Response:
    blocker_id = integer_field(body_object(req), "issue_id")
    with store.write():
        issue = issue_of(store, req)
        blocker = store.issue_by_id(blocker_id)
        if blocker is None:
            raise validation_failed("IssueDependency", "invalid", "issue_id", f"issue id {blocker_id} does not exist")
        if blocker.id == issue.id:
            raise validation_failed("IssueDependency", "custom", "issue_id", "an issue cannot be blocked by itself")
        if blocker.id in issue.blocked_by:
            raise validation_failed(
                "IssueDependency", "custom", "issue_id", f"issue is already blocked by issue id {blocker.id}"
            )
        store.put_issue(replace(issue, blocked_by=(*issue.blocked_by, blocker.id), updated_at=now_iso()))
        render = Renderer(store, req.base_url)
        location = f"{render.issue_url(issue)}/dependencies/blocked_by"
        return Response(201, render.issue(blocker), {"Location": location})


def remove_blocked_by(store: Store, req: Request) -> Response:
    blocker_id = int(req.args["issue_id"])
    with store.write():
        issue = issue_of(store, req)
        if blocker_id not in issue.blocked_by:
            raise not_found()
        remaining = tuple(x for x in issue.blocked_by if x != blocker_id)
        store.put_issue(replace(issue, blocked_by=remaining, updated_at=now_iso()))
        blocker = store.issue_by_id(blocker_id)
        assert blocker is not None  # the codec and the store keep links pointing at real issues
        return Response(200, Renderer(store, req.base_url).issue(blocker))


def integer_field(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if key not in data:
        raise invalid_request(f'"{key}" wasn\'t supplied.')
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid_request(f"For 'properties/{key}', {value!r} is not an integer.")
    return value


def _listing(store: Store, req: Request, ids: list[int]) -> Response:
    issues: list[Issue] = [i for i in (store.issue_by_id(x) for x in ids) if i is not None]
    page, headers = paginate(issues, req.params, req.base_url, req.path)
    render = Renderer(store, req.base_url)
    return Response(200, [render.issue(i) for i in page], headers)
