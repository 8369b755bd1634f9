"""The sandbox's Actions and commit objects: immutable, built once when a run or commits file is loaded.

Runs are not part of the state file: they come from files (`--runs DIR`, `Sandbox(runs=...)`, the admin
route) and are rebuilt from them at every start. Ids are derived from the run id, so a restart serves the
same ids for the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STATUSES = ("queued", "in_progress", "completed", "waiting", "requested", "pending")
CONCLUSIONS = ("success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required", "stale")


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    number: int
    status: str
    conclusion: str | None
    started_at: str | None
    completed_at: str | None


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    run_id: int
    run_attempt: int
    name: str
    status: str
    conclusion: str | None
    created_at: str
    started_at: str
    completed_at: str | None
    steps: tuple[Step, ...]
    log: Path | None  # a plain-text file, streamed on download; None: the log is gone (404)
    runner_name: str | None
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Artifact:
    id: int
    run_id: int
    name: str
    archive: Path  # what the download streams: the given .zip (or any file) as is, or the folder zipped
    size_in_bytes: int
    expired: bool  # listed with expired: true; the download answers 410
    created_at: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class Workflow:
    id: int
    repo: str  # repo key
    name: str
    path: str  # .github/workflows/ci.yml
    created_at: str

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    repo: str  # repo key
    workflow_id: int
    name: str  # the workflow's name
    path: str  # the workflow file
    run_number: int
    run_attempt: int  # the latest attempt: the highest attempt any job has
    head_sha: str
    head_branch: str | None
    event: str
    status: str
    conclusion: str | None  # of the latest attempt
    created_at: str
    updated_at: str
    display_title: str
    actor: str
    attempt_conclusions: tuple[str | None, ...]  # index n-1: attempt n's conclusion


@dataclass(frozen=True, slots=True)
class FileChange:
    filename: str
    status: str  # added | removed | modified | renamed | ...
    additions: int
    deletions: int
    patch: str | None
    previous_filename: str | None


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_login: str | None  # a GitHub user to show as `author`; None renders null, as for unknown emails
    date: str
    message: str
    files: tuple[FileChange, ...]
    repo: str | None  # repo key; None: the commit belongs to every served repository
