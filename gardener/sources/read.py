"""Reading one workflow run as gardener's inputs: `read_run(...) -> RunInputs`.

The run's metadata and every attempt's jobs come from the API (PyGithub, behind ActionsAPI); the log of
each failed or cancelled job and each artifact whose name matches the configured globs are downloaded
(cached by id), the logs read with the runner-log reader and the artifacts' files with the ingest
registry (JUnit, report-log, pytest text). Each result keeps where it came from as properties: `job`,
`job_id`, `job_url`, `attempt`, `job_step` (the API's step), `step` (the log's `##[group]`), `run_url`,
and `artifact` / `artifact_file` for what an archive held. Attempts of the same job then merge (attempts.py).

Anything that cannot be read (no `actions: read`, an expired artifact, a log that is gone, a hostile
archive) becomes one note naming it and why, and the rest is still read. Nothing from the run is ever
executed: logs and archives are data.
"""

from __future__ import annotations

import fnmatch
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gardener.config.sources import DEFAULT_ARTIFACTS
from gardener.ingest.dedupe import dedupe, identity_key
from gardener.model import FileReport, LogStep, Result, Source
from gardener.rules.loader import builtin_rules
from gardener.rules.model import RuleSet
from gardener.sources.attempts import AttemptGroup, artifacts_as_of, merge_attempts, tag
from gardener.sources.cache import Cache
from gardener.sources.download import DownloadError, download
from gardener.sources.model import (
    ActionsAPI,
    ArtifactInfo,
    JobInfo,
    RunInfo,
    RunInputs,
    SourceUnavailable,
    StepInfo,
    Traffic,
)
from gardener.sources.safezip import UnsafeArchive, extract
from gardener.whole_excerpt import ingest_for_classify

MAX_ARTIFACT_BYTES = 1024**3  # an archive larger than this is not downloaded (the unzip limit is the same)


@dataclass(frozen=True, slots=True)
class Budget:
    """How much of a run to read: the cap on one job log, and which artifacts (name globs, any case)."""

    max_log_bytes: int = 512 * 1024 * 1024
    artifacts: tuple[str, ...] = DEFAULT_ARTIFACTS
    max_artifact_bytes: int = MAX_ARTIFACT_BYTES


DEFAULT_BUDGET = Budget()


@dataclass(slots=True)
class _Tally:
    downloads: int = 0
    bytes: int = 0
    hits: int = 0


@dataclass(frozen=True, slots=True)
class _Read:
    files: tuple[FileReport, ...]
    results: tuple[Result, ...]
    steps: tuple[LogStep, ...] = ()


def wanted_artifact(name: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), g.lower()) for g in globs)


def read_run(client: ActionsAPI, repo: str, run_id: int, attempt: int | None = None, *, cache: Cache,
             budget: Budget = DEFAULT_BUDGET, rules: RuleSet | None = None, job_id: int | None = None) -> RunInputs:
    """The run `run_id` of `repo` (as of `attempt`, default the latest) as ingested inputs.

    Raises SourceUnavailable only when the run itself cannot be read; everything else is a note.
    `job_id` (a URL's `/job/N`) limits the logs read to that job's attempts.
    """
    rules = rules or builtin_rules()
    start = client.requests_made()
    run = client.run(repo, run_id, attempt)
    notes: list[str] = []
    tally = _Tally()
    every_attempt: tuple[JobInfo, ...] = ()
    try:
        every_attempt = client.jobs(repo, run_id)
    except SourceUnavailable as exc:
        notes.append(f"jobs of run {run_id}: {exc.reason}; reading its artifacts only")
    jobs = tuple(j for j in every_attempt if j.attempt <= run.attempt)
    chosen = chosen_jobs(jobs, job_id)
    if jobs and not chosen:
        notes.append(f"job {job_id} is not a job of run {run_id}; reading every job")
        chosen = jobs
    files: list[FileReport] = []
    steps: dict[str, tuple[int, tuple[LogStep, ...]]] = {}  # per job: its latest read attempt's steps
    per_attempt: dict[tuple[str, int], list[Result]] = {}
    job_logs: list[tuple[int, str]] = []
    for job in chosen:
        if not (job.failed and job.completed):
            continue
        got = _read_log(client, repo, run, job, cache, budget, rules, tally, notes)
        if got is not None:
            files.extend(got.files)
            job_logs.extend((job.id, f.path) for f in got.files)
            if job.attempt >= steps.get(job.name, (0, ()))[0]:
                steps[job.name] = (job.attempt, got.steps)
            per_attempt.setdefault((job.name, job.attempt), []).extend(got.results)
    artifacts: tuple[ArtifactInfo, ...] = ()
    try:
        artifacts = of_attempt(client.artifacts(repo, run_id), every_attempt, run, notes)
    except SourceUnavailable as exc:
        notes.append(f"artifacts of run {run_id}: {exc.reason}")
    loose: list[Result] = []
    for art in artifacts:
        if not wanted_artifact(art.name, budget.artifacts):
            continue
        got = _read_artifact(client, repo, run, art, cache, budget, rules, tally, notes)
        if got is None:
            continue
        files.extend(got.files)
        for key, found in _attribute(got.results, art, per_attempt, jobs).items():
            if key is None:
                loose.extend(found)
            else:
                per_attempt.setdefault(key, []).extend(found)
    groups = [
        AttemptGroup(name, n, dedupe(results), read=True, succeeded=False)
        for (name, n), results in per_attempt.items()
    ]
    read_keys = set(per_attempt)
    groups += [AttemptGroup(j.name, j.attempt, (), read=False, succeeded=j.conclusion == "success")
               for j in chosen if (j.name, j.attempt) not in read_keys and j.completed]
    results = merge_attempts([g for g in groups if g.read or _has_read_sibling(g, read_keys)]) + tuple(loose)
    results = cancelled_after(results, chosen) + unexplained_jobs(run, chosen, results, notes)
    traffic = Traffic(client.requests_made() - start, tally.downloads, tally.bytes, tally.hits)
    all_steps = tuple(step for _, job_steps in steps.values() for step in job_steps)
    return RunInputs(run, jobs, artifacts, tuple(files), results, all_steps, tuple(notes), traffic, tuple(job_logs))


def of_attempt(artifacts: Sequence[ArtifactInfo], every_attempt: Sequence[JobInfo], run: RunInfo,
               notes: list[str]) -> tuple[ArtifactInfo, ...]:
    """The run's artifacts that `run`'s attempt had; the later attempts' ones cost a note, not a read."""
    kept = artifacts_as_of(artifacts, every_attempt, run.attempt)
    if later := len(artifacts) - len(kept):
        notes.append(f"{later} artifact{'s' if later > 1 else ''} of run {run.id} uploaded by a later attempt "
                     f"than {run.attempt}: not read")
    return kept


UNEXPLAINED_CONCLUSIONS = ("failure", "timed_out", "startup_failure")


def latest_attempts(jobs: Sequence[JobInfo]) -> dict[str, JobInfo]:
    """Each completed job's latest attempt, by name."""
    latest: dict[str, JobInfo] = {}
    for job in jobs:
        if job.completed and job.attempt >= latest.get(job.name, job).attempt:
            latest[job.name] = job
    return latest


def cancelled_after(results: Sequence[Result], jobs: Sequence[JobInfo]) -> tuple[Result, ...]:
    """Results read from a cancelled job get `cancelled_after`: the jobs of the same run that failed. A job
    cancelled while another failed was stopped by it (fail-fast, or the run cancelled on failure): what its
    log shows is a consequence, and priority_evidence says so."""
    latest = latest_attempts(jobs)
    failed = sorted(name for name, j in latest.items() if j.conclusion in UNEXPLAINED_CONCLUSIONS)
    cancelled = {name for name, j in latest.items() if j.conclusion == "cancelled"}
    if not failed or not cancelled:
        return tuple(results)
    after = ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
    return tuple(tag((r,), {"cancelled_after": after})[0] if dict(r.properties).get("job") in cancelled else r
                 for r in results)


def unexplained_jobs(run: RunInfo, jobs: Sequence[JobInfo], results: Sequence[Result],
                     notes: Sequence[str]) -> tuple[Result, ...]:
    """One failing result for each failed job (its latest attempt) that nothing read explains: its log was gone
    or unreadable and no artifact told of it. A failed run never comes out with no finding; the result says
    which job and step failed and why gardener could not see more (the note naming the job, when there is one).
    A cancelled job is left out: cancellation follows from something else (fail-fast, concurrency)."""
    explained = {dict(r.properties).get("job", "") for r in results if r.is_failing}
    out: list[Result] = []
    for job in latest_attempts(jobs).values():
        if job.conclusion not in UNEXPLAINED_CONCLUSIONS or job.name in explained:
            continue
        step = next((s.name for s in job.steps if s.conclusion in FAILED_STEP_CONCLUSIONS), "")
        label = _job_label(job)
        why = next((n.removeprefix(f"log of {label}: ") for n in notes if n.startswith(f"log of {label}:")),
                   "nothing in its log or the run's artifacts shows a failure")
        at = f" at step {step!r}" if step else ""
        message = f"Job {job.name!r} {_CONCLUDED[job.conclusion or 'failure']}{at}; its log could not be read: {why}"
        out.append(Result(id=f"log:job-{job.id}:unexplained", outcome="error", source=Source(job.html_url, "log"),
                          message=message, error_type="JobFailed",
                          properties=tuple((k, v) for k, v in {**_job_props(run, job), "job_step": step}.items() if v)))
    return tuple(out)


FAILED_STEP_CONCLUSIONS = ("failure", "timed_out", "cancelled")
_CONCLUDED = {"failure": "failed", "timed_out": "timed out", "startup_failure": "failed to start"}


def _has_read_sibling(g: AttemptGroup, read: set[tuple[str, int]]) -> bool:
    return any(name == g.job for name, _ in read)


def chosen_jobs(jobs: tuple[JobInfo, ...], job_id: int | None) -> tuple[JobInfo, ...]:
    if job_id is None:
        return jobs
    names = {j.name for j in jobs if j.id == job_id}
    return tuple(j for j in jobs if j.name in names)


# -- job logs -------------------------------------------------------------------------------------------

def _job_label(job: JobInfo) -> str:
    return f"job {job.name!r} (id {job.id}, attempt {job.attempt})"


def ensure_log(client: ActionsAPI, repo: str, job: JobInfo, cache: Cache, budget: Budget, tally: _Tally,
               notes: list[str]) -> tuple[Path, dict[str, Any]] | None:
    """The job's log in the cache (downloaded unless it is there), or None with a note saying why."""
    what = f"log of {_job_label(job)}"
    meta = cache.log(job.id)
    if meta is not None and _covers(meta, budget.max_log_bytes):
        tally.hits += 1
        return cache.log_path(job.id), meta
    try:
        location = client.log_location(repo, job.id)
        work = cache.tmpdir()
        try:
            got = download(location, work / "job.log", budget.max_log_bytes, cut_at_line=True)
            tally.downloads += 1
            tally.bytes += got.bytes
            meta = {"bytes": got.bytes, "partial": got.partial, "cap": budget.max_log_bytes, "left_out": got.left_out}
            return cache.put_log(job.id, got.path, meta), meta
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except SourceUnavailable as exc:
        notes.append(f"{what}: {exc.reason}")
    except DownloadError as exc:
        gone = " (the log is gone: expired or deleted)" if exc.status in (404, 410) else ""
        notes.append(f"{what}: {exc}{gone}")
    return None


def _covers(meta: dict[str, Any], cap: int) -> bool:
    """A cached log serves a read with this cap: it is whole, or it was cut at a cap at least as large."""
    return not meta.get("partial") or int(meta.get("cap") or 0) >= cap


def size_text(n: int) -> str:
    """Bytes for a person: 812 bytes, 1.1 KiB, 3.0 MiB."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _read_log(client: ActionsAPI, repo: str, run: RunInfo, job: JobInfo, cache: Cache, budget: Budget,
              rules: RuleSet, tally: _Tally, notes: list[str]) -> _Read | None:
    got = ensure_log(client, repo, job, cache, budget, tally, notes)
    if got is None:
        return None
    path, meta = got
    what = f"log of {_job_label(job)}"
    if meta.get("partial"):
        notes.append(f"{what}: larger than the {size_text(int(meta.get('cap') or budget.max_log_bytes))} cap; "
                     f"read {size_text(int(meta.get('bytes', 0)))} of it, its start and its end, leaving out "
                     f"{size_text(int(meta.get('left_out', 0)))} between them (partial)")
    ing = ingest_for_classify([str(path)], rules, "log")
    files = tuple(replace(f, partial=f.partial or bool(meta.get("partial"))) for f in ing.files)
    for f in files:
        if f.error:
            notes.append(f"{what}: {f.error}")
    results = tuple(_with_step(r, ing.steps, job) for r in ing.results)
    return _Read(files, tag(results, _job_props(run, job)), ing.steps)


def _job_props(run: RunInfo, job: JobInfo) -> dict[str, str]:
    return {"job": job.name, "job_id": str(job.id), "job_url": job.html_url, "attempt": str(job.attempt),
            "run_url": run.html_url}


def _with_step(r: Result, log_steps: tuple[LogStep, ...], job: JobInfo) -> Result:
    """The step a log result belongs to: the log's group around its line, named as the API names it."""
    line = r.source_line or 0
    inside = next((s for s in log_steps if s.line <= line <= s.end_line), None)
    api = api_step(inside, job.steps, log_steps)
    props = list(r.properties)
    if inside is not None and not any(k == "step" for k, _ in props):
        props.append(("step", "Run " + inside.name))
    if api:
        props.append(("job_step", api))
    return replace(r, properties=tuple(props))


def api_step(log_step: LogStep | None, api_steps: tuple[StepInfo, ...], log_steps: tuple[LogStep, ...]) -> str:
    """The API's name for a log step: the same name (`Run <command>` for an unnamed `run:` step), else
    the failed API step matched to the failed log step in order, else the only failed API step."""
    failed_api = [s for s in api_steps if s.conclusion in ("failure", "cancelled", "timed_out")]
    if log_step is not None:
        for s in api_steps:
            bare = s.name.removeprefix("Run ").strip()
            if s.name == log_step.name or bare == log_step.name.strip() or (
                    bare and log_step.name.startswith(bare)):
                return s.name
        failed_log = [s for s in log_steps if s.status in ("FAILED", "TIMED OUT")]
        if log_step in failed_log and len(failed_log) == len(failed_api):
            return failed_api[failed_log.index(log_step)].name
    return failed_api[0].name if len(failed_api) == 1 else ""


# -- artifacts ------------------------------------------------------------------------------------------

def ensure_artifact(client: ActionsAPI, repo: str, art: ArtifactInfo, cache: Cache, budget: Budget, tally: _Tally,
                    notes: list[str]) -> Path | None:
    """The artifact's files, extracted in the cache (downloaded unless they are there), or None with a note."""
    what = f"artifact {art.name!r} (id {art.id})"
    if art.expired:
        notes.append(f"{what}: expired on GitHub (artifacts are kept 90 days by default); not read")
        return None
    meta = cache.artifact(art.id)
    if meta is not None:
        tally.hits += 1
    else:
        if art.size > budget.max_artifact_bytes:
            notes.append(f"{what}: {art.size} bytes, over the {budget.max_artifact_bytes // 1024**2} MiB limit; "
                         "not downloaded")
            return None
        meta = _fetch_artifact(client, repo, art, cache, budget, tally, notes, what)
        if meta is None:
            return None
    if meta.get("refused"):
        notes.append(f"{what}: refused: {meta['refused']}")
        return None
    if not meta.get("files"):
        notes.append(f"{what}: holds no files")
        return None
    return cache.artifact_dir(art.id)


def _read_artifact(client: ActionsAPI, repo: str, run: RunInfo, art: ArtifactInfo, cache: Cache, budget: Budget,
                   rules: RuleSet, tally: _Tally, notes: list[str]) -> _Read | None:
    folder = ensure_artifact(client, repo, art, cache, budget, tally, notes)
    if folder is None:
        return None
    ing = ingest_for_classify([str(folder)], rules)
    for f in ing.files:
        if f.error:
            notes.append(f"artifact {art.name!r} (id {art.id}): {_inside(f.path, folder)}: {f.error}")
    props = {"artifact": art.name, "run_url": run.html_url}
    # `artifact_file`: the file's path inside the archive, so evidence can tell three junit.xml apart.
    results = tuple(tag((r,), {"artifact_file": _inside(r.source.path, folder)})[0] for r in ing.results)
    return _Read(ing.files, tag(results, props), ing.steps)


def _inside(path: str, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return Path(path).name


def _fetch_artifact(client: ActionsAPI, repo: str, art: ArtifactInfo, cache: Cache, budget: Budget, tally: _Tally,
                    notes: list[str], what: str) -> dict[str, Any] | None:
    work = cache.tmpdir()
    try:
        location = client.artifact_location(repo, art.id)
        got = download(location, work / "artifact.zip", budget.max_artifact_bytes)
        tally.downloads += 1
        tally.bytes += got.bytes
        if got.partial:
            meta: dict[str, Any] = {"refused": f"larger than {budget.max_artifact_bytes // 1024**2} MiB"}
            cache.put_artifact(art.id, None, meta)
            return meta
        try:
            done = extract(got.path, work / "files")
        except UnsafeArchive as exc:
            meta = {"refused": str(exc)}
            cache.put_artifact(art.id, None, meta)
            return meta
        meta = {"files": len(done.files), "bytes": done.total_bytes}
        cache.put_artifact(art.id, work / "files", meta)
        return meta
    except SourceUnavailable as exc:
        notes.append(f"{what}: {exc.reason}")
        return None
    except DownloadError as exc:
        gone = " (expired or deleted)" if exc.status in (404, 410) else ""
        notes.append(f"{what}: {exc}{gone}")
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _attribute(results: tuple[Result, ...], art: ArtifactInfo, per_attempt: dict[tuple[str, int], list[Result]],
               jobs: tuple[JobInfo, ...]) -> dict[tuple[str, int] | None, list[Result]]:
    """Which job attempt an artifact's results belong to (the API does not say which job uploaded it): the
    latest read attempt of the job whose logs report failing most of the tests this artifact reports
    failing, else the failed job its name contains, else the one job whose name shares most words with it
    (a matrix's `test-results-ubuntu` is `test (ubuntu-latest, 3.12)`'s, green or not), else the only
    failed job; else none. Passing tests are no vote: every platform of a matrix runs the same tests."""
    failing = {identity_key(r.id) for r in results if r.is_test and r.is_failing}
    votes: dict[str, int] = {}
    for (name, _), found in per_attempt.items():
        votes[name] = votes.get(name, 0) + sum(
            1 for r in found if r.is_test and r.is_failing and identity_key(r.id) in failing)
    voted = max(votes, key=votes.__getitem__, default=None)
    best = max((k for k in per_attempt if k[0] == voted), key=lambda k: k[1]) if voted and votes[voted] else None
    failed = sorted({(j.name, j.attempt) for j in jobs if j.failed}, key=lambda k: k[1])
    named = sorted((k for k in failed if k[0] and k[0].lower() in art.name.lower()), key=lambda k: (len(k[0]), k[1]))
    key: tuple[str, int] | None = best
    if key is None and named:
        key = named[-1]
    if key is None:
        key = _by_words(art.name, jobs)
    if key is None and len({name for name, _ in failed}) == 1:
        key = failed[-1]
    by_job = {(j.name, j.attempt): j for j in jobs}
    if key is None or key not in by_job:
        return {None: list(results)}
    job = by_job[key]
    failed_steps = [s.name for s in job.steps if s.conclusion == "failure"]
    out: list[Result] = []
    for r in results:
        log_step, api = _twin_step(r, per_attempt.get(key, []))
        extra = {"job": job.name, "job_id": str(job.id), "job_url": job.html_url, "attempt": str(job.attempt),
                 "job_step": api or (failed_steps[0] if len(failed_steps) == 1 else ""), "step": log_step}
        out.append(tag((r,), extra)[0])
    return {key: out}


def _by_words(artifact: str, jobs: tuple[JobInfo, ...]) -> tuple[str, int] | None:
    """The latest attempt of the one job whose name shares the most words with the artifact's name."""
    words = _words(artifact)
    latest: dict[str, int] = {}
    for j in jobs:
        latest[j.name] = max(latest.get(j.name, 0), j.attempt)
    scores = {name: len(words & _words(name)) for name in latest}
    top = max(scores.values(), default=0)
    winners = [name for name, score in scores.items() if score == top]
    return (winners[0], latest[winners[0]]) if top and len(winners) == 1 else None


def _words(name: str) -> set[str]:
    return set("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _twin_step(r: Result, log_results: list[Result]) -> tuple[str, str]:
    """The (log step, API step) of the same test in the job's log, when it is there."""
    ident = identity_key(r.id)
    for other in log_results:
        if other.is_test and identity_key(other.id) == ident:
            props = dict(other.properties)
            return props.get("step", ""), props.get("job_step", "")
    return "", ""


def list_runs(client: ActionsAPI, repo: str, *, branch: str | None = None, status: str | None = None,
              created: str | None = None, limit: int = 100) -> tuple[RunInfo, ...]:
    """The repository's workflow runs, newest first: `status` "failure", "success", "completed" ...;
    `created` in GitHub's syntax (">=2026-11-01", "2026-11-01..2026-11-30"). For backfilling history."""
    return client.runs(repo, branch=branch, status=status, created=created, limit=limit)
