"""A GitHub Actions run as gardener reads it: plain frozen data, standard library only.

gardener/github/actions.py fills these from PyGithub; everything in gardener/sources works on them
through the ActionsAPI protocol, so the reading logic never touches PyGithub.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from gardener.errors import GardenerError
from gardener.model import FileReport, LogStep, Result

FAILED_CONCLUSIONS = frozenset({"failure", "cancelled", "timed_out", "startup_failure"})


@dataclass(frozen=True, slots=True)
class StepInfo:
    number: int
    name: str
    status: str
    conclusion: str | None


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: int
    name: str
    attempt: int
    status: str
    conclusion: str | None
    html_url: str = ""
    steps: tuple[StepInfo, ...] = ()
    started_at: datetime | None = None

    @property
    def failed(self) -> bool:
        return self.conclusion in FAILED_CONCLUSIONS

    @property
    def completed(self) -> bool:
        return self.status == "completed"


@dataclass(frozen=True, slots=True)
class ArtifactInfo:
    id: int
    name: str
    size: int
    expired: bool = False
    created_at: datetime | None = None  # when it was uploaded: the only trace of which attempt made it


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    repo: str
    workflow: str
    head_sha: str
    head_branch: str
    event: str
    attempt: int
    status: str
    conclusion: str | None
    html_url: str
    created_at: datetime | None = None


class SourceUnavailable(GardenerError):
    """Something of the run that could not be read; `status` is GitHub's answer when there was one."""

    def __init__(self, what: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{what}: {reason}")
        self.what = what
        self.reason = reason
        self.status = status


class ActionsAPI(Protocol):
    """What reading a run needs from GitHub (gardener/github/actions.py; the sandbox in tests)."""

    @property
    def api_url(self) -> str: ...

    def requests_made(self) -> int: ...

    def run(self, repo: str, run_id: int, attempt: int | None = None) -> RunInfo: ...

    def jobs(self, repo: str, run_id: int) -> tuple[JobInfo, ...]: ...

    def artifacts(self, repo: str, run_id: int) -> tuple[ArtifactInfo, ...]: ...

    def log_location(self, repo: str, job_id: int) -> str: ...

    def artifact_location(self, repo: str, artifact_id: int) -> str: ...

    def runs(self, repo: str, *, branch: str | None = None, status: str | None = None,
             created: str | None = None, limit: int = 100) -> tuple[RunInfo, ...]: ...


@dataclass(frozen=True, slots=True)
class Traffic:
    """What reading a run cost: API requests, downloads (and their bytes), and what the cache saved."""

    api_requests: int = 0
    downloads: int = 0
    downloaded_bytes: int = 0
    cache_hits: int = 0


@dataclass(frozen=True, slots=True)
class RunInputs:
    """Everything read from one run: its metadata, jobs, what was ingested, and one line per problem."""

    run: RunInfo
    jobs: tuple[JobInfo, ...]
    artifacts: tuple[ArtifactInfo, ...]
    files: tuple[FileReport, ...]
    results: tuple[Result, ...]
    steps: tuple[LogStep, ...]
    notes: tuple[str, ...]
    traffic: Traffic
    job_logs: tuple[tuple[int, str], ...] = ()  # (job id, the path its log was read from), for each log read
