"""Issues: get, create (201), update (title, body, state, state_reason, labels, assignees)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gardener.sandbox.handlers.fields import (
    BODY_MAX,
    MISSING,
    TITLE_MAX,
    body_object,
    check_length,
    issue_of,
    names,
    optional_string,
    repo_of,
)
from gardener.sandbox.handlers.labels import ensure_labels
from gardener.sandbox.protocol import Request, Response, invalid_request, validation_failed
from gardener.sandbox.records import Issue, now_iso
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store

STATES = ("open", "closed")
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")


def get_issue(store: Store, req: Request) -> Response:
    with store.read():
        return Response(200, Renderer(store, req.base_url).issue(issue_of(store, req)))


def create_issue(store: Store, req: Request) -> Response:
    data = body_object(req)
    title = _title(data)
    if title is MISSING or title is None or not title.strip():
        raise validation_failed("Issue", "missing_field", "title")
    body = optional_string(data, "body", nullable=True)
    body = None if body is MISSING else body
    check_length("Issue", "title", title, TITLE_MAX)
    check_length("Issue", "body", body, BODY_MAX)
    label_names = names(data["labels"], "labels") if data.get("labels") is not None else []
    assignees = _assignees(data) or []
    _no_milestone(data)
    assert req.login is not None  # the server refuses anonymous writes before we get here
    with store.write():
        repo = repo_of(store, req)
        label_ids = ensure_labels(store, repo.key, label_names)  # may refuse a name: before any counter moves
        now = now_iso()
        issue = Issue(
            id=store.allocate_id(),
            repo=repo.key,
            number=store.take_number(repo.key),
            title=title,
            body=body,
            user=req.login,
            state="open",
            state_reason=None,
            labels=label_ids,
            assignees=tuple(assignees),
            comments=0,
            created_at=now,
            updated_at=now,
            closed_at=None,
            closed_by=None,
        )
        store.put_issue(issue)
        rendered = Renderer(store, req.base_url).issue(issue)
        return Response(201, rendered, {"Location": rendered["url"]})


def update_issue(store: Store, req: Request) -> Response:
    data = body_object(req)
    title = _title(data)
    if title is not MISSING and title is not None:
        if not title.strip():
            raise validation_failed("Issue", "missing_field", "title")
        check_length("Issue", "title", title, TITLE_MAX)
    body = optional_string(data, "body", nullable=True)
    if body is not MISSING:
        check_length("Issue", "body", body, BODY_MAX)
    state = data.get("state", MISSING)
    if state is not MISSING and state not in STATES:
        raise validation_failed("Issue", "invalid", "state")
    reason = data.get("state_reason", MISSING)
    if reason is not MISSING and reason is not None and reason not in STATE_REASONS:
        raise validation_failed("Issue", "invalid", "state_reason")
    label_names = names(data["labels"], "labels") if data.get("labels") is not None else None
    assignees = _assignees(data)
    _no_milestone(data)
    assert req.login is not None
    with store.write():
        old = issue_of(store, req)
        new = old
        if title is not MISSING and title is not None:
            new = replace(new, title=title)
        if body is not MISSING:
            new = replace(new, body=body)
        if label_names is not None:
            new = replace(new, labels=ensure_labels(store, old.repo, label_names))
        if assignees is not None:
            new = replace(new, assignees=tuple(assignees))
        new = transition(new, state, reason, req.login)
        if new != old:
            new = replace(new, updated_at=now_iso())
            store.put_issue(new)
        return Response(200, Renderer(store, req.base_url).issue(new))


def transition(issue: Issue, state: Any, reason: Any, login: str) -> Issue:
    """Apply a state change the way GitHub does: closing stamps closed_at/closed_by and defaults the
    reason to `completed`; reopening clears them and sets `reopened`."""
    target = issue.state if state is MISSING else state
    if target == "closed":
        if issue.state == "open":
            chosen = reason if reason not in (MISSING, None, "reopened") else "completed"
            return replace(issue, state="closed", state_reason=chosen, closed_at=now_iso(), closed_by=login)
        if reason not in (MISSING, None, "reopened"):
            return replace(issue, state_reason=reason)
        return issue
    if issue.state == "closed":
        return replace(issue, state="open", state_reason="reopened", closed_at=None, closed_by=None)
    return issue


def _title(data: dict[str, Any]) -> Any:
    value = data.get("title", MISSING)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # the schema allows an integer title
    if value is MISSING or value is None or isinstance(value, str):
        return value
    raise invalid_request(f"For 'properties/title', {value!r} is not a string or integer.")


def _assignees(data: dict[str, Any]) -> list[str] | None:
    """The new assignee set, or None when the request does not touch it."""
    if data.get("assignees") is not None:
        return names(data["assignees"], "assignees", item_key="login")
    if "assignee" in data:
        single = optional_string(data, "assignee")
        return [single] if single else []
    return None


def _no_milestone(data: dict[str, Any]) -> None:
    if data.get("milestone") is not None:
        raise validation_failed("Issue", "invalid", "milestone", "milestones are not modelled by the sandbox")
