"""`gardener fetch RUN --out DIR`: the files `--github-run` would read, downloaded and nothing more.

    DIR/run.json                                  the run and its jobs (every attempt) with their steps
    DIR/logs/<attempt>-<job name>-<job id>.log    the log of each failed or cancelled job
    DIR/artifacts/<artifact name>/...             each matching artifact, safely unzipped

Downloads go through the same cache, limits and safe unzip as `gardener run --github-run`.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from gardener import regex as re
from gardener.sources.cache import Cache
from gardener.sources.model import ActionsAPI, JobInfo, SourceUnavailable, Traffic
from gardener.sources.read import (
    DEFAULT_BUDGET,
    Budget,
    _Tally,
    chosen_jobs,
    ensure_artifact,
    ensure_log,
    of_attempt,
    wanted_artifact,
)

_UNSAFE = re.lazy(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Fetched:
    files: tuple[Path, ...]
    notes: tuple[str, ...]
    traffic: Traffic


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def safe_name(name: str) -> str:
    """A job or artifact name as one harmless path component."""
    return _UNSAFE.sub("_", name).strip("._")[:100] or "unnamed"


def fetch_run(client: ActionsAPI, repo: str, run_id: int, out: Path, attempt: int | None = None, *, cache: Cache,
              budget: Budget = DEFAULT_BUDGET, job_id: int | None = None) -> Fetched:
    """`job_id` (a URL's `/job/N`) limits the logs fetched to that job's attempts, as `read_run` does."""
    start = client.requests_made()
    run = client.run(repo, run_id, attempt)
    notes: list[str] = []
    tally = _Tally()
    written: list[Path] = []
    every_attempt: tuple[JobInfo, ...] = ()
    try:
        every_attempt = client.jobs(repo, run_id)
    except SourceUnavailable as exc:
        notes.append(f"jobs of run {run_id}: {exc.reason}")
    jobs = tuple(j for j in every_attempt if j.attempt <= run.attempt)
    chosen = chosen_jobs(jobs, job_id)
    if jobs and not chosen:
        notes.append(f"job {job_id} is not a job of run {run_id}; fetching every job's log")
        chosen = jobs
    out.mkdir(parents=True, exist_ok=True)
    for job in chosen:
        if job.failed and job.completed and (got := ensure_log(client, repo, job, cache, budget, tally, notes)):
            target = out / "logs" / f"{job.attempt}-{safe_name(job.name)}-{job.id}.log"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(got[0], target)
            written.append(target)
    try:
        artifacts = of_attempt(client.artifacts(repo, run_id), every_attempt, run, notes)
    except SourceUnavailable as exc:
        artifacts = ()
        notes.append(f"artifacts of run {run_id}: {exc.reason}")
    for art in artifacts:
        if wanted_artifact(art.name, budget.artifacts) and (
                folder := ensure_artifact(client, repo, art, cache, budget, tally, notes)):
            target = out / "artifacts" / f"{safe_name(art.name)}-{art.id}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(folder, target)
            written.append(target)
    meta = {"run": asdict(run), "jobs": [asdict(j) for j in jobs], "artifacts": [asdict(a) for a in artifacts],
            "notes": notes}
    (out / "run.json").write_text(json.dumps(meta, indent=2, default=_iso) + "\n", encoding="utf-8")
    written.insert(0, out / "run.json")
    traffic = Traffic(client.requests_made() - start, tally.downloads, tally.bytes, tally.hits)
    return Fetched(tuple(written), tuple(notes), traffic)
