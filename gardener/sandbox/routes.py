"""The route table: method + path pattern → handler, and which rate-limit bucket the call spends."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from gardener.sandbox.handlers import (
    actions,
    comments,
    commits,
    dependencies,
    issue_labels,
    issue_list,
    issues,
    labels,
    misc,
    sub_issues,
)
from gardener.sandbox.handlers import search as search_api
from gardener.sandbox.protocol import Request, Response
from gardener.sandbox.store import Store

Handler = Callable[[Store, Request], Response]
SEGMENT = r"[^/]+"
PLACEHOLDERS = {
    "number": r"\d+",
    "comment_id": r"\d+",
    "issue_id": r"\d+",
    "run_id": r"\d+",
    "job_id": r"\d+",
    "artifact_id": r"\d+",
    "attempt_number": r"\d+",
    "basehead": r".+",  # branch names may hold slashes
}


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    resource: str  # core | search

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        m = self.pattern.fullmatch(path)
        return None if m is None else {k: unquote(v) for k, v in m.groupdict().items()}


def route(method: str, template: str, handler: Handler, resource: str = "core") -> Route:
    """`/repos/{owner}/{repo}/issues/{number}` → a compiled pattern with named groups."""

    def group(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"(?P<{name}>{PLACEHOLDERS.get(name, SEGMENT)})"

    return Route(method, re.compile(re.sub(r"\{(\w+)\}", group, template)), handler, resource)


R = "/repos/{owner}/{repo}"
I = f"{R}/issues/{{number}}"  # noqa: E741 - reads as "issue" in the table below
A = f"{R}/actions"
RUN = f"{A}/runs/{{run_id}}"
ROUTES: tuple[Route, ...] = (
    route("GET", R, misc.get_repo),
    route("GET", f"{R}/issue-types", misc.list_issue_types),
    route("GET", "/user", misc.get_authenticated_user),
    route("GET", f"{R}/issues", issue_list.list_issues),
    route("POST", f"{R}/issues", issues.create_issue),
    route("GET", f"{R}/issues/comments/{{comment_id}}", comments.get_comment),
    route("PATCH", f"{R}/issues/comments/{{comment_id}}", comments.update_comment),
    route("DELETE", f"{R}/issues/comments/{{comment_id}}", comments.delete_comment),
    route("GET", I, issues.get_issue),
    route("PATCH", I, issues.update_issue),
    route("GET", f"{I}/comments", comments.list_comments),
    route("POST", f"{I}/comments", comments.create_comment),
    route("GET", f"{I}/labels", issue_labels.list_issue_labels),
    route("POST", f"{I}/labels", issue_labels.add_issue_labels),
    route("PUT", f"{I}/labels", issue_labels.set_issue_labels),
    route("DELETE", f"{I}/labels", issue_labels.remove_all_issue_labels),
    route("DELETE", f"{I}/labels/{{name}}", issue_labels.remove_issue_label),
    route("GET", f"{R}/labels", labels.list_labels),
    route("POST", f"{R}/labels", labels.create_label),
    route("GET", f"{R}/labels/{{name}}", labels.get_label),
    route("PATCH", f"{R}/labels/{{name}}", labels.update_label),
    route("DELETE", f"{R}/labels/{{name}}", labels.delete_label),
    route("GET", f"{I}/dependencies/blocked_by", dependencies.list_blocked_by),
    route("POST", f"{I}/dependencies/blocked_by", dependencies.add_blocked_by),
    route("DELETE", f"{I}/dependencies/blocked_by/{{issue_id}}", dependencies.remove_blocked_by),
    route("GET", f"{I}/dependencies/blocking", dependencies.list_blocking),
    route("GET", f"{I}/sub_issues", sub_issues.list_sub_issues),
    route("POST", f"{I}/sub_issues", sub_issues.add_sub_issue),
    route("DELETE", f"{I}/sub_issue", sub_issues.remove_sub_issue),
    route("PATCH", f"{I}/sub_issues/priority", sub_issues.reprioritize_sub_issue),
    route("GET", f"{I}/parent", sub_issues.get_parent),
    route("GET", "/search/issues", search_api.search_issues, "search"),
    route("GET", f"{A}/runs", actions.list_runs),
    route("GET", f"{RUN}", actions.get_run),
    route("GET", f"{RUN}/attempts/{{attempt_number}}", actions.get_run_attempt),
    route("GET", f"{RUN}/jobs", actions.list_run_jobs),
    route("GET", f"{RUN}/attempts/{{attempt_number}}/jobs", actions.list_attempt_jobs),
    route("GET", f"{RUN}/artifacts", actions.list_run_artifacts),
    route("GET", f"{A}/jobs/{{job_id}}", actions.get_job),
    route("GET", f"{A}/jobs/{{job_id}}/logs", actions.download_job_log),
    route("GET", f"{A}/artifacts", actions.list_repo_artifacts),
    route("GET", f"{A}/artifacts/{{artifact_id}}", actions.get_artifact),
    route("GET", f"{A}/artifacts/{{artifact_id}}/{{archive_format}}", actions.download_artifact),
    route("GET", f"{A}/workflows", actions.list_workflows),
    route("GET", f"{A}/workflows/{{workflow_id}}", actions.get_workflow),
    route("GET", f"{A}/workflows/{{workflow_id}}/runs", actions.list_workflow_runs),
    route("GET", f"{R}/commits/{{ref}}", commits.get_commit),
    route("GET", f"{R}/compare/{{basehead}}", commits.compare),
)


def find(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for r in ROUTES:
        args = r.match(method, path)
        if args is not None:
            return r, args
    return None
