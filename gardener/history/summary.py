"""Pure summaries over what the store returns: rates, streaks, first/last seen, sparklines, suspect range.

Every function takes observations, one per run that *executed* the test (or, for a finding, a run that
executed any of its tests): a run that never reached a test has no observation, so it is never a pass.
Skipped observations are kept for display but count neither as a pass nor as a failure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from gardener.model import FindingHistory, Seen

FAILED: frozenset[str] = frozenset({"failed", "error", "flaky"})  # a flake failed before it passed
NOT_RUN: frozenset[str] = frozenset({"skipped"})
LAST_RUNS = 20  # the documents' "failed in N of the last M runs"
SPARK_DAYS = 14
BARS = "▁▂▃▄▅▆▇█"
NO_RUNS = "·"
RATE_WINDOWS: tuple[tuple[str, timedelta], ...] = (("1d", timedelta(days=1)), ("7d", timedelta(days=7)),
                                                   ("30d", timedelta(days=30)))


@dataclass(frozen=True, slots=True)
class Obs:
    """One run's outcome for a test (or a finding): `passed` when it ran without a recorded failure."""

    run: int
    at: datetime
    sha: str | None
    outcome: str
    branch: str | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED

    @property
    def executed(self) -> bool:
        return self.outcome not in NOT_RUN


@dataclass(frozen=True, slots=True)
class Rate:
    failures: int
    runs: int

    @property
    def ratio(self) -> float | None:
        return self.failures / self.runs if self.runs else None

    def text(self) -> str:
        if not self.runs:
            return "no runs"
        return f"{self.failures}/{self.runs} ({percent(self.failures, self.runs)})"


@dataclass(frozen=True, slots=True)
class Streak:
    """The current run of equal results, newest first: `failing` or `passing`, and how many runs."""

    state: str
    runs: int
    since: Seen | None = None  # the oldest run of the streak


@dataclass(frozen=True, slots=True)
class Suspect:
    """For something failing now: the last run where it passed (`good`) and the first failing run after it."""

    good: Seen | None
    bad: Seen


@dataclass(frozen=True, slots=True)
class Summary:
    """One test's or finding's history as `history show` prints it."""

    subject: str
    kind: str  # "test" or "finding"
    observations: tuple[Obs, ...]  # oldest first
    first_seen: Seen | None  # first failure ever recorded
    last_seen: Seen | None  # latest failure ever recorded
    streak: Streak | None
    rates: tuple[tuple[str, Rate], ...]
    suspect: Suspect | None


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _executed(obs: Sequence[Obs]) -> list[Obs]:
    return sorted((o for o in obs if o.executed), key=lambda o: (o.at, o.run))


def rate(obs: Sequence[Obs], since: datetime, until: datetime | None = None) -> Rate:
    """Failures over runs that executed it at or after `since` (and before `until` when given): exact."""
    ran = [o for o in _executed(obs) if o.at >= since and (until is None or o.at < until)]
    return Rate(sum(1 for o in ran if o.failed), len(ran))


def rates(obs: Sequence[Obs], now: datetime) -> tuple[tuple[str, Rate], ...]:
    return tuple((name, rate(obs, now - span)) for name, span in RATE_WINDOWS)


def streak(obs: Sequence[Obs]) -> Streak | None:
    ran = _executed(obs)
    if not ran:
        return None
    state = ran[-1].failed
    n = 0
    for o in reversed(ran):
        if o.failed != state:
            break
        n += 1
    oldest = ran[-n]
    return Streak("failing" if state else "passing", n, Seen(oldest.at, oldest.sha))


def seen_range(obs: Sequence[Obs]) -> tuple[Seen | None, Seen | None]:
    """First and last failure among the observations."""
    failed = [o for o in _executed(obs) if o.failed]
    if not failed:
        return None, None
    return Seen(failed[0].at, failed[0].sha), Seen(failed[-1].at, failed[-1].sha)


def suspect(obs: Sequence[Obs]) -> Suspect | None:
    """Where the current failing streak began: the run before it (passing) and its first run. None when
    the latest run passed."""
    s = streak(obs)
    if s is None or s.state != "failing" or s.since is None:
        return None
    ran = _executed(obs)
    first_bad = len(ran) - s.runs
    good = ran[first_bad - 1] if first_bad > 0 else None
    return Suspect(Seen(good.at, good.sha) if good else None, s.since)


def clean_runs(obs: Sequence[Obs]) -> tuple[Obs, ...]:
    """The runs since the last failure that executed it and passed, oldest first (for a verified close)."""
    ran = _executed(obs)
    clean: list[Obs] = []
    for o in reversed(ran):
        if o.failed:
            break
        clean.append(o)
    return tuple(reversed(clean))


def daily(obs: Sequence[Obs], now: datetime, days: int = SPARK_DAYS) -> tuple[tuple[int, int], ...]:
    """(failed runs, runs) per calendar day (UTC), the last `days` days ending with `now`'s day."""
    today = now.date()
    counts = [[0, 0] for _ in range(days)]
    for o in _executed(obs):
        back = (today - o.at.date()).days
        if 0 <= back < days:
            slot = counts[days - 1 - back]
            slot[1] += 1
            slot[0] += o.failed
    return tuple((f, n) for f, n in counts)


def sparkline(days: Sequence[tuple[int, int]]) -> str:
    """One character a day: ▁ ran and never failed, up to █ failed in every run; · no run that day."""
    out = []
    for failed, runs in days:
        if not runs:
            out.append(NO_RUNS)
        elif not failed:
            out.append(BARS[0])
        else:
            out.append(BARS[max(1, math.ceil(failed / runs * (len(BARS) - 1)))])
    return "".join(out)


def finding_history(obs: Sequence[Obs], first_seen: Seen | None, last_seen: Seen | None, now: datetime,
                    last: int = LAST_RUNS) -> FindingHistory:
    """The documents' summary: the latest `last` runs, first/last seen over all time, 14 days of bars."""
    recent = _executed(obs)[-last:]
    return FindingHistory(runs=len(recent), failures=sum(1 for o in recent if o.failed), first_seen=first_seen,
                          last_seen=last_seen, daily=daily(obs, now))


def history_line(h: FindingHistory | None) -> str | None:
    """`failed in 7 of the last 20 runs (35%), first seen 2026-11-28 at abc1234`; None without history
    beyond the current run."""
    if h is None or h.runs < 2:
        return None
    line = f"failed in {h.failures} of the last {h.runs} runs ({percent(h.failures, h.runs)})"
    if h.first_seen is not None:
        line += f", first seen {h.first_seen.at.date().isoformat()}"
        if h.first_seen.sha:
            line += f" at {h.first_seen.sha[:7]}"
    return line


def summarise(subject: str, kind: str, obs: Sequence[Obs], now: datetime, first_seen: Seen | None = None,
              last_seen: Seen | None = None) -> Summary:
    """`history show`: first/last seen default to what the observations show."""
    first, latest = seen_range(obs)
    return Summary(subject=subject, kind=kind, observations=tuple(sorted(obs, key=lambda o: (o.at, o.run))),
                   first_seen=first_seen or first, last_seen=last_seen or latest, streak=streak(obs),
                   rates=rates(obs, now), suspect=suspect(obs))
