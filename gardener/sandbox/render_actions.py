"""JSON shapes of GitHub's Actions and commit objects (`workflow-run`, `job`, `artifact`, `workflow`,
`commit`, `commit-comparison`), every URL under the sandbox's own base URL. Call while holding the lock."""

from __future__ import annotations

import hashlib
from typing import Any

from gardener.sandbox.actions_records import Artifact, Commit, FileChange, Job, Run, Workflow
from gardener.sandbox.actions_store import ActionsStore
from gardener.sandbox.render import Renderer

Json = dict[str, Any]
UNSIGNED: Json = {"verified": False, "reason": "unsigned", "signature": None, "payload": None, "verified_at": None}


class ActionsRenderer:
    def __init__(self, base: Renderer) -> None:
        self.r = base
        self.actions: ActionsStore = base.store.actions

    def _repo_api(self, key: str) -> str:
        return self.r.repo_url(key)

    def _repo_web(self, key: str) -> str:
        repo = self.r.store.repo_by_key(key)
        return f"{self.r.web}/{repo.owner}/{repo.name}"

    # -- runs ---------------------------------------------------------------------------------------

    def run(self, run: Run, attempt: int | None = None) -> Json:
        """The run as of its latest attempt, or as of `attempt` (GET .../attempts/{n})."""
        number = attempt or run.run_attempt
        api = f"{self._repo_api(run.repo)}/actions/runs/{run.id}"
        repo = self.r.repo(self.r.store.repo_by_key(run.repo))
        conclusion = run.attempt_conclusions[number - 1]
        jobs = [j for j in self.actions.jobs_of(run.id) if j.run_attempt == number]
        started = min((j.started_at for j in jobs), default=run.created_at)
        return {
            "id": run.id,
            "name": run.name,
            "node_id": f"WFR_sb{run.id}",
            "check_suite_id": run.id + 1,
            "check_suite_node_id": f"CS_sb{run.id + 1}",
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": run.path,
            "run_number": run.run_number,
            "run_attempt": number,
            "referenced_workflows": [],
            "event": run.event,
            "status": run.status if number == run.run_attempt else "completed",
            "conclusion": conclusion,
            "workflow_id": run.workflow_id,
            "url": api if attempt is None else f"{api}/attempts/{number}",
            "html_url": f"{self._repo_web(run.repo)}/actions/runs/{run.id}"
            + ("" if attempt is None else f"/attempts/{number}"),
            "pull_requests": [],
            "created_at": run.created_at,
            "updated_at": run.updated_at,
            "actor": self.r.user(run.actor),
            "triggering_actor": self.r.user(run.actor),
            "run_started_at": started,
            "jobs_url": f"{api}/jobs" if attempt is None else f"{api}/attempts/{number}/jobs",
            "logs_url": f"{api}/logs" if attempt is None else f"{api}/attempts/{number}/logs",
            "check_suite_url": f"{self._repo_api(run.repo)}/check-suites/{run.id + 1}",
            "artifacts_url": f"{api}/artifacts",
            "cancel_url": f"{api}/cancel",
            "rerun_url": f"{api}/rerun",
            "previous_attempt_url": f"{api}/attempts/{number - 1}" if number > 1 else None,
            "workflow_url": f"{self._repo_api(run.repo)}/actions/workflows/{run.workflow_id}",
            "head_commit": self.simple_commit(run),
            "repository": repo,
            "head_repository": repo,
            "head_repository_id": repo["id"],
            "display_title": run.display_title,
        }

    def simple_commit(self, run: Run) -> Json:
        commit = self.actions.commit(run.repo, run.head_sha)
        if commit is None:  # not in commits.json: what the run itself knows
            who = {"name": run.actor, "email": f"{run.actor}@users.noreply.example.com"}
            return {"id": run.head_sha, "tree_id": _tree(run.head_sha), "message": run.display_title,
                    "timestamp": run.created_at, "author": who, "committer": who}  # fmt: skip
        who = {"name": commit.author_name, "email": commit.author_email}
        return {"id": commit.sha, "tree_id": _tree(commit.sha), "message": commit.message,
                "timestamp": commit.date, "author": who, "committer": who}  # fmt: skip

    # -- jobs ---------------------------------------------------------------------------------------

    def job(self, job: Job) -> Json:
        run = self.actions.runs[job.run_id]
        api = self._repo_api(run.repo)
        return {
            "id": job.id,
            "run_id": run.id,
            "workflow_name": run.name,
            "head_branch": run.head_branch,
            "run_url": f"{api}/actions/runs/{run.id}",
            "run_attempt": job.run_attempt,
            "node_id": f"CR_sb{job.id}",
            "head_sha": run.head_sha,
            "url": f"{api}/actions/jobs/{job.id}",
            "html_url": f"{self._repo_web(run.repo)}/actions/runs/{run.id}/job/{job.id}",
            "status": job.status,
            "conclusion": job.conclusion,
            "created_at": job.created_at,
            "started_at": job.started_at,
            "completed_at": job.completed_at,
            "name": job.name,
            "steps": [
                {
                    "name": s.name,
                    "status": s.status,
                    "conclusion": s.conclusion,
                    "number": s.number,
                    "started_at": s.started_at,
                    "completed_at": s.completed_at,
                }
                for s in job.steps
            ],
            "check_run_url": f"{api}/check-runs/{job.id}",
            "labels": list(job.labels),
            "runner_id": 1,
            "runner_name": job.runner_name,
            "runner_group_id": 1,
            "runner_group_name": "GitHub Actions",
        }

    # -- artifacts and workflows --------------------------------------------------------------------

    def artifact(self, a: Artifact) -> Json:
        run = self.actions.runs[a.run_id]
        api = f"{self._repo_api(run.repo)}/actions/artifacts/{a.id}"
        return {
            "id": a.id,
            "node_id": f"MDg6QXJ0aWZhY3Q{a.id}",
            "name": a.name,
            "size_in_bytes": a.size_in_bytes,
            "url": api,
            "archive_download_url": f"{api}/zip",
            "expired": a.expired,
            "created_at": a.created_at,
            "updated_at": a.created_at,
            "expires_at": a.expires_at,
            "digest": None,
            "workflow_run": {
                "id": run.id,
                "repository_id": self.r.store.repo_by_key(run.repo).id,
                "head_repository_id": self.r.store.repo_by_key(run.repo).id,
                "head_branch": run.head_branch,
                "head_sha": run.head_sha,
            },
        }

    def workflow(self, w: Workflow) -> Json:
        web = self._repo_web(w.repo)
        return {
            "id": w.id,
            "node_id": f"W_sb{w.id}",
            "name": w.name,
            "path": w.path,
            "state": "active",
            "created_at": w.created_at,
            "updated_at": w.created_at,
            "url": f"{self._repo_api(w.repo)}/actions/workflows/{w.id}",
            "html_url": f"{web}/blob/main/{w.path}",
            "badge_url": f"{web}/workflows/{w.name}/badge.svg",
        }

    # -- commits ------------------------------------------------------------------------------------

    def commit(self, key: str, c: Commit, *, with_files: bool = True) -> Json:
        api = f"{self._repo_api(key)}/commits/{c.sha}"
        web = self._repo_web(key)
        git_user = {"name": c.author_name, "email": c.author_email, "date": c.date}
        user = self.r.user(c.author_login) if c.author_login else None
        out: Json = {
            "url": api,
            "sha": c.sha,
            "node_id": f"C_sb{c.sha[:20]}",
            "html_url": f"{web}/commit/{c.sha}",
            "comments_url": f"{api}/comments",
            "commit": {
                "url": f"{self._repo_api(key)}/git/commits/{c.sha}",
                "author": git_user,
                "committer": git_user,
                "message": c.message,
                "comment_count": 0,
                "tree": {"sha": _tree(c.sha), "url": f"{self._repo_api(key)}/git/trees/{_tree(c.sha)}"},
                "verification": UNSIGNED,
            },
            "author": user,
            "committer": user,
            "parents": [
                {"sha": p, "url": f"{self._repo_api(key)}/commits/{p}", "html_url": f"{web}/commit/{p}"}
                for p in c.parents
            ],
        }
        if with_files:
            adds = sum(f.additions for f in c.files)
            dels = sum(f.deletions for f in c.files)
            out["stats"] = {"additions": adds, "deletions": dels, "total": adds + dels}
            out["files"] = [self.file(key, c.sha, f) for f in c.files]
        return out

    def file(self, key: str, sha: str, f: FileChange) -> Json:
        web = self._repo_web(key)
        out: Json = {
            "sha": hashlib.sha1(f"{sha}\0{f.filename}".encode()).hexdigest(),  # an id, not security
            "filename": f.filename,
            "status": f.status,
            "additions": f.additions,
            "deletions": f.deletions,
            "changes": f.additions + f.deletions,
            "blob_url": f"{web}/blob/{sha}/{f.filename}",
            "raw_url": f"{web}/raw/{sha}/{f.filename}",
            "contents_url": f"{self._repo_api(key)}/contents/{f.filename}?ref={sha}",
        }
        if f.patch is not None:
            out["patch"] = f.patch
        if f.previous_filename is not None:
            out["previous_filename"] = f.previous_filename
        return out


def _tree(sha: str) -> str:
    """A stable made-up tree SHA: the sandbox has commits, not trees."""
    return hashlib.sha1(f"tree\0{sha}".encode()).hexdigest()  # an id, not security
