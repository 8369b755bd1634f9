"""The `full-repository` shape: long, mostly constant, kept apart from the issue shapes."""

from __future__ import annotations

from typing import Any

from gardener.sandbox.records import Repo

# URL templates GitHub lists on a repository; each is "<repo api url>/<suffix>".
TEMPLATED = {
    "archive_url": "{archive_format}{/ref}",
    "assignees_url": "assignees{/user}",
    "blobs_url": "git/blobs{/sha}",
    "branches_url": "branches{/branch}",
    "collaborators_url": "collaborators{/collaborator}",
    "comments_url": "comments{/number}",
    "commits_url": "commits{/sha}",
    "compare_url": "compare/{base}...{head}",
    "contents_url": "contents/{+path}",
    "git_commits_url": "git/commits{/sha}",
    "git_refs_url": "git/refs{/sha}",
    "git_tags_url": "git/tags{/sha}",
    "issue_comment_url": "issues/comments{/number}",
    "issue_events_url": "issues/events{/number}",
    "issues_url": "issues{/number}",
    "keys_url": "keys{/key_id}",
    "labels_url": "labels{/name}",
    "milestones_url": "milestones{/number}",
    "notifications_url": "notifications{?since,all,participating}",
    "pulls_url": "pulls{/number}",
    "releases_url": "releases{/id}",
    "statuses_url": "statuses/{sha}",
    "trees_url": "git/trees{/sha}",
}
PLAIN = (
    "contributors", "deployments", "downloads", "events", "forks", "hooks", "languages", "merges",
    "stargazers", "subscribers", "subscription", "tags", "teams",
)  # fmt: skip


def full_repository(base: str, web: str, r: Repo, owner: dict[str, Any], open_issues: int) -> dict[str, Any]:
    api = f"{base}/repos/{r.owner}/{r.name}"
    html = f"{web}/{r.owner}/{r.name}"
    out: dict[str, Any] = {
        "id": r.id,
        "node_id": f"R_sb{r.id}",
        "name": r.name,
        "full_name": r.full_name,
        "owner": owner,
        "private": False,
        "html_url": html,
        "description": "gardener sandbox repository",
        "fork": False,
        "url": api,
        "git_url": f"{html}.git",
        "ssh_url": f"{html}.git",
        "clone_url": f"{html}.git",
        "svn_url": html,
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "size": 0,
        "default_branch": "main",
        "open_issues": open_issues,
        "open_issues_count": open_issues,
        "is_template": False,
        "topics": [],
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": False,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "public",
        "pushed_at": r.created_at,
        "created_at": r.created_at,
        "updated_at": r.created_at,
        "permissions": {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True},
        "allow_forking": False,
        "web_commit_signoff_required": False,
        "license": None,
        "network_count": 0,
        "subscribers_count": 0,
    }
    out.update({k: f"{api}/{suffix}" for k, suffix in TEMPLATED.items()})
    out.update({f"{name}_url": f"{api}/{name}" for name in PLAIN})
    return out
