"""Actions runs, jobs, artifacts, workflows and commits, built from run descriptions and queried by handlers.

Registration turns a RunSpec into records: ids derive from the run id (job ids `run_id * 10_000 + n`,
artifact ids `run_id * 1_000 + n`, unless the file gives them), workflows are keyed by repository and file,
run numbers count on from the workflow's highest, and folders given as artifacts are zipped once into a private work
folder. Everything here runs under the Store's lock.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gardener.sandbox.actions_records import Artifact, Commit, Job, Run, Step, Workflow
from gardener.sandbox.runs_loader import UNSET, ArtifactSpec, JobSpec, RunSpec, RunSpecError

JOB_IDS_PER_RUN = 10_000
ARTIFACT_IDS_PER_RUN = 1_000
FIRST_ADMIN_RUN_ID = 9_000_000_001  # runs registered without an id count up from here
ARTIFACT_RETENTION = timedelta(days=90)
SEVERITY = ("failure", "timed_out", "cancelled", "action_required", "stale", "neutral", "skipped", "success")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt of a run as GitHub shows it: its own jobs plus, for jobs not re-run, their latest earlier one."""

    number: int
    jobs: tuple[Job, ...]


class ActionsStore:
    def __init__(self) -> None:
        self.runs: dict[int, Run] = {}
        self.jobs: dict[int, Job] = {}
        self.artifacts: dict[int, Artifact] = {}
        self.workflows: dict[int, Workflow] = {}
        self.commits: dict[str, Commit] = {}
        self.secret = secrets.token_bytes(32)  # signs download URLs (downloads.py)
        self.permitted = True  # False: every Actions route answers 403 (a token without actions: read)
        self._workdir: Path | None = None

    # -- registration -------------------------------------------------------------------------------

    def add_run(self, spec: RunSpec, repo_key: str) -> Run:
        run_id = spec.id if spec.id is not None else max([FIRST_ADMIN_RUN_ID - 1, *self.runs]) + 1
        if run_id in self.runs:
            raise RunSpecError(f"run id {run_id} is already registered")
        if run_id == 0:
            raise RunSpecError("run id 0 is not a valid id")
        workflow = self._workflow(repo_key, spec)
        jobs = tuple(_job(run_id, n, j, spec.created_at) for n, j in enumerate(spec.jobs, 1))
        if len({j.id for j in jobs}) != len(jobs) or any(j.id in self.jobs for j in jobs):
            raise RunSpecError(f"run {run_id}: job ids repeat")
        artifacts = tuple(self._artifact(run_id, n, a, _uploaded(a.attempt, jobs, spec.created_at))
                          for n, a in enumerate(spec.artifacts, 1))
        if len({a.id for a in artifacts}) != len(artifacts) or any(a.id in self.artifacts for a in artifacts):
            raise RunSpecError(f"run {run_id}: artifact ids repeat")
        attempts = max((j.run_attempt for j in jobs), default=1)
        conclusions = tuple(overall(attempt_jobs(jobs, n)) for n in range(1, attempts + 1))
        conclusion = conclusions[-1] if spec.conclusion is UNSET else spec.conclusion
        status = spec.status or ("completed" if conclusion is not None else "in_progress")
        same = [r.run_number for r in self.runs.values() if r.workflow_id == workflow.id]
        number = spec.run_number or 1 + max(same, default=0)
        ends = [j.completed_at or j.started_at for j in jobs]
        run = Run(
            id=run_id,
            repo=repo_key,
            workflow_id=workflow.id,
            name=workflow.name,
            path=workflow.path,
            run_number=number,
            run_attempt=attempts,
            head_sha=spec.head_sha,
            head_branch=spec.head_branch,
            event=spec.event,
            status=status,
            conclusion=conclusion,
            created_at=spec.created_at,
            updated_at=spec.updated_at or max([spec.created_at, *ends]),
            display_title=spec.display_title or self._title(spec),
            actor=spec.actor or "gardener-bot",
            attempt_conclusions=(*conclusions[:-1], conclusion),
        )
        self.workflows[workflow.id] = workflow
        self.runs[run.id] = run
        self.jobs.update({j.id: j for j in jobs})
        self.artifacts.update({a.id: a for a in artifacts})
        return run

    def add_commits(self, commits: Iterable[Commit]) -> None:
        for c in commits:
            self.commits[c.sha] = c

    def close(self) -> None:
        """Remove the zipped folders; the sandbox calls this when it stops."""
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def clear(self) -> None:
        self.runs.clear()
        self.jobs.clear()
        self.artifacts.clear()
        self.workflows.clear()
        self.commits.clear()
        self.close()

    # -- queries ------------------------------------------------------------------------------------

    def run(self, repo_key: str, run_id: int) -> Run | None:
        found = self.runs.get(run_id)
        return found if found is not None and found.repo == repo_key else None

    def runs_in(self, repo_key: str) -> list[Run]:
        """Newest first, as GitHub lists them."""
        mine = (r for r in self.runs.values() if r.repo == repo_key)
        return sorted(mine, key=lambda r: (r.created_at, r.id), reverse=True)

    def jobs_of(self, run_id: int) -> tuple[Job, ...]:
        return tuple(sorted((j for j in self.jobs.values() if j.run_id == run_id), key=lambda j: j.id))

    def attempt(self, run: Run, number: int) -> Attempt | None:
        if not 1 <= number <= run.run_attempt:
            return None
        return Attempt(number, attempt_jobs(self.jobs_of(run.id), number))

    def job(self, repo_key: str, job_id: int) -> Job | None:
        found = self.jobs.get(job_id)
        return found if found is not None and self.run(repo_key, found.run_id) is not None else None

    def artifact(self, repo_key: str, artifact_id: int) -> Artifact | None:
        found = self.artifacts.get(artifact_id)
        return found if found is not None and self.run(repo_key, found.run_id) is not None else None

    def artifacts_of(self, run_id: int | None, repo_key: str) -> list[Artifact]:
        wanted = (a for a in self.artifacts.values() if run_id is None or a.run_id == run_id)
        return sorted((a for a in wanted if self.run(repo_key, a.run_id)), key=lambda a: a.id)

    def workflows_in(self, repo_key: str) -> list[Workflow]:
        return sorted((w for w in self.workflows.values() if w.repo == repo_key), key=lambda w: w.id)

    def workflow(self, repo_key: str, ref: str) -> Workflow | None:
        """By id or by file name (`ci.yml`), as GitHub accepts both."""
        for w in self.workflows_in(repo_key):
            if (ref.isdigit() and w.id == int(ref)) or ref in (w.file_name, w.path):
                return w
        return None

    def commit(self, repo_key: str, ref: str) -> Commit | None:
        """A full SHA, an unambiguous prefix of at least 4 characters, or a branch name: the head SHA of
        the branch's newest run (the sandbox has no refs of its own)."""
        sha = ref.lower()
        if sha in self.commits:
            found: Commit | None = self.commits[sha]
        else:
            hits = [c for key, c in self.commits.items() if len(sha) >= 4 and key.startswith(sha)]
            found = hits[0] if len(hits) == 1 else None
        if found is None:
            newest = next((r for r in self.runs_in(repo_key) if r.head_branch == ref), None)
            found = self.commits.get(newest.head_sha) if newest is not None else None
        return found if found is not None and found.repo in (None, repo_key) else None

    # -- helpers ------------------------------------------------------------------------------------

    def _workflow(self, repo_key: str, spec: RunSpec) -> Workflow:
        path = spec.workflow_path or f".github/workflows/{_slug(spec.workflow)}.yml"
        wid = zlib.crc32(f"{repo_key}\0{path}".encode()) % 900_000_000 + 100_000_000
        existing = self.workflows.get(wid)
        if existing is not None:
            return existing
        return Workflow(id=wid, repo=repo_key, name=spec.workflow, path=path, created_at=spec.created_at)

    def _title(self, spec: RunSpec) -> str:
        commit = self.commits.get(spec.head_sha)
        return commit.message.split("\n", 1)[0] if commit and commit.message else spec.workflow

    def _artifact(self, run_id: int, n: int, spec: ArtifactSpec, created_at: str) -> Artifact:
        expires_at = spec.expires_at or _iso(_parse(created_at) + ARTIFACT_RETENTION)
        archive = spec.path
        if not spec.expired and spec.path.is_dir():
            archive = self._zip_folder(spec.path, f"{run_id}-{n}.zip")
        size = archive.stat().st_size if archive.is_file() else 0
        return Artifact(
            id=spec.id if spec.id is not None else run_id * ARTIFACT_IDS_PER_RUN + n,
            run_id=run_id,
            name=spec.name,
            archive=archive,
            size_in_bytes=size,
            expired=spec.expired,
            created_at=spec.created_at or created_at,
            expires_at=expires_at,
        )

    def _zip_folder(self, folder: Path, name: str) -> Path:
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="gardener-sandbox-artifacts-"))
        target = self._workdir / name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.is_symlink():
                    zf.write(file, file.relative_to(folder).as_posix())
        return target


def _uploaded(attempt: int, jobs: Iterable[Job], run_created: str) -> str:
    """When an artifact of `attempt` was uploaded, unless its spec says: as that attempt's last job ended."""
    ends = [j.completed_at or j.started_at for j in jobs if j.run_attempt == attempt]
    return max(ends) if ends else run_created


def attempt_jobs(jobs: Iterable[Job], number: int) -> tuple[Job, ...]:
    """Attempt `number`'s jobs: for each job name, its run in the latest attempt not after `number`."""
    latest: dict[str, Job] = {}
    for j in sorted(jobs, key=lambda j: (j.run_attempt, j.id)):
        if j.run_attempt <= number:
            latest[j.name] = j
    return tuple(sorted(latest.values(), key=lambda j: j.id))


def overall(jobs: Iterable[Job]) -> str | None:
    """The run's conclusion from its jobs: the worst one; None while any job is unfinished."""
    conclusions = [j.conclusion for j in jobs]
    if any(c is None for c in conclusions):
        return None
    if not conclusions:
        return "success"
    return min(conclusions, key=lambda c: SEVERITY.index(c) if c in SEVERITY else len(SEVERITY))


def _job(run_id: int, n: int, spec: JobSpec, run_created: str) -> Job:
    started = spec.started_at or _iso(_parse(run_created) + timedelta(minutes=10 * (spec.attempt - 1), seconds=5))
    done = (
        spec.completed_at
        if spec.completed_at
        else (_iso(_parse(started) + timedelta(seconds=len(spec.steps) + 1)) if spec.status == "completed" else None)
    )
    steps = []
    for i, s in enumerate(spec.steps, 1):
        s_start = s.started_at or (_iso(_parse(started) + timedelta(seconds=i - 1)) if s.status != "queued" else None)
        s_end = s.completed_at or (_iso(_parse(started) + timedelta(seconds=i)) if s.status == "completed" else None)
        steps.append(Step(s.name, i, s.status, s.conclusion, s_start, s_end))
    return Job(
        id=spec.id if spec.id is not None else run_id * JOB_IDS_PER_RUN + n,
        run_id=run_id,
        run_attempt=spec.attempt,
        name=spec.name,
        status=spec.status,
        conclusion=spec.conclusion,
        created_at=started,
        started_at=started,
        completed_at=done,
        steps=tuple(steps),
        log=spec.log,
        runner_name=spec.runner_name,
        labels=spec.labels,
    )


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "workflow"


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
