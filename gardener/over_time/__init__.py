"""Gardening over time: record the run, read the store once, judge every finding against its history.

`record_and_judge` is the edge (it opens the store); judge.py, gardener/stability.py, gardener/suspects.py
and plan/{hysteresis,close,quiet}.py are pure. The suspect commits come from one compare call per broken
finding, through a callable the caller hands in (PyGithub lives in gardener/github/ only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from gardener.errors import TrackerError
from gardener.history.hook import HistorySettings, build_record
from gardener.history.record import RunMeta
from gardener.model import OverTime, OverTimePolicy, Result, RunReport, SuspectCommit
from gardener.over_time.judge import WEB, judge_run
from gardener.suspects import evidence_files, rank

# (good sha, bad sha) → the commits in good...bad, oldest first, each with the files it touched.
Compare = Callable[[str, str], Sequence[SuspectCommit]]


def record_and_judge(settings: HistorySettings, report: RunReport, results: Sequence[Result],
                     policy: OverTimePolicy, now: datetime | None = None, web: str = WEB
                     ) -> tuple[RunReport, RunMeta, bool]:
    """Record the run, then one read of the store (a fixed number of queries) for every decision."""
    from gardener.history.store import open_store  # the driver loads here, only when history is used
    from gardener.over_time.read import read_snapshot

    now = now or datetime.now(UTC)
    rec = build_record(settings, report, results, now)
    with open_store(settings.location) as store:
        new = store.record(rec, now)
        snap = read_snapshot(store, rec.meta.repo, rec.meta.run_key, rec.meta.started_at, report.findings)
    return judge_run(report, snap, policy, web), rec.meta, new


def with_suspects(report: RunReport, compare: Compare | None, policy: OverTimePolicy) -> RunReport:
    """Fill each broken finding's suspect range with the commits in it, ranked: those touching a file its
    evidence names first. One compare call per distinct SHA pair."""
    if compare is None:
        return report
    cache: dict[tuple[str, str], Sequence[SuspectCommit]] = {}
    by_id = {f.id: f for f in report.findings}
    out: list[tuple[str, OverTime]] = []
    for fid, ot in report.over_time:
        s = ot.suspect
        if s is None or s.good is None or not s.good.sha or not s.bad.sha:
            out.append((fid, ot))
            continue
        pair = (s.good.sha, s.bad.sha)
        if pair not in cache:
            try:
                cache[pair] = compare(*pair)
            except TrackerError:  # unknown SHAs (a local run), no access: the range and link still stand
                cache[pair] = ()
        commits = rank(cache[pair], evidence_files(by_id[fid]))
        out.append((fid, replace(ot, suspect=replace(s, commits=commits[:policy.max_suspects],
                                                      commits_total=len(commits)))))
    return replace(report, over_time=tuple(out))
