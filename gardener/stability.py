"""Flaky or broken, from evidence across runs. Pure: observations in, a verdict out.

An observation is one run that *executed* the finding's (or test's) tests: runs that skipped them or never
reached them have none, so they prove nothing either way. The order of the checks matters:

1. occurred only in this run                         → new
2. passed on retry, or failed and passed on one SHA  → flaky (the strongest evidence, whatever the rate)
3. failing in every run since it started failing,
   for two runs or more, and never before that       → broken since the first failing commit
4. a failure rate within [low, high] over at least
   min_runs runs with at least min_failures failures → flaky
5. failing for two runs or more                      → broken
6. failed once more after passing in between         → flaky (intermittent, too few runs for a rate)

A finding absent from this run that failed earlier in the window is `fixed`. The category is never
changed: a flaky connection refusal is still connection-refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gardener.history.summary import Obs, percent
from gardener.model import OverTimePolicy, Seen

STABILITIES = ("new", "broken", "flaky", "fixed")


@dataclass(frozen=True, slots=True)
class Verdict:
    stability: str | None
    reason: str
    runs: int = 0
    failures: int = 0
    since: Seen | None = None  # broken: the first failing run of the streak


def _short(sha: str | None) -> str:
    return sha[:7] if sha else "an unknown commit"


def _ran(obs: Sequence[Obs]) -> list[Obs]:
    return sorted((o for o in obs if o.executed), key=lambda o: (o.at, o.run))


def same_commit_flake(obs: Sequence[Obs]) -> str | None:
    """A SHA on which it both failed and passed (across jobs, attempts or reruns), else None."""
    failed = {o.sha for o in obs if o.executed and o.failed and o.sha}
    passed = {o.sha for o in obs if o.executed and not o.failed and o.sha}
    both = sorted(failed & passed)
    return both[0] if both else None


def judge(obs: Sequence[Obs], occurred_now: bool, policy: OverTimePolicy, retried: bool = False) -> Verdict:
    """The stability of a finding (or a test) over the window's observations, this run's included.
    `retried`: one of its tests passed on retry in the window (an outcome of `flaky`)."""
    ran = _ran(obs)
    failures = sum(1 for o in ran if o.failed)
    runs = len(ran)
    rate = f"{failures} of {runs} runs ({percent(failures, runs)})"
    if not occurred_now:
        if not failures:
            return Verdict(None, "", runs, failures)
        last = max((o for o in ran if o.failed), key=lambda o: (o.at, o.run))
        after = [o for o in ran if (o.at, o.run) > (last.at, last.run)]
        if not after:
            return Verdict(None, "not executed since it last failed", runs, failures)
        return Verdict("fixed", f"passed in {len(after)} runs since {_short(after[0].sha)}; failed in {rate}",
                       runs, failures)
    if failures <= 1:
        return Verdict("new", "first seen in this run", runs, failures)
    if retried:
        return Verdict("flaky", f"passed on retry; failed in {rate}", runs, failures)
    sha = same_commit_flake(ran)
    if sha is not None:
        return Verdict("flaky", f"failed and passed on the same commit {_short(sha)}; failed in {rate}", runs, failures)
    streak = 0
    for o in reversed(ran):
        if not o.failed:
            break
        streak += 1
    first = ran[-streak]
    earlier = any(o.failed for o in ran[:-streak])
    since = Seen(first.at, first.sha)
    broken = Verdict("broken", f"failed in every run since {_short(first.sha)} ({streak} runs)", runs, failures,
                     since)
    if streak >= 2 and not earlier:
        return broken
    ratio = failures / runs
    if (runs >= policy.flaky_min_runs and failures >= policy.flaky_min_failures
            and policy.flaky_rate_low <= ratio <= policy.flaky_rate_high):
        return Verdict("flaky", f"failed in {rate}, between passes", runs, failures)
    if streak >= 2:
        return broken
    return Verdict("flaky", f"failed again after passing; failed in {rate}", runs, failures)


def retried_in(outcomes: Sequence[str]) -> bool:
    """Passed on retry: a recorded `flaky` outcome (it failed before it passed on the same run)."""
    return "flaky" in outcomes
