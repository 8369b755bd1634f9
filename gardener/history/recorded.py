"""Reads for gardening over time that the store's own methods do not offer (gardener/over_time/read.py uses
them): which findings a repository recorded within a window, with the tests each failed through, and a run's
row id. Added beside store.py so the database layer stays inside gardener/history/."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from gardener.history import schema
from gardener.history.store import Store, epoch


def recorded_findings(store: Store, repo: str, since: datetime) -> dict[str, tuple[str, ...]]:
    """Every finding digest recorded for `repo` since `since`, with the test keys it failed through.
    Two queries."""
    f, r, res, t = schema.findings, schema.runs, schema.results, schema.tests
    keys: dict[str, set[str]] = defaultdict(set)
    with store.engine.connect() as conn:
        for (digest,) in conn.execute(select(f.c.digest).distinct().join(r, r.c.id == f.c.run_id)
                                      .where(r.c.repo == repo, r.c.started_at >= epoch(since))):
            keys[digest]
        q = (select(res.c.signature, t.c.key).distinct().join(t, t.c.id == res.c.test_id)
             .join(r, r.c.id == res.c.run_id)
             .where(r.c.repo == repo, r.c.started_at >= epoch(since), res.c.signature.is_not(None)))
        for digest, key in conn.execute(q):
            if digest in keys:
                keys[digest].add(key)
    return {d: tuple(sorted(k)) for d, k in keys.items()}


def run_row(store: Store, repo: str, run_key: str) -> int | None:
    r = schema.runs
    with store.engine.connect() as conn:
        found = conn.execute(select(r.c.id).where(r.c.repo == repo, r.c.run_key == run_key)).scalar()
    return int(found) if found is not None else None
