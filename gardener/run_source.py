"""Composing `--github-run RUN` (and `gardener fetch`): the Actions client, the cache and the budget from
options, config and the environment, then the run as a pipeline session. No click here (cli.py calls it);
PyGithub loads only when these commands run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gardener.config import Config
from gardener.github.settings import token_from
from gardener.ingest.runner_log.steps import explain_failing
from gardener.model import Attempt, AttemptStatus, FileReport, LogStep, Result
from gardener.redact import safe_inline
from gardener.sources import Budget, Cache, RunInputs, RunRef, cache_root, parse_run, read_run
from gardener.sources.fetch import Fetched, fetch_run
from gardener.sources.model import JobInfo, Traffic
from gardener.steps import step_attempts
from gardener.view.common import Ctx

if TYPE_CHECKING:
    from gardener.github.actions import GitHubActions


@dataclass(frozen=True, slots=True)
class GitHubRun:
    ref: RunRef
    api_url: str
    inputs: RunInputs

    @property
    def session(self) -> tuple[tuple[FileReport, ...], tuple[Result, ...], tuple[Attempt, ...]]:
        """What pipeline.RunOptions.session takes: the files, results and attempts (the jobs and their steps)."""
        return self.inputs.files, self.inputs.results, job_attempts(self.inputs)

    def ctx(self, base: Ctx) -> Ctx:
        """Issues say where it was seen: the run, its commit and branch (not the job gardener runs in)."""
        run = self.inputs.run
        branch = safe_inline(run.head_branch, 200, extra_values=base.secrets).replace("`", "'")
        return replace(base, run_url=run.html_url or base.run_url, commit=run.head_sha or base.commit,
                       branch=branch or base.branch)


def job_attempts(inputs: RunInputs) -> tuple[Attempt, ...]:
    """The run's tries, as the worklog's attempts summary lists them: each job of the latest attempt, by its
    log's `run:` steps when the log shows them, else as one attempt with its conclusion and key error."""
    when = inputs.run.created_at or datetime.now(UTC)
    # Each log step belongs to the job whose log it was read from (whatever results of it survived dedupe).
    job_of_log = {path: str(job_id) for job_id, path in inputs.job_logs}
    steps_by_job: dict[str, list[LogStep]] = {}
    for step in inputs.steps:
        steps_by_job.setdefault(job_of_log.get(step.path, ""), []).append(step)
    latest: dict[str, JobInfo] = {}
    for job in inputs.jobs:
        if job.attempt >= latest.get(job.name, job).attempt:
            latest[job.name] = job
    out: list[Attempt] = []
    for job in latest.values():
        steps = steps_by_job.get(str(job.id))
        if steps:
            out.extend(replace(a, name=f"{job.name}: {a.name}") for a in step_attempts(steps, when))
            continue
        failing = sorted((r for r in inputs.results if r.is_failing and dict(r.properties).get("job") == job.name),
                         key=lambda r: r.source_line or 0)
        failed_step = next((s.name for s in job.steps if s.conclusion in ("failure", "cancelled", "timed_out")), "")
        out.append(Attempt(name=job.name, command=failed_step or f"job {job.name}", scope=None,
                           status=JOB_STATUS.get(job.conclusion or "", "NOT RUN"), exit_code=None, duration_s=0.0,
                           key_error=explain_failing(failing), output_path=job.html_url or None, reports=(),
                           started_at=when))
    return tuple(out)


JOB_STATUS: dict[str, AttemptStatus] = {"success": "SUCCESS", "failure": "FAILED", "cancelled": "FAILED",
                                        "timed_out": "TIMED OUT", "startup_failure": "FAILED"}


def _api_url(ref: RunRef, github_url: str | None, config: Config, environ: Mapping[str, str]) -> str:
    url = (github_url or ref.api_url or config.github.api_url or environ.get("GITHUB_API_URL", "").strip()
           or "https://api.github.com")
    return url.rstrip("/")


def _client(api_url: str, config: Config, environ: Mapping[str, str]) -> GitHubActions:
    from gardener.github.actions import GitHubActions  # PyGithub loads only for these commands

    return GitHubActions(api_url, token_from(environ), policy=config.github)


def budget_of(config: Config) -> Budget:
    return Budget(max_log_bytes=config.sources.max_log_bytes, artifacts=config.sources.artifacts)


def read_github_run(run: str, repo: str | None, github_url: str | None, config: Config,
                    environ: Mapping[str, str]) -> GitHubRun:
    ref = parse_run(run, repo)
    api = _api_url(ref, github_url, config, environ)
    cache = Cache(cache_root(config.sources.cache_dir, environ), api, ref.repo)
    inputs = read_run(_client(api, config, environ), ref.repo, ref.run_id, ref.attempt, cache=cache,
                      budget=budget_of(config), rules=config.rules, job_id=ref.job_id)
    return GitHubRun(ref, api, inputs)


def fetch_github_run(run: str, repo: str | None, github_url: str | None, out: Path, config: Config,
                     environ: Mapping[str, str]) -> Fetched:
    ref = parse_run(run, repo, field="RUN")
    api = _api_url(ref, github_url, config, environ)
    cache = Cache(cache_root(config.sources.cache_dir, environ), api, ref.repo)
    return fetch_run(_client(api, config, environ), ref.repo, ref.run_id, out, ref.attempt, cache=cache,
                     budget=budget_of(config), job_id=ref.job_id)


def traffic_text(t: Traffic) -> str:
    mib = t.downloaded_bytes / 1024**2
    return (f"{t.api_requests} API request(s), {t.downloads} download(s) ({mib:.1f} MiB), "
            f"{t.cache_hits} from the cache")


def run_text(source: GitHubRun) -> str:
    """One line on what was read of the run."""
    run, inputs = source.inputs.run, source.inputs
    failed = sum(1 for j in inputs.jobs if j.failed)
    attempt = f", attempt {run.attempt}" if run.attempt > 1 else ""
    return (f"GitHub Actions run {run.id} ({safe_inline(run.workflow, 80)}{attempt}, {run.conclusion or run.status}) "
            f"at {run.head_sha[:12]}: {len(inputs.jobs)} job(s), {failed} failed; "
            f"{len(inputs.files)} file(s) read; {traffic_text(inputs.traffic)}")

