"""`gardener history sync`: backfill the store from the runs GitHub still keeps.

Lists the repository's completed runs (newest first, at most `limit`, created since `since`), and for
each one the store does not hold yet (oldest first) reads it as `--github-run` would (failed jobs' logs,
report artifacts, through the shared download cache), classifies it and records it with the run's own
commit, branch and time. A run already stored costs nothing (no download), so a second sync makes zero
download requests and an interrupted one resumes where it stopped. It stops before a run that would
start past the request budget and says how many runs are left; whatever a run could not give (an
expired artifact, a vanished log) is reported in one line and the rest of it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from gardener.config import Config
from gardener.history.hook import HistorySettings, build_record
from gardener.history.meta import run_layer
from gardener.pipeline import RunOptions, build_report
from gardener.run_source import job_attempts
from gardener.sources import Budget, Cache, RunInfo, list_runs, read_run
from gardener.sources.model import ActionsAPI
from gardener.sources.read import DEFAULT_BUDGET

DEFAULT_MAX_REQUESTS = 1000
DEFAULT_LIMIT = 300


@dataclass(frozen=True, slots=True)
class SyncReport:
    listed: int  # completed runs listed in the window (after the workflow filter)
    recorded: int  # runs read and recorded now
    known: int  # runs the store already held (nothing downloaded for them)
    left: int  # runs not read because the request budget ran out (the next sync takes them)
    notes: tuple[str, ...]  # what could not be read, one line each
    requests: int  # API requests, downloads included
    downloads: int
    cache_hits: int
    budget: int

    def text(self) -> str:
        lines = [f"history sync: {self.listed} completed run(s) listed; {self.recorded} recorded, {self.known} "
                 f"already stored" + (f", {self.left} left for the next sync (request budget)" if self.left else ""),
                 f"requests: {self.requests} of a budget of {self.budget}; {self.downloads} download(s), "
                 f"{self.cache_hits} from the cache"]
        lines += [f"could not read: {n}" for n in self.notes]
        return "\n".join(lines)


def run_key(run: RunInfo) -> str:
    return f"gh:{run.id}:{run.attempt}:"


def workflow_matches(run: RunInfo, workflow: str | None) -> bool:
    """`--workflow` names the workflow (`CI`) or its file (`ci.yml`, matched by stem against the name)."""
    if not workflow:
        return True
    wanted = workflow.strip().lower()
    name = run.workflow.strip().lower()
    return name == wanted or name == Path(wanted).stem or name.replace(" ", "-") == Path(wanted).stem


def sync(client: ActionsAPI, repo: str, location: str, config: Config, cache: Cache, *, since: datetime,
         workflow: str | None = None, branch: str | None = None, budget: Budget = DEFAULT_BUDGET,
         max_requests: int = DEFAULT_MAX_REQUESTS, limit: int = DEFAULT_LIMIT,
         now: datetime | None = None) -> SyncReport:
    from gardener.history.store import open_store

    now = now or datetime.now(UTC)
    start = client.requests_made()
    listed = [r for r in list_runs(client, repo, branch=branch, status="completed",
                                   created=f">={since.astimezone(UTC).date().isoformat()}", limit=limit)
              if workflow_matches(r, workflow)]
    ordered = sorted(listed, key=lambda r: (r.created_at or now, r.id))
    plain = replace(config, commands=())  # sync reads the runs, never the local test commands
    recorded = known = downloads = hits = 0
    notes: list[str] = []
    left = 0
    with open_store(location) as store:
        for n, run in enumerate(ordered):
            if store.has_run(repo, run_key(run)):
                known += 1
                continue
            if client.requests_made() - start >= max_requests:
                left = sum(1 for r in ordered[n:] if not store.has_run(repo, run_key(r)))
                break
            inputs = read_run(client, repo, run.id, run.attempt, cache=cache, budget=budget, rules=config.rules)
            notes += [f"run {run.id}: {note}" for note in inputs.notes]
            downloads += inputs.traffic.downloads
            hits += inputs.traffic.cache_hits
            report = build_report(RunOptions(session=(inputs.files, inputs.results, job_attempts(inputs)),
                                             now=inputs.run.created_at or now,
                                             command_line=f"gardener history sync ({run.html_url})"), plain)
            settings = HistorySettings(location=location, github=run_layer(inputs.run), fallback_repo=repo,
                                       use_git=False)
            if store.record(build_record(settings, report, inputs.results, now), now):
                recorded += 1
            else:
                known += 1
    return SyncReport(listed=len(listed), recorded=recorded, known=known, left=left, notes=tuple(notes),
                      requests=client.requests_made() - start, downloads=downloads, cache_hits=hits,
                      budget=max_requests)
