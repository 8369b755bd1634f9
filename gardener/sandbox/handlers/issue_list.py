"""GET /repos/{o}/{r}/issues: the filters (state, labels, since, creator, assignee, milestone), the
sort (created, updated, comments; asc/desc) and pagination with a Link header."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from gardener.sandbox.handlers.fields import repo_of
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import Request, Response, validation_failed
from gardener.sandbox.records import Issue
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store

Predicate = Callable[[Issue], bool]
SORT_KEYS: dict[str, Callable[[Issue], tuple[Any, int]]] = {
    "created": lambda i: (i.created_at, i.number),
    "updated": lambda i: (i.updated_at, i.number),
    "comments": lambda i: (i.comments, i.number),
}


def list_issues(store: Store, req: Request) -> Response:
    params = req.params
    sort = _choice(params, "sort", tuple(SORT_KEYS), "created")
    direction = _choice(params, "direction", ("asc", "desc"), "desc")
    with store.read():
        repo = repo_of(store, req)
        keep = issue_filter(params, lambda lid: store.label(lid).name.lower())
        chosen = sorted(
            (i for i in store.issues_in(repo.key) if keep(i)),
            key=SORT_KEYS[sort],
            reverse=direction == "desc",
        )
        page, headers = paginate(chosen, params, req.base_url, req.path)
        render = Renderer(store, req.base_url)
        return Response(200, [render.issue(i) for i in page], headers)


def issue_filter(params: Mapping[str, str], label_name: Callable[[int], str]) -> Predicate:
    """One predicate for all the list filters; a pure function of the query."""
    state = _choice(params, "state", ("open", "closed", "all"), "open")
    wanted = [n.strip().lower() for n in params.get("labels", "").split(",") if n.strip()]
    since = parse_since(params.get("since"))
    creator = params.get("creator", "").lower()
    assignee = params.get("assignee", "")
    milestone = params.get("milestone", "")

    def keep(issue: Issue) -> bool:
        if state != "all" and issue.state != state:
            return False
        if wanted:
            have = {label_name(lid) for lid in issue.labels}
            if not all(n in have for n in wanted):
                return False
        if since is not None and _parse(issue.updated_at) < since:
            return False
        if creator and issue.user.lower() != creator:
            return False
        if assignee == "none" and issue.assignees:
            return False
        if assignee == "*" and not issue.assignees:
            return False
        if assignee not in ("", "none", "*") and assignee.lower() not in (a.lower() for a in issue.assignees):
            return False
        # milestones are not modelled: no issue has one
        return milestone in ("", "none")

    return keep


def _choice(params: Mapping[str, str], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(key, default) or default
    if value not in allowed:
        raise validation_failed("Issue", "invalid", key)
    return value


def parse_since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return _parse(raw)
    except ValueError:
        raise validation_failed("Issue", "invalid", "since") from None


def _parse(stamp: str) -> datetime:
    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
