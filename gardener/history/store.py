"""The history store: SQLAlchemy Core over SQLite (a file) or PostgreSQL (psycopg 3), one code path.

Writes are one transaction per run with natural keys and conflict-ignoring inserts, so recording the same
run twice (or from two processes at once) stores it once, and concurrent writers never lose a row.
Every read is an indexed query by repository and time or by test/finding key.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError

from gardener.history import schema
from gardener.history.errors import HistoryError
from gardener.history.migrate import ensure_schema
from gardener.history.record import RunRecord
from gardener.history.summary import FAILED, Obs, Rate
from gardener.model import Seen

CHUNK = 500  # keys per IN (...) list: well under every dialect's parameter limit
FAILING = tuple(sorted(FAILED))


def epoch(when: datetime) -> int:
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())


def from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def engine_url(location: str) -> tuple[str, str]:
    """(SQLAlchemy URL, what to call it in messages; no password) for a path or a postgresql:// URL."""
    if location.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        rest = location.split("://", 1)[1]
        shown = "postgresql://" + (rest.split("@", 1)[1] if "@" in rest else rest)
        return "postgresql+psycopg://" + rest, shown
    if "://" in location:
        raise HistoryError(location.split("://", 1)[0] + "://…", "unsupported store URL: use a file path or "
                                                                 "postgresql://user@host:port/db")
    return f"sqlite:///{Path(location)}", location


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    repo: str
    run_key: str
    started_at: datetime
    sha: str | None
    branch: str | None
    workflow: str | None
    job: str | None
    event: str | None
    url: str | None
    tests_total: int
    failing_total: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class TestRef:
    repo: str
    key: str
    name: str
    variant: str

    @property
    def display(self) -> str:
        return self.name + (f"[{self.variant}]" if self.variant else "")


class Store:
    """An open store. Use `open_store(location)`; close() when done (or use it as a context manager)."""

    def __init__(self, engine: Engine, where: str) -> None:
        self.engine = engine
        self.where = where
        self.migrated_from: int | None = None

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except HistoryError:
            raise
        except SQLAlchemyError as exc:
            raise HistoryError(self.where, _one_line(exc)) from None

    def _insert(self, conn: Connection, table: Any) -> Any:
        # Each dialect's module loads only for a store of that kind (PostgreSQL's costs ~20 ms to import).
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table)
        if conn.dialect.name == "sqlite":
            from sqlalchemy.dialects import sqlite

            return sqlite.insert(table)
        return insert(table)  # pragma: no cover - only the two dialects are supported

    # ---- writing -------------------------------------------------------------------------------

    def record(self, rec: RunRecord, now: datetime | None = None) -> bool:
        """Store one run; False when it was stored already (nothing changes then)."""
        m = rec.meta
        failing = sum(1 for t in rec.tests if t.outcome in FAILED)
        with self._tx() as conn:
            ins = self._insert(conn, schema.runs).values(
                repo=m.repo, run_key=m.run_key, workflow=m.workflow, job=m.job, run_id=m.run_id, attempt=m.attempt,
                sha=m.sha, branch=m.branch, event=m.event, started_at=epoch(m.started_at), url=m.url,
                gardener_version=m.gardener_version, sig_version=m.sig_version, suite_id=None,
                tests_total=len(rec.tests), failing_total=failing, recorded_at=epoch(now or datetime.now(UTC)),
            ).on_conflict_do_nothing(index_elements=["repo", "run_key"]).returning(schema.runs.c.id)
            run_id = conn.execute(ins).scalar()
            if run_id is None:
                return False
            digest = self._suite_digest(rec)
            ids = self._test_ids(conn, m.repo, rec, digest)
            if rec.tests:
                suite = self._suite(conn, m.repo, rec, ids, digest)
                conn.execute(schema.runs.update().where(schema.runs.c.id == run_id).values(suite_id=suite))
            rows = [{"run_id": run_id, "test_id": ids[t.key], "outcome": t.outcome, "attempts": t.attempts,
                     "duration_s": t.duration_s, "finding": t.finding, "signature": t.signature}
                    for t in rec.tests if t.outcome != "passed"]
            if rows:
                conn.execute(insert(schema.results), rows)
            if rec.findings:
                conn.execute(insert(schema.findings), [
                    {"run_id": run_id, "finding": f.finding, "digest": f.digest, "sig_version": f.sig_version,
                     "category": f.category, "priority": f.priority, "title": f.title, "count": f.count}
                    for f in rec.findings])
            return True

    def _suite_digest(self, rec: RunRecord) -> str:
        h = hashlib.sha256()
        for t in rec.tests:  # sorted by key already
            h.update(t.key.encode())
        return h.hexdigest()

    def _test_ids(self, conn: Connection, repo: str, rec: RunRecord, digest: str) -> dict[str, int]:
        """Ids of every test of the run that needs one now: all of them when the suite is new, else only
        the ones with a result row."""
        known = conn.execute(select(schema.suites.c.id).where(schema.suites.c.repo == repo,
                                                               schema.suites.c.digest == digest)).scalar()
        wanted = [t for t in rec.tests if known is None or t.outcome != "passed"]
        if known is None and wanted:
            for part in _chunks(wanted):
                conn.execute(self._insert(conn, schema.tests).values(
                    [{"repo": repo, "key": t.key, "name": t.name, "variant": t.variant} for t in part]
                ).on_conflict_do_nothing(index_elements=["repo", "key"]))
        return self._ids_of(conn, repo, [t.key for t in wanted])

    def _ids_of(self, conn: Connection, repo: str, keys: Sequence[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        t = schema.tests
        for part in _chunks(keys):
            for key, tid in conn.execute(select(t.c.key, t.c.id).where(t.c.repo == repo, t.c.key.in_(part))):
                ids[key] = tid
        return ids

    def _suite(self, conn: Connection, repo: str, rec: RunRecord, ids: dict[str, int], digest: str) -> int:
        s = schema.suites
        found = conn.execute(select(s.c.id).where(s.c.repo == repo, s.c.digest == digest)).scalar()
        if found is not None:
            return int(found)
        conn.execute(self._insert(conn, s).values(repo=repo, digest=digest, size=len(rec.tests))
                     .on_conflict_do_nothing(index_elements=["repo", "digest"]))
        suite = int(conn.execute(select(s.c.id).where(s.c.repo == repo, s.c.digest == digest)).scalar_one())
        for part in _chunks(rec.tests):
            conn.execute(self._insert(conn, schema.suite_tests).values(
                [{"suite_id": suite, "test_id": ids[t.key]} for t in part]
            ).on_conflict_do_nothing(index_elements=["suite_id", "test_id"]))
        return suite

    def prune(self, before: datetime) -> tuple[int, int]:
        """Delete runs that started before `before` (with their results and findings), then suites and
        tests nothing refers to any more. Returns (runs, tests) deleted."""
        r, s, st, t, res, fi = (schema.runs, schema.suites, schema.suite_tests, schema.tests, schema.results,
                                schema.findings)
        with self._tx() as conn:
            old = select(r.c.id).where(r.c.started_at < epoch(before)).scalar_subquery()
            conn.execute(delete(res).where(res.c.run_id.in_(old)))
            conn.execute(delete(fi).where(fi.c.run_id.in_(old)))
            gone = conn.execute(delete(r).where(r.c.started_at < epoch(before))).rowcount
            unused = select(s.c.id).where(~s.c.id.in_(select(r.c.suite_id).where(r.c.suite_id.is_not(None))))
            conn.execute(delete(st).where(st.c.suite_id.in_(unused)))
            conn.execute(delete(s).where(s.c.id.in_(unused)))
            orphan = (~t.c.id.in_(select(st.c.test_id))) & (~t.c.id.in_(select(res.c.test_id)))
            tests_gone = conn.execute(delete(t).where(orphan)).rowcount
        return int(gone or 0), int(tests_gone or 0)

    # ---- reading -------------------------------------------------------------------------------

    def repos(self) -> tuple[str, ...]:
        with self._tx() as conn:
            return tuple(conn.execute(select(schema.runs.c.repo).distinct().order_by(schema.runs.c.repo)).scalars())

    def last_recorded(self) -> dict[str, datetime]:
        """Each repository's latest recording time."""
        r = schema.runs
        with self._tx() as conn:
            rows = conn.execute(select(r.c.repo, func.max(r.c.recorded_at)).group_by(r.c.repo))
            return {repo: from_epoch(at) for repo, at in rows}

    def runs(self, repo: str | None = None, limit: int = 20, since: datetime | None = None) -> tuple[RunRow, ...]:
        r = schema.runs
        q = select(r).order_by(r.c.started_at.desc(), r.c.id.desc()).limit(limit)
        if repo:
            q = q.where(r.c.repo == repo)
        if since:
            q = q.where(r.c.started_at >= epoch(since))
        with self._tx() as conn:
            return tuple(RunRow(id=x.id, repo=x.repo, run_key=x.run_key, started_at=from_epoch(x.started_at),
                                sha=x.sha, branch=x.branch, workflow=x.workflow, job=x.job, event=x.event,
                                url=x.url, tests_total=x.tests_total, failing_total=x.failing_total,
                                recorded_at=from_epoch(x.recorded_at)) for x in conn.execute(q))

    def has_run(self, repo: str, run_key: str) -> bool:
        r = schema.runs
        with self._tx() as conn:
            return conn.execute(select(r.c.id).where(r.c.repo == repo, r.c.run_key == run_key)).first() is not None

    def find_tests(self, text: str, repo: str | None = None, limit: int = 20) -> tuple[TestRef, ...]:
        """Tests named exactly `text` (or `name[variant]`), else whose name contains it."""
        t = schema.tests
        base = select(t.c.repo, t.c.key, t.c.name, t.c.variant).order_by(t.c.repo, t.c.name, t.c.variant)
        if repo:
            base = base.where(t.c.repo == repo)
        name, variant = text, None
        if text.endswith("]") and "[" in text:
            name, variant = text[: text.index("[")], text[text.index("[") + 1: -1]
        with self._tx() as conn:
            exact = base.where(t.c.name == name) if variant is None else base.where(t.c.name == name,
                                                                                    t.c.variant == variant)
            rows = list(conn.execute(exact.limit(limit)))
            if not rows:
                rows = list(conn.execute(base.where(t.c.name.contains(text, autoescape=True)).limit(limit)))
        return tuple(TestRef(*row) for row in rows)

    def findings_named(self, text: str, repo: str | None = None) -> tuple[tuple[str, str, str, str], ...]:
        """(repo, finding id, digest, title) of findings named by id (`f-` + the digest's first 10 hex
        digits) or by (a prefix of) their signature digest: an indexed range over the digests."""
        f, r = schema.findings, schema.runs
        prefix = text.strip().lower().removeprefix("f-")
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            return ()
        q = (select(r.c.repo, f.c.finding, f.c.digest, func.max(f.c.title)).join(r, r.c.id == f.c.run_id)
             .where(f.c.digest >= prefix, f.c.digest < prefix + "g")
             .group_by(r.c.repo, f.c.finding, f.c.digest).limit(20))
        if repo:
            q = q.where(r.c.repo == repo)
        with self._tx() as conn:
            return tuple((a, b, c, d or "") for a, b, c, d in conn.execute(q))

    def finding_test_keys(self, repo: str, digest: str) -> list[str]:
        """The keys of every test a finding (by signature digest) was recorded failing."""
        res, t, r = schema.results, schema.tests, schema.runs
        q = (select(t.c.key).distinct().join(res, res.c.test_id == t.c.id).join(r, r.c.id == res.c.run_id)
             .where(r.c.repo == repo, res.c.signature == digest))
        with self._tx() as conn:
            return sorted(conn.execute(q).scalars())

    def _window_runs(self, conn: Connection, repo: str, since: datetime) -> list[Any]:
        r = schema.runs
        return list(conn.execute(select(r.c.id, r.c.started_at, r.c.sha, r.c.branch, r.c.suite_id)
                                 .where(r.c.repo == repo, r.c.started_at >= epoch(since))))

    def _membership(self, conn: Connection, repo: str, keys: Sequence[str],
                    suite_ids: Iterable[int]) -> dict[str, set[int]]:
        """For each test key, the suites (among `suite_ids`) that hold it."""
        t, st = schema.tests, schema.suite_tests
        wanted = sorted(set(suite_ids))
        out: dict[str, set[int]] = defaultdict(set)
        if not wanted:
            return out
        for part in _chunks(list(keys)):
            q = (select(t.c.key, st.c.suite_id).join(st, st.c.test_id == t.c.id)
                 .where(t.c.repo == repo, t.c.key.in_(part), st.c.suite_id.in_(wanted)))
            for key, suite in conn.execute(q):
                out[key].add(suite)
        return out

    def _nonpass(self, conn: Connection, repo: str, keys: Sequence[str], since: datetime) -> dict[str, dict[int, str]]:
        t, res, r = schema.tests, schema.results, schema.runs
        out: dict[str, dict[int, str]] = defaultdict(dict)
        for part in _chunks(list(keys)):
            q = (select(t.c.key, res.c.run_id, res.c.outcome).join(res, res.c.test_id == t.c.id)
                 .join(r, r.c.id == res.c.run_id)
                 .where(t.c.repo == repo, t.c.key.in_(part), r.c.started_at >= epoch(since)))
            for key, run, outcome in conn.execute(q):
                out[key][run] = outcome
        return out

    def test_observations(self, repo: str, keys: Sequence[str], since: datetime) -> dict[str, tuple[Obs, ...]]:
        """Each test's runs since `since` that reported it: passed, or the outcome recorded."""
        with self._tx() as conn:
            window = self._window_runs(conn, repo, since)
            member = self._membership(conn, repo, keys, (w.suite_id for w in window if w.suite_id is not None))
            nonpass = self._nonpass(conn, repo, keys, since)
        out: dict[str, tuple[Obs, ...]] = {}
        for key in keys:
            suites = member.get(key, set())
            rows = nonpass.get(key, {})
            out[key] = tuple(Obs(w.id, from_epoch(w.started_at), w.sha, rows.get(w.id, "passed"), w.branch)
                             for w in sorted(window, key=lambda w: (w.started_at, w.id)) if w.suite_id in suites)
        return out

    def finding_observations(self, repo: str, findings: Sequence[tuple[str, Sequence[str]]],
                             since: datetime) -> dict[str, tuple[Obs, ...]]:
        """For each (digest, test keys): the runs since `since` that executed any of its tests (every run
        when it has none), failed when the finding occurred in them. Three queries for all findings."""
        f = schema.findings
        digests = [d for d, _ in findings]
        all_keys = sorted({k for _, keys in findings for k in keys})
        with self._tx() as conn:
            window = self._window_runs(conn, repo, since)
            member = self._membership(conn, repo, all_keys, (w.suite_id for w in window if w.suite_id is not None))
            nonpass = self._nonpass(conn, repo, all_keys, since)
            occurred: dict[str, set[int]] = defaultdict(set)
            r = schema.runs
            for part in _chunks(digests):
                q = (select(f.c.digest, f.c.run_id).join(r, r.c.id == f.c.run_id)
                     .where(f.c.digest.in_(part), r.c.repo == repo, r.c.started_at >= epoch(since)))
                for digest, run in conn.execute(q):
                    occurred[digest].add(run)
        ordered = sorted(window, key=lambda w: (w.started_at, w.id))
        out: dict[str, tuple[Obs, ...]] = {}
        for digest, keys in findings:
            hit = occurred.get(digest, set())
            suites = set().union(*(member.get(k, set()) for k in keys)) if keys else None
            obs = []
            for w in ordered:
                ran = suites is None or w.suite_id in suites
                skipped = bool(keys) and all(nonpass.get(k, {}).get(w.id) == "skipped"
                                             for k in keys if w.suite_id in member.get(k, set()))
                if w.id in hit:
                    obs.append(Obs(w.id, from_epoch(w.started_at), w.sha, "failed", w.branch))
                elif ran and not skipped:
                    obs.append(Obs(w.id, from_epoch(w.started_at), w.sha, "passed", w.branch))
            out[digest] = tuple(obs)
        return out

    def finding_seen(self, repo: str, digests: Sequence[str]) -> dict[str, tuple[Seen, Seen]]:
        """First and last run (all time) each finding occurred in."""
        f, r = schema.findings, schema.runs
        out: dict[str, tuple[Seen, Seen]] = {}
        with self._tx() as conn:
            for part in _chunks(list(digests)):
                spans = (select(f.c.digest.label("d"), func.min(r.c.started_at).label("lo"),
                                func.max(r.c.started_at).label("hi"))
                         .join(r, r.c.id == f.c.run_id).where(r.c.repo == repo, f.c.digest.in_(part))
                         .group_by(f.c.digest).subquery())
                q = (select(spans.c.d, r.c.started_at, r.c.sha, spans.c.lo, spans.c.hi)
                     .select_from(f.join(r, r.c.id == f.c.run_id).join(spans, spans.c.d == f.c.digest))
                     .where(r.c.repo == repo, or_(r.c.started_at == spans.c.lo, r.c.started_at == spans.c.hi))
                     .order_by(r.c.id))
                first: dict[str, Seen] = {}
                last: dict[str, Seen] = {}
                for d, at, sha, lo, hi in conn.execute(q):
                    if at == lo:
                        first.setdefault(d, Seen(from_epoch(at), sha))
                    if at == hi:
                        last[d] = Seen(from_epoch(at), sha)
                out.update({d: (first[d], last[d]) for d in first if d in last})
        return out

    def failing_tests(self, repo: str, since: datetime) -> tuple[TestRef, ...]:
        t, res, r = schema.tests, schema.results, schema.runs
        q = (select(t.c.repo, t.c.key, t.c.name, t.c.variant).distinct().join(res, res.c.test_id == t.c.id)
             .join(r, r.c.id == res.c.run_id)
             .where(r.c.repo == repo, r.c.started_at >= epoch(since), res.c.outcome.in_(FAILING)))
        with self._tx() as conn:
            return tuple(TestRef(*row) for row in conn.execute(q))

    def failure_rates(self, repo: str, keys: Sequence[str], since: datetime) -> dict[str, Rate]:
        """Exact failure rates since `since`, counted in SQL: runs whose suite holds the test, less its
        skips; failures are its failed, error and flaky rows."""
        r, t, st, res = schema.runs, schema.tests, schema.suite_tests, schema.results
        at = epoch(since)
        with self._tx() as conn:
            per_suite: dict[int, int] = dict(conn.execute(select(r.c.suite_id, func.count()).where(
                r.c.repo == repo, r.c.started_at >= at, r.c.suite_id.is_not(None)).group_by(r.c.suite_id)).all())
            ran: dict[str, int] = defaultdict(int)
            failed: dict[str, int] = defaultdict(int)
            for part in _chunks(list(keys)):
                for key, suite in conn.execute(select(t.c.key, st.c.suite_id).join(st, st.c.test_id == t.c.id)
                                               .where(t.c.repo == repo, t.c.key.in_(part))):
                    ran[key] += per_suite.get(suite, 0)
                q = (select(t.c.key, res.c.outcome, func.count()).join(res, res.c.test_id == t.c.id)
                     .join(r, r.c.id == res.c.run_id)
                     .where(t.c.repo == repo, t.c.key.in_(part), r.c.started_at >= at)
                     .group_by(t.c.key, res.c.outcome))
                for key, outcome, n in conn.execute(q):
                    if outcome in FAILED:
                        failed[key] += n
                    elif outcome == "skipped":
                        ran[key] -= n
        return {k: Rate(failed.get(k, 0), ran.get(k, 0)) for k in keys}


def open_store(location: str) -> Store:
    """Open (creating, migrating or refusing) the store at a file path or postgresql:// URL."""
    url, where = engine_url(location)
    if url.startswith("sqlite"):
        path = Path(location)
        if path.is_dir():
            raise HistoryError(where, "is a directory, not a SQLite file")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=False, connect_args={"connect_timeout": 10})
    store = Store(engine, where)
    with store._tx() as conn:
        store.migrated_from = ensure_schema(conn, where)
    return store


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Transactions are ours (BEGIN IMMEDIATE below), so concurrent writers queue on the lock instead of
    # failing on a read-to-write upgrade.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


