"""Sub-issues: list, add (`sub_issue_id`, optional `replace_parent`), remove (a DELETE with a JSON body),
reprioritize, and get the parent. Add, remove and reprioritize answer with the parent issue, whose
`sub_issues_summary` shows the change; the sub-issue's `parent_issue_url` points back at the parent."""

from __future__ import annotations

from dataclasses import replace

from gardener.sandbox.handlers.dependencies import integer_field
from gardener.sandbox.handlers.fields import body_object, issue_of
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import Request, Response, not_found, validation_failed
from gardener.sandbox.records import Issue, now_iso
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store


def list_sub_issues(store: Store, req: Request) -> Response:
    with store.read():
        parent = issue_of(store, req)
        subs = [s for s in (store.issue_by_id(x) for x in parent.sub_issues) if s is not None]
        page, headers = paginate(subs, req.params, req.base_url, req.path)
        render = Renderer(store, req.base_url)
        return Response(200, [render.issue(s) for s in page], headers)


def get_parent(store: Store, req: Request) -> Response:
    with store.read():
        issue = issue_of(store, req)
        parent = store.issue_by_id(issue.parent) if issue.parent else None
        if parent is None:
            raise not_found()
        return Response(200, Renderer(store, req.base_url).issue(parent))


def add_sub_issue(store: Store, req: Request) -> Response:
    data = body_object(req)
    sub_id = integer_field(data, "sub_issue_id")
    replace_parent = data.get("replace_parent") is True
    with store.write():
        parent = issue_of(store, req)
        sub = store.issue_by_id(sub_id)
        if sub is None:
            raise validation_failed("SubIssue", "invalid", "sub_issue_id", f"issue id {sub_id} does not exist")
        _check_can_adopt(store, parent, sub, replace_parent)
        if sub.parent is not None:
            old = store.issue_by_id(sub.parent)
            if old is not None:
                store.put_issue(replace(old, sub_issues=tuple(x for x in old.sub_issues if x != sub.id)))
        store.put_issue(replace(sub, parent=parent.id))
        parent = store.issue(parent.repo, parent.number)  # re-read: it may have been the old parent
        parent = replace(parent, sub_issues=(*parent.sub_issues, sub.id), updated_at=now_iso())
        store.put_issue(parent)
        render = Renderer(store, req.base_url)
        return Response(201, render.issue(parent), {"Location": f"{render.issue_url(parent)}/sub_issues"})


def remove_sub_issue(store: Store, req: Request) -> Response:
    sub_id = integer_field(body_object(req), "sub_issue_id")
    with store.write():
        parent = issue_of(store, req)
        sub = store.issue_by_id(sub_id)
        if sub is None or sub.id not in parent.sub_issues:
            raise not_found()
        store.put_issue(replace(sub, parent=None))
        parent = replace(parent, sub_issues=tuple(x for x in parent.sub_issues if x != sub_id), updated_at=now_iso())
        store.put_issue(parent)
        return Response(200, Renderer(store, req.base_url).issue(parent))


def reprioritize_sub_issue(store: Store, req: Request) -> Response:
    data = body_object(req)
    sub_id = integer_field(data, "sub_issue_id")
    anchor_key = "after_id" if "after_id" in data else "before_id"
    anchor = integer_field(data, anchor_key)
    with store.write():
        parent = issue_of(store, req)
        order = [x for x in parent.sub_issues if x != sub_id]
        if sub_id not in parent.sub_issues or anchor not in order:
            raise validation_failed("SubIssue", "invalid", anchor_key, "both issues must be sub-issues of this issue")
        order.insert(order.index(anchor) + (anchor_key == "after_id"), sub_id)
        parent = replace(parent, sub_issues=tuple(order), updated_at=now_iso())
        store.put_issue(parent)
        return Response(200, Renderer(store, req.base_url).issue(parent))


def _check_can_adopt(store: Store, parent: Issue, sub: Issue, replace_parent: bool) -> None:
    def refuse(message: str) -> None:
        raise validation_failed("SubIssue", "custom", "sub_issue_id", message)

    if sub.id == parent.id:
        refuse("an issue cannot be its own sub-issue")
    if sub.id in parent.sub_issues:
        refuse("issue is already a sub-issue of this issue")
    if sub.parent is not None and not replace_parent:
        refuse("sub-issue already has a parent; pass replace_parent to move it")
    if store.repo_by_key(sub.repo).owner.lower() != store.repo_by_key(parent.repo).owner.lower():
        refuse("a sub-issue must belong to the same repository owner as its parent")
    ancestor = parent.parent
    while ancestor is not None:
        if ancestor == sub.id:
            refuse("adding this sub-issue would create a cycle")
        above = store.issue_by_id(ancestor)
        ancestor = above.parent if above else None
