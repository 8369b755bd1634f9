"""Actions: workflow runs (filters as GitHub's), attempts, jobs with steps, log and artifact downloads
(302 to a signed loopback URL), artifacts and workflows. Every route answers 403 "Resource not accessible
by integration" while the sandbox plays a token without `actions: read`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from gardener.sandbox.actions_records import STATUSES, Run
from gardener.sandbox.actions_store import ActionsStore, attempt_jobs
from gardener.sandbox.downloads import artifact_path, log_path, signed_url
from gardener.sandbox.handlers.fields import repo_of
from gardener.sandbox.paging import paginate
from gardener.sandbox.protocol import ApiError, Request, Response, error_body, not_found, validation_failed
from gardener.sandbox.records import Repo
from gardener.sandbox.render import API_PREFIX, Renderer
from gardener.sandbox.render_actions import ActionsRenderer
from gardener.sandbox.store import Store

FORBIDDEN = "Resource not accessible by integration"
ACTIONS_DOCS = "https://docs.github.com/rest/actions"


# -- runs -------------------------------------------------------------------------------------------


def list_runs(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        return _runs_page(store, req, [r for r in actions.runs_in(repo.key) if _run_matches(r, req.params)])


def list_workflow_runs(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        workflow = actions.workflow(repo.key, req.args["workflow_id"])
        if workflow is None:
            raise not_found()
        runs = [r for r in actions.runs_in(repo.key) if r.workflow_id == workflow.id and _run_matches(r, req.params)]
        return _runs_page(store, req, runs)


def get_run(store: Store, req: Request) -> Response:
    with store.read():
        _, run = _run(store, req)
        return Response(200, _render(store, req).run(run))


def get_run_attempt(store: Store, req: Request) -> Response:
    with store.read():
        actions, run = _run(store, req)
        attempt = actions.attempt(run, int(req.args["attempt_number"]))
        if attempt is None:
            raise not_found()
        return Response(200, _render(store, req).run(run, attempt.number))


# -- jobs -------------------------------------------------------------------------------------------


def list_run_jobs(store: Store, req: Request) -> Response:
    """filter=latest (default): the latest attempt's jobs; filter=all: every attempt's."""
    with store.read():
        actions, run = _run(store, req)
        which = req.params.get("filter", "latest")
        if which not in ("latest", "all"):
            raise validation_failed("Job", "invalid", "filter", "filter must be one of: latest, all")
        jobs = actions.jobs_of(run.id) if which == "all" else attempt_jobs(actions.jobs_of(run.id), run.run_attempt)
        return _jobs_page(store, req, list(jobs))


def list_attempt_jobs(store: Store, req: Request) -> Response:
    with store.read():
        actions, run = _run(store, req)
        attempt = actions.attempt(run, int(req.args["attempt_number"]))
        if attempt is None:
            raise not_found()
        return _jobs_page(store, req, list(attempt.jobs))


def get_job(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        job = actions.job(repo.key, int(req.args["job_id"]))
        if job is None:
            raise not_found()
        return Response(200, _render(store, req).job(job))


def download_job_log(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        job = actions.job(repo.key, int(req.args["job_id"]))
        if job is None or job.log is None:  # a log that is gone (never uploaded, or deleted) is 404 on GitHub too
            raise not_found()
        return _redirect(actions, req, log_path(job.id))


# -- artifacts --------------------------------------------------------------------------------------


def list_run_artifacts(store: Store, req: Request) -> Response:
    with store.read():
        actions, run = _run(store, req)
        return _artifacts_page(store, req, actions.artifacts_of(run.id, run.repo))


def list_repo_artifacts(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        return _artifacts_page(store, req, list(reversed(actions.artifacts_of(None, repo.key))))


def get_artifact(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        artifact = actions.artifact(repo.key, int(req.args["artifact_id"]))
        if artifact is None:
            raise not_found()
        return Response(200, _render(store, req).artifact(artifact))


def download_artifact(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        artifact = actions.artifact(repo.key, int(req.args["artifact_id"]))
        if artifact is None or req.args["archive_format"] != "zip":
            raise not_found()
        if artifact.expired:
            raise ApiError(410, error_body(410, "Artifact has expired", f"{ACTIONS_DOCS}/artifacts"))
        return _redirect(actions, req, artifact_path(artifact.id))


# -- workflows --------------------------------------------------------------------------------------


def list_workflows(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        workflows = actions.workflows_in(repo.key)
        page, headers = paginate(workflows, req.params, req.base_url, req.path)
        render = _render(store, req)
        return Response(200, {"total_count": len(workflows), "workflows": [render.workflow(w) for w in page]}, headers)


def get_workflow(store: Store, req: Request) -> Response:
    with store.read():
        repo, actions = _repo(store, req)
        workflow = actions.workflow(repo.key, req.args["workflow_id"])
        if workflow is None:
            raise not_found()
        return Response(200, _render(store, req).workflow(workflow))


# -- helpers ----------------------------------------------------------------------------------------


def _repo(store: Store, req: Request) -> tuple[Repo, ActionsStore]:
    repo = repo_of(store, req)
    if not store.actions.permitted:
        raise ApiError(403, error_body(403, FORBIDDEN, ACTIONS_DOCS))
    return repo, store.actions


def _run(store: Store, req: Request) -> tuple[ActionsStore, Run]:
    repo, actions = _repo(store, req)
    run = actions.run(repo.key, int(req.args["run_id"]))
    if run is None:
        raise not_found()
    return actions, run


def _render(store: Store, req: Request) -> ActionsRenderer:
    return ActionsRenderer(Renderer(store, req.base_url))


def _redirect(actions: ActionsStore, req: Request, path: str) -> Response:
    web_root = req.base_url.rstrip("/").removesuffix(API_PREFIX)  # downloads live off the API root
    return Response(302, None, {"Location": signed_url(actions, web_root, path)})


def _runs_page(store: Store, req: Request, runs: list[Run]) -> Response:
    page, headers = paginate(runs, req.params, req.base_url, req.path)
    render = _render(store, req)
    return Response(200, {"total_count": len(runs), "workflow_runs": [render.run(r) for r in page]}, headers)


def _jobs_page(store: Store, req: Request, jobs: list[Any]) -> Response:
    page, headers = paginate(jobs, req.params, req.base_url, req.path)
    render = _render(store, req)
    return Response(200, {"total_count": len(jobs), "jobs": [render.job(j) for j in page]}, headers)


def _artifacts_page(store: Store, req: Request, artifacts: list[Any]) -> Response:
    name = req.params.get("name")
    if name:
        artifacts = [a for a in artifacts if a.name == name]
    page, headers = paginate(artifacts, req.params, req.base_url, req.path)
    render = _render(store, req)
    return Response(200, {"total_count": len(artifacts), "artifacts": [render.artifact(a) for a in page]}, headers)


# -- run filters ------------------------------------------------------------------------------------


def _run_matches(run: Run, params: Mapping[str, str]) -> bool:
    checks: dict[str, Callable[[str], bool]] = {
        "branch": lambda v: run.head_branch == v,
        "event": lambda v: run.event == v,
        "actor": lambda v: run.actor.lower() == v.lower(),
        "head_sha": lambda v: run.head_sha == v.lower(),
        "status": lambda v: (run.status == v) if v in STATUSES else (run.conclusion == v),
        "created": lambda v: _in_range(run.created_at, v),
        "check_suite_id": lambda v: str(run.id + 1) == v,
    }
    return all(check(params[key]) for key, check in checks.items() if params.get(key))


DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _in_range(created_at: str, spec: str) -> bool:
    """GitHub's search date syntax: DATE, >DATE, >=DATE, <DATE, <=DATE, A..B, A..*, *..B."""
    when = _moment(created_at, end=False)
    if ".." in spec:
        low, high = spec.split("..", 1)
        return (low == "*" or when >= _moment(low, end=False)) and (high == "*" or when <= _moment(high, end=True))
    if spec.startswith(">="):
        return when >= _moment(spec[2:], end=False)
    if spec.startswith("<="):
        return when <= _moment(spec[2:], end=True)
    if spec.startswith(">"):
        return when > _moment(spec[1:], end=True)
    if spec.startswith("<"):
        return when < _moment(spec[1:], end=False)
    return _moment(spec, end=False) <= when <= _moment(spec, end=True)


def _moment(value: str, *, end: bool) -> datetime:
    """A date means its first moment (end=False) or its last (end=True); a date-time means itself."""
    value = value.strip()
    try:
        if DATE_ONLY.fullmatch(value):
            day = datetime.fromisoformat(value).replace(tzinfo=UTC)
            return day + timedelta(days=1, microseconds=-1) if end else day
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise validation_failed("WorkflowRun", "invalid", "created", f"invalid date {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
