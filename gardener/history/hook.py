"""`gardener run`'s use of history: record the run, then read back each finding's summary for the documents.

The database layer is imported here only when a run records (db.py loads sqlite3, or psycopg for a
PostgreSQL store); the summaries handed to the views are plain FindingHistory values, never a handle on the
store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from gardener.history.meta import (
    MetaOptions,
    actions_layer,
    git_layer,
    merge,
    needs_git,
    options_layer,
    run_meta,
)
from gardener.history.record import RunMeta, RunRecord, case_rows, finding_rows, key_for
from gardener.history.summary import finding_history
from gardener.model import Finding, FindingHistory, Result, RunReport
from gardener.normalize import CURRENT_VERSION

if TYPE_CHECKING:
    from gardener.history.store import Store

DEFAULT_FILE = Path(".gardener") / "history.sqlite"
LOOKBACK = timedelta(days=60)  # the documents' "last 20 runs" are looked for within this


@dataclass(frozen=True, slots=True)
class HistorySettings:
    """Where to record and what the command line said about the run."""

    location: str
    meta: MetaOptions = field(default_factory=MetaOptions)
    cwd: Path = field(default_factory=Path.cwd)
    environ: Mapping[str, str] = field(default_factory=dict)
    fallback_repo: str = "local"
    github: Mapping[str, object] = field(default_factory=dict)  # a GitHub run's own metadata, when read from it
    use_git: bool = True  # False: the working directory's git says nothing about the run (history sync)


def location_for(option: str | None, environ: Mapping[str, str], base_dir: Path) -> str:
    """--history, else GARDENER_HISTORY_URL, else .gardener/history.sqlite beside the config."""
    return option or environ.get("GARDENER_HISTORY_URL") or str(base_dir / DEFAULT_FILE)


def report_started(results: Sequence[Result], report: RunReport) -> datetime | None:
    """The run's start as its reports tell it: the earliest result timestamp, else the earliest attempt."""
    times = [r.timestamp for r in results if r.timestamp is not None]
    times += [a.started_at for a in report.attempts if a.started_at is not None]
    aware = [t if t.tzinfo else t.replace(tzinfo=UTC) for t in times]
    return min(aware) if aware else None


def build_record(settings: HistorySettings, report: RunReport, results: Sequence[Result],
                 now: datetime) -> RunRecord:
    every = (*report.findings, *report.outside_focus)
    tests = case_rows(results, every)
    frows = finding_rows(every)
    above = (settings.github, actions_layer(settings.environ),
             options_layer(settings.meta, report_started(results, report)))
    fields = merge(*above, git_layer(settings.cwd) if settings.use_git and needs_git(*above) else {})
    sig_version = next((f.signature.version for f in every), CURRENT_VERSION)
    return RunRecord(run_meta(fields, tests, frows, now, settings.fallback_repo, sig_version), tests, frows)


def record_run(settings: HistorySettings, report: RunReport, results: Sequence[Result],
               now: datetime | None = None) -> tuple[RunReport, RunMeta, bool]:
    """Record the run and return the report with each finding's history, the run's metadata, and whether
    it was new (False: recorded before, nothing changed)."""
    from gardener.history.store import open_store  # the driver loads here, only when history is used

    now = now or datetime.now(UTC)
    rec = build_record(settings, report, results, now)
    with open_store(settings.location) as store:
        new = store.record(rec, now)
        history = summaries(store, rec.meta.repo, report.findings, rec.meta.started_at)
    return replace(report, history=history), rec.meta, new


def summaries(store: Store, repo: str, findings: Sequence[Finding],
              at: datetime) -> tuple[tuple[str, FindingHistory], ...]:
    """Each finding's history as of `at` (the run's own start, so a replay reads as it was then)."""
    wanted = [(f.signature.digest, sorted({key_for(r.id, r.variant) for r in f.results if r.is_test}))
              for f in findings]
    if not wanted:
        return ()
    obs = store.finding_observations(repo, wanted, at - LOOKBACK)
    seen = store.finding_seen(repo, [d for d, _ in wanted])
    out = []
    for f in findings:
        mine = tuple(o for o in obs.get(f.signature.digest, ()) if o.at <= at)
        first, last = seen.get(f.signature.digest, (None, None))
        out.append((f.id, finding_history(mine, first, last, at)))
    return tuple(out)
