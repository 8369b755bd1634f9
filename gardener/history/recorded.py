"""Reads for gardening over time that the store's own methods do not offer (gardener/over_time/read.py uses
them): which findings a repository recorded within a window, with the tests each failed through, and a run's
row id. Added beside store.py so the database layer stays inside gardener/history/."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from gardener.history.store import Store, epoch


def recorded_findings(store: Store, repo: str, since: datetime) -> dict[str, tuple[str, ...]]:
    """Every finding digest recorded for `repo` since `since`, with the test keys it failed through.
    Two queries."""
    keys: dict[str, set[str]] = defaultdict(set)
    at = epoch(since)
    with store.transaction() as db:
        for (digest,) in db.execute("SELECT DISTINCT f.digest FROM findings f JOIN runs r ON r.id = f.run_id "
                                    "WHERE r.repo = ? AND r.started_at >= ?", (repo, at)):
            keys[digest]
        failed_through = ('SELECT DISTINCT res.signature, t."key" FROM results res JOIN tests t ON t.id = res.test_id '
                          "JOIN runs r ON r.id = res.run_id "
                          "WHERE r.repo = ? AND r.started_at >= ? AND res.signature IS NOT NULL")
        for digest, key in db.execute(failed_through, (repo, at)):
            if digest in keys:
                keys[digest].add(key)
    return {d: tuple(sorted(k)) for d, k in keys.items()}


def run_row(store: Store, repo: str, run_key: str) -> int | None:
    with store.transaction() as db:
        found = db.execute("SELECT id FROM runs WHERE repo = ? AND run_key = ?", (repo, run_key)).fetchone()
    return int(found[0]) if found is not None else None
