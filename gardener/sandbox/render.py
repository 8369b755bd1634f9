"""JSON shapes of GitHub's REST objects (2022-11-28), with every URL under the sandbox's own base URL.

PyGithub follows `url` fields and refuses hosts other than the one it was given, so nothing here may point
at github.com. Shapes follow the schemas in GitHub's OpenAPI description (`issue`, `issue-comment`,
`label`, `simple-user`, `full-repository`, `issue-search-result-item`); required nullable keys are present
with null.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from gardener.sandbox.records import Comment, Issue, Label, Repo
from gardener.sandbox.render_repo import full_repository
from gardener.sandbox.store import Store

Json = dict[str, Any]
API_PREFIX = "/api/v3"  # GitHub Enterprise's API root; the sandbox answers with or without it
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")


class Renderer:
    """Renders records for one request; call only while holding the store's lock."""

    def __init__(self, store: Store, base_url: str) -> None:
        self.store = store
        self.base = base_url.rstrip("/")  # the API root, e.g. http://127.0.0.1:8123 or .../api/v3
        self.web = self.base.removesuffix(API_PREFIX)  # where html_url pages live, as on GitHub Enterprise

    # -- users and repositories ---------------------------------------------------------------------

    def user(self, login: str) -> Json:
        uid = self.store.user_id(login)
        api = f"{self.base}/users/{login}"
        return {
            "login": login,
            "id": uid,
            "node_id": f"U_sb{uid}",
            "avatar_url": f"{self.web}/avatars/{login}",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.web}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": "User",
            "user_view_type": "public",
            "site_admin": False,
        }

    def repo_url(self, key: str) -> str:
        r = self.store.repo_by_key(key)
        return f"{self.base}/repos/{r.owner}/{r.name}"

    def repo(self, r: Repo) -> Json:
        open_count = sum(1 for i in self.store.issues_in(r.key) if i.state == "open")
        return full_repository(self.base, self.web, r, self.user(r.owner), open_count)

    # -- labels -------------------------------------------------------------------------------------

    def label(self, lb: Label) -> Json:
        return {
            "id": lb.id,
            "node_id": f"LA_sb{lb.id}",
            "url": f"{self.repo_url(lb.repo)}/labels/{quote(lb.name, safe='')}",
            "name": lb.name,
            "color": lb.color,
            "default": lb.default,
            "description": lb.description,
        }

    def issue_labels(self, issue: Issue) -> list[Json]:
        return [self.label(self.store.label(lid)) for lid in issue.labels]

    # -- issues -------------------------------------------------------------------------------------

    def issue_url(self, issue: Issue) -> str:
        return f"{self.repo_url(issue.repo)}/issues/{issue.number}"

    def issue_html_url(self, issue: Issue) -> str:
        r = self.store.repo_by_key(issue.repo)
        return f"{self.web}/{r.owner}/{r.name}/issues/{issue.number}"

    def issue(self, issue: Issue) -> Json:
        url = self.issue_url(issue)
        assignees = [self.user(login) for login in issue.assignees]
        parent = self.store.issue_by_id(issue.parent) if issue.parent else None
        return {
            "id": issue.id,
            "node_id": f"I_sb{issue.id}",
            "url": url,
            "repository_url": self.repo_url(issue.repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": self.issue_html_url(issue),
            "timeline_url": f"{url}/timeline",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self.user(issue.user),
            "labels": self.issue_labels(issue),
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": None,
            "locked": issue.locked,
            "active_lock_reason": None,
            "comments": issue.comments,
            "closed_at": issue.closed_at,
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "closed_by": self.user(issue.closed_by) if issue.closed_by else None,
            "author_association": self.author_association(issue.repo, issue.user),
            "type": None,
            "performed_via_github_app": None,
            "reactions": self.reactions(url),
            "parent_issue_url": self.issue_url(parent) if parent else None,
            "sub_issues_summary": self.sub_issues_summary(issue),
            "issue_dependencies_summary": self.dependencies_summary(issue),
        }

    def search_item(self, issue: Issue, score: float) -> Json:
        item = self.issue(issue)
        item["score"] = score
        return item

    def sub_issues_summary(self, issue: Issue) -> Json:
        subs = [s for s in (self.store.issue_by_id(i) for i in issue.sub_issues) if s is not None]
        done = sum(1 for s in subs if s.state == "closed")
        return {
            "total": len(subs),
            "completed": done,
            "percent_completed": (100 * done) // len(subs) if subs else 0,
        }

    def dependencies_summary(self, issue: Issue) -> Json:
        """`blocked_by` and `blocking` count the open ones; the totals count all."""
        blockers = [self.store.issue_by_id(i) for i in issue.blocked_by]
        blocked = [self.store.issue_by_id(i) for i in self.store.blocking(issue.id)]
        return {
            "blocked_by": sum(1 for b in blockers if b is not None and b.state == "open"),
            "blocking": sum(1 for b in blocked if b is not None and b.state == "open"),
            "total_blocked_by": len(blockers),
            "total_blocking": len(blocked),
        }

    def author_association(self, key: str, login: str) -> str:
        return "OWNER" if self.store.repo_by_key(key).owner.lower() == login.lower() else "COLLABORATOR"

    def reactions(self, subject_url: str) -> Json:
        rollup: Json = {"url": f"{subject_url}/reactions", "total_count": 0}
        rollup.update(dict.fromkeys(REACTIONS, 0))
        return rollup

    # -- comments -----------------------------------------------------------------------------------

    def comment(self, c: Comment) -> Json:
        repo = self.repo_url(c.repo)
        r = self.store.repo_by_key(c.repo)
        url = f"{repo}/issues/comments/{c.id}"
        return {
            "id": c.id,
            "node_id": f"IC_sb{c.id}",
            "url": url,
            "html_url": f"{self.web}/{r.owner}/{r.name}/issues/{c.issue_number}#issuecomment-{c.id}",
            "body": c.body,
            "user": self.user(c.user),
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "issue_url": f"{repo}/issues/{c.issue_number}",
            "author_association": self.author_association(c.repo, c.user),
            "performed_via_github_app": None,
            "reactions": self.reactions(url),
        }
