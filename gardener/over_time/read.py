"""The one read of the history store a run makes for its decisions over time.

Everything the decisions need comes back in one Snapshot from a fixed number of queries, however many
findings the run has: the findings the repository recorded within the lookback with the tests each failed
through, each one's observations (runs that executed its tests), first/last seen, and the observations of
the current findings' tests (for passed-on-retry evidence). The decisions themselves are pure (judge.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from gardener.history.record import key_for
from gardener.history.recorded import recorded_findings, run_row
from gardener.history.store import Store
from gardener.history.summary import Obs
from gardener.model import Finding, Seen

LOOKBACK = timedelta(days=60)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the store said, as of `at` (the run's own start: a replay reads as it was then)."""

    repo: str
    at: datetime
    run: int | None  # this run's row id (None: not found)
    finding_obs: Mapping[str, tuple[Obs, ...]]  # digest → runs that executed its tests, oldest first
    seen: Mapping[str, tuple[Seen, Seen]]  # digest → first and last seen (all time)
    test_obs: Mapping[str, tuple[Obs, ...]]  # test key → its observations (outcome as recorded)
    finding_tests: Mapping[str, tuple[str, ...]]  # digest → test keys


def read_snapshot(store: Store, repo: str, run_key: str, at: datetime, findings: Sequence[Finding]) -> Snapshot:
    since = at - LOOKBACK
    recorded = recorded_findings(store, repo, since)
    for f in findings:  # this run's findings name their tests themselves, and those recorded under its aliases
        mine = {key_for(r.id, r.variant) for r in f.results if r.is_test}
        for d in f.signature.aliases:
            mine.update(recorded.get(d, ()))
        recorded[f.signature.digest] = tuple(sorted(set(recorded.get(f.signature.digest, ())) | mine))
    # An alias (the finding's signature under an older version) is asked with the finding's tests: its runs are
    # the finding's runs, recorded before its signature changed.
    wanted = sorted({**recorded, **{d: recorded[f.signature.digest] for f in findings for d in f.signature.aliases}}
                    .items())
    obs = store.finding_observations(repo, wanted, since) if wanted else {}
    seen = store.finding_seen(repo, [d for d, _ in wanted]) if wanted else {}
    for f in findings:
        if f.signature.aliases:
            digests = (f.signature.digest, *f.signature.aliases)
            obs[f.signature.digest] = merged_obs([obs.get(d, ()) for d in digests])
            spans = [seen[d] for d in digests if d in seen]
            if spans:
                seen[f.signature.digest] = (min((s[0] for s in spans), key=lambda x: x.at),
                                            max((s[1] for s in spans), key=lambda x: x.at))
    current_keys = sorted({k for f in findings for k in recorded.get(f.signature.digest, ())})
    tests = store.test_observations(repo, current_keys, since) if current_keys else {}

    def upto(items: tuple[Obs, ...]) -> tuple[Obs, ...]:
        return tuple(o for o in items if o.at <= at)

    return Snapshot(repo=repo, at=at, run=run_row(store, repo, run_key),
                    finding_obs={d: upto(o) for d, o in obs.items()}, seen=seen,
                    test_obs={k: upto(o) for k, o in tests.items()}, finding_tests=recorded)


def merged_obs(lists: Sequence[tuple[Obs, ...]]) -> tuple[Obs, ...]:
    """One finding's runs from its digest's and its aliases' observations: a run failed when it failed under any."""
    by_run: dict[int, Obs] = {}
    for items in lists:
        for o in items:
            known = by_run.get(o.run)
            if known is None or (o.failed and not known.failed):
                by_run[o.run] = o
    return tuple(sorted(by_run.values(), key=lambda o: (o.at, o.run)))
