"""GitHub Actions reads through PyGithub: a run, its jobs (every attempt), its artifacts, and where the
job logs and artifact archives can be downloaded from (the 302 Location, not followed here: the bytes
are fetched without credentials by gardener/sources/download.py).

A sibling of client.py, allowed to import PyGithub by the import contract: both are the GitHub adapter.
Errors become SourceUnavailable with GitHub's status, so the reader can name what is missing and why;
rate limits and 5xx are retried under client_retry's rules. Every request is counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import github
from github.Artifact import Artifact
from github.GithubException import GithubException
from github.GithubObject import GithubObject
from github.PaginatedList import PaginatedList
from github.WorkflowJob import WorkflowJob
from github.WorkflowRun import WorkflowRun

from gardener import __version__
from gardener.github.client import PER_PAGE, TIMEOUT_S, CountingAnonymous, CountingToken, _Counter, _failure
from gardener.github.client_retry import judge
from gardener.model import TrackerPolicy
from gardener.sources.model import ArtifactInfo, JobInfo, RunInfo, SourceUnavailable, StepInfo

T = TypeVar("T")
G = TypeVar("G", bound=GithubObject)
WHY = {
    401: "GitHub refused the token",
    403: "forbidden: the token needs `actions: read` on this repository (or the rate limit is spent)",
    404: "not found (a private repository needs a token with `actions: read`; or it was deleted)",
    410: "gone: expired or deleted on GitHub",
}


class GitHubActions:
    """One API host's Actions endpoints, as gardener/sources/model.ActionsAPI."""

    def __init__(self, api_url: str, token: str | None, *, policy: TrackerPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep, backoff_s: float = 1.0) -> None:
        self._api_url = api_url.rstrip("/")
        self._counter = _Counter()
        auth: Any = CountingToken(token, self._counter) if token else CountingAnonymous(self._counter)
        self._gh = github.Github(base_url=self._api_url, auth=auth, retry=None, seconds_between_requests=None,
                                 seconds_between_writes=None, timeout=TIMEOUT_S, per_page=PER_PAGE, lazy=True,
                                 user_agent=f"gardener/{__version__}")
        self._policy = policy or TrackerPolicy()
        self._sleep = sleep
        self._backoff_s = backoff_s

    @property
    def api_url(self) -> str:
        return self._api_url

    def requests_made(self) -> int:
        return self._counter.value

    def run(self, repo: str, run_id: int, attempt: int | None = None) -> RunInfo:
        what = f"run {run_id} of {repo}" + (f" (attempt {attempt})" if attempt else "")

        def fetch() -> RunInfo:
            run = self._gh.get_repo(repo).get_workflow_run(run_id)
            if attempt is not None:
                run = run.get_attempt(attempt)
            return _run_info(repo, run, run_id)

        return self._call(what, fetch)

    def jobs(self, repo: str, run_id: int) -> tuple[JobInfo, ...]:
        def fetch() -> tuple[JobInfo, ...]:
            listing = self._listing(WorkflowJob, f"/repos/{repo}/actions/runs/{run_id}/jobs", "jobs", {"filter": "all"})
            return tuple(_job_info(j) for j in listing)  # every attempt, 100 a page

        return self._call(f"jobs of run {run_id}", fetch)

    def artifacts(self, repo: str, run_id: int) -> tuple[ArtifactInfo, ...]:
        def fetch() -> tuple[ArtifactInfo, ...]:
            listing = self._listing(Artifact, f"/repos/{repo}/actions/runs/{run_id}/artifacts", "artifacts")
            return tuple(ArtifactInfo(a.id, a.name or "", a.size_in_bytes or 0, bool(a.expired), a.created_at)
                         for a in listing)

        return self._call(f"artifacts of run {run_id}", fetch)

    def log_location(self, repo: str, job_id: int) -> str:
        return self._location(f"log of job {job_id}", f"/repos/{repo}/actions/jobs/{job_id}/logs")

    def artifact_location(self, repo: str, artifact_id: int) -> str:
        return self._location(f"artifact {artifact_id}", f"/repos/{repo}/actions/artifacts/{artifact_id}/zip")

    def runs(self, repo: str, *, branch: str | None = None, status: str | None = None,
             created: str | None = None, limit: int = 100) -> tuple[RunInfo, ...]:
        """The repository's runs, newest first (`status` such as "failure", `created` such as ">=2026-01-01")."""
        def fetch() -> tuple[RunInfo, ...]:
            kwargs: dict[str, Any] = {}
            if branch:
                kwargs["branch"] = branch
            if status:
                kwargs["status"] = status
            if created:
                kwargs["created"] = created
            listing = self._gh.get_repo(repo).get_workflow_runs(**kwargs)
            return tuple(_run_info(repo, r) for r in _first(listing, limit))

        return self._call(f"runs of {repo}", fetch)

    # -- requests ----------------------------------------------------------------------------------

    def _listing(self, cls: type[G], path: str, item: str, params: dict[str, Any] | None = None) -> PaginatedList[G]:
        """A paged list straight from its path: going through a lazy WorkflowRun would first GET the run
        again just to learn the list's URL."""
        return PaginatedList(cls, self._gh.requester, path, params, list_item=item)

    def _location(self, what: str, path: str) -> str:
        def fetch() -> str:
            status, headers, _ = self._gh.requester.requestJson("GET", path)
            headers = {str(k).lower(): str(v) for k, v in headers.items()}
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                return str(headers["location"])
            if status >= 400:
                raise GithubException(status, None, headers)
            raise SourceUnavailable(what, f"expected a redirect to the download, got HTTP {status}", status)

        return self._call(what, fetch)

    def _call(self, what: str, call: Callable[[], T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except (GithubException, OSError) as exc:
                failure = _failure(exc)
            if failure.status in WHY:
                raise SourceUnavailable(what, f"HTTP {failure.status}, {WHY[failure.status]}", failure.status)
            verdict = judge(failure, attempt, self._policy, time.time(), self._backoff_s)
            if verdict.action != "retry":
                raise SourceUnavailable(what, verdict.why, failure.status)
            self._sleep(verdict.wait_s)


def _first(items: Iterable[T], limit: int) -> list[T]:
    out: list[T] = []
    for item in items:
        if len(out) >= limit:
            break
        out.append(item)
    return out


def _run_info(repo: str, run: WorkflowRun, run_id: int | None = None) -> RunInfo:
    # Attributes, never raw_data: on a listed (not yet completed) PyGithub object raw_data GETs it again.
    # `run_id` when known: an attempt's lazy object takes its `id` from its URL (`.../attempts/N` gives N).
    return RunInfo(
        id=run_id if run_id is not None else int(run.id),
        repo=repo,
        workflow=run.name or "",
        head_sha=run.head_sha or "",
        head_branch=run.head_branch or "",
        event=run.event or "",
        attempt=int(run.run_attempt or 1),
        status=run.status or "",
        conclusion=run.conclusion,
        html_url=run.html_url or "",
        created_at=run.created_at,
    )


def _job_info(job: WorkflowJob) -> JobInfo:
    # Attributes, never raw_data: each listed job's raw_data would cost a GET of that job.
    steps = tuple(StepInfo(int(s.number or 0), s.name or "", s.status or "", s.conclusion) for s in job.steps or ())
    return JobInfo(
        id=int(job.id),
        name=job.name or "",
        attempt=int(job.run_attempt or 1),
        status=job.status or "",
        conclusion=job.conclusion,
        html_url=job.html_url or "",
        steps=steps,
        started_at=job.started_at,
    )
