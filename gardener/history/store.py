"""The history store: plain SQL over the DB-API, SQLite (stdlib sqlite3, a file) or PostgreSQL (psycopg 3),
one SQL text for both (db.py and dialect.py hold the little that differs).

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
from typing import Any

from gardener.history.db import Db, Trace, connect
from gardener.history.dialect import marks, rows
from gardener.history.location import parse_location
from gardener.history.migrate import ensure_schema
from gardener.history.record import RunRecord
from gardener.history.summary import FAILED, Obs, Rate
from gardener.model import Seen

CHUNK = 500  # keys per IN (...) list or rows per VALUES list: well under either database's parameter limit
FAILING = tuple(sorted(FAILED))

RUN_COLUMNS = ("repo", "run_key", "workflow", "job", "run_id", "attempt", "sha", "branch", "event", "started_at",
               "url", "gardener_version", "sig_version", "suite_id", "tests_total", "failing_total", "recorded_at")
RESULT_COLUMNS = ("run_id", "test_id", "outcome", "attempts", "duration_s", "finding", "signature")
FINDING_COLUMNS = ("run_id", "finding", "digest", "sig_version", "category", "priority", "title", "count")


def epoch(when: datetime) -> int:
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())


def from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _insert(table: str, columns: Sequence[str], n: int = 1, conflict: Sequence[str] = ()) -> str:
    """INSERT of n rows; with `conflict`, a row whose key is stored already is skipped (both databases
    spell it `ON CONFLICT (...) DO NOTHING`)."""
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {rows(n, len(columns))}"
    return sql + (f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING" if conflict else "")


def _like_contains(text: str) -> str:
    """A LIKE pattern (ESCAPE '/') matching any value that contains `text` literally."""
    return "%" + text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


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


@dataclass(frozen=True, slots=True)
class WindowRun:
    id: int
    started_at: int
    sha: str | None
    branch: str | None
    suite_id: int | None


class Store:
    """An open store. Use `open_store(location)`; close() when done (or use it as a context manager)."""

    def __init__(self, db: Db, where: str) -> None:
        self.db = db
        self.where = where
        self.migrated_from: int | None = None

    @property
    def dialect(self) -> str:
        return self.db.dialect.name

    @property
    def trace(self) -> list[Trace]:
        """Callables told the SQL of every statement the store executes, in order (append to listen)."""
        return self.db.trace

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Db]:
        """One transaction (SQLite: holding the write lock); reads outside the store's methods use it too."""
        with self.db.transaction() as db:
            yield db

    # ---- writing -------------------------------------------------------------------------------

    def record(self, rec: RunRecord, now: datetime | None = None) -> bool:
        """Store one run; False when it was stored already (nothing changes then)."""
        m = rec.meta
        failing = sum(1 for t in rec.tests if t.outcome in FAILED)
        with self.transaction() as db:
            found = db.execute(_insert("runs", RUN_COLUMNS, conflict=("repo", "run_key")) + " RETURNING id", (
                m.repo, m.run_key, m.workflow, m.job, m.run_id, m.attempt, m.sha, m.branch, m.event,
                epoch(m.started_at), m.url, m.gardener_version, m.sig_version, None, len(rec.tests), failing,
                epoch(now or datetime.now(UTC)))).fetchone()
            if found is None:
                return False
            run_id = int(found[0])
            digest = self._suite_digest(rec)
            ids = self._test_ids(db, m.repo, rec, digest)
            if rec.tests:
                suite = self._suite(db, m.repo, rec, ids, digest)
                db.execute("UPDATE runs SET suite_id = ? WHERE id = ?", (suite, run_id))
            results = [(run_id, ids[t.key], t.outcome, t.attempts, t.duration_s, t.finding, t.signature)
                       for t in rec.tests if t.outcome != "passed"]
            if results:
                db.executemany(_insert("results", RESULT_COLUMNS), results)
            if rec.findings:
                db.executemany(_insert("findings", FINDING_COLUMNS), [
                    (run_id, f.finding, f.digest, f.sig_version, f.category, f.priority, f.title, f.count)
                    for f in rec.findings])
            return True

    def _suite_digest(self, rec: RunRecord) -> str:
        h = hashlib.sha256()
        for t in rec.tests:  # sorted by key already
            h.update(t.key.encode())
        return h.hexdigest()

    def _suite_id(self, db: Db, repo: str, digest: str) -> int | None:
        found = db.execute("SELECT id FROM suites WHERE repo = ? AND digest = ?", (repo, digest)).fetchone()
        return None if found is None else int(found[0])

    def _test_ids(self, db: Db, repo: str, rec: RunRecord, digest: str) -> dict[str, int]:
        """Ids of every test of the run that needs one now: all of them when the suite is new, else only
        the ones with a result row."""
        known = self._suite_id(db, repo, digest)
        wanted = [t for t in rec.tests if known is None or t.outcome != "passed"]
        if known is None and wanted:
            for part in _chunks(wanted):
                db.execute(_insert("tests", ("repo", '"key"', "name", "variant"), len(part), ("repo", '"key"')),
                           [v for t in part for v in (repo, t.key, t.name, t.variant)])
        return self._ids_of(db, repo, [t.key for t in wanted])

    def _ids_of(self, db: Db, repo: str, keys: Sequence[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for part in _chunks(keys):
            for key, tid in db.execute(f'SELECT "key", id FROM tests WHERE repo = ? AND "key" IN ({marks(len(part))})',
                                       (repo, *part)):
                ids[key] = tid
        return ids

    def _suite(self, db: Db, repo: str, rec: RunRecord, ids: dict[str, int], digest: str) -> int:
        found = self._suite_id(db, repo, digest)
        if found is not None:
            return found
        db.execute(_insert("suites", ("repo", "digest", "size"), conflict=("repo", "digest")),
                   (repo, digest, len(rec.tests)))
        suite = self._suite_id(db, repo, digest)
        if suite is None:  # pragma: no cover - inserted or found just above, in this transaction
            raise AssertionError("suite row vanished inside its transaction")
        for part in _chunks(rec.tests):
            db.execute(_insert("suite_tests", ("suite_id", "test_id"), len(part), ("suite_id", "test_id")),
                       [v for t in part for v in (suite, ids[t.key])])
        return suite

    def prune(self, before: datetime) -> tuple[int, int]:
        """Delete runs that started before `before` (with their results and findings), then suites and
        tests nothing refers to any more. Returns (runs, tests) deleted."""
        at = epoch(before)
        unused = "SELECT id FROM suites WHERE id NOT IN (SELECT suite_id FROM runs WHERE suite_id IS NOT NULL)"
        with self.transaction() as db:
            db.execute("DELETE FROM results WHERE run_id IN (SELECT id FROM runs WHERE started_at < ?)", (at,))
            db.execute("DELETE FROM findings WHERE run_id IN (SELECT id FROM runs WHERE started_at < ?)", (at,))
            gone = db.execute("DELETE FROM runs WHERE started_at < ?", (at,)).rowcount
            db.execute(f"DELETE FROM suite_tests WHERE suite_id IN ({unused})")
            db.execute(f"DELETE FROM suites WHERE id IN ({unused})")
            tests_gone = db.execute("DELETE FROM tests WHERE id NOT IN (SELECT test_id FROM suite_tests) "
                                    "AND id NOT IN (SELECT test_id FROM results)").rowcount
        return max(gone, 0), max(tests_gone, 0)

    # ---- reading -------------------------------------------------------------------------------

    def repos(self) -> tuple[str, ...]:
        with self.transaction() as db:
            return tuple(repo for (repo,) in db.execute("SELECT DISTINCT repo FROM runs ORDER BY repo"))

    def last_recorded(self) -> dict[str, datetime]:
        """Each repository's latest recording time."""
        with self.transaction() as db:
            return {repo: from_epoch(at)
                    for repo, at in db.execute("SELECT repo, MAX(recorded_at) FROM runs GROUP BY repo")}

    def runs(self, repo: str | None = None, limit: int = 20, since: datetime | None = None) -> tuple[RunRow, ...]:
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        if repo:
            where.append("repo = ?")
            params.append(repo)
        if since:
            where.append("started_at >= ?")
            params.append(epoch(since))
        sql = ("SELECT id, repo, run_key, started_at, sha, branch, workflow, job, event, url, tests_total, "
               f"failing_total, recorded_at FROM runs WHERE {' AND '.join(where)} "
               "ORDER BY started_at DESC, id DESC LIMIT ?")
        with self.transaction() as db:
            return tuple(RunRow(id=x[0], repo=x[1], run_key=x[2], started_at=from_epoch(x[3]), sha=x[4],
                                branch=x[5], workflow=x[6], job=x[7], event=x[8], url=x[9], tests_total=x[10],
                                failing_total=x[11], recorded_at=from_epoch(x[12]))
                         for x in db.execute(sql, (*params, limit)))

    def has_run(self, repo: str, run_key: str) -> bool:
        with self.transaction() as db:
            found = db.execute("SELECT id FROM runs WHERE repo = ? AND run_key = ?", (repo, run_key)).fetchone()
        return found is not None

    def find_tests(self, text: str, repo: str | None = None, limit: int = 20) -> tuple[TestRef, ...]:
        """Tests named exactly `text` (or `name[variant]`), else whose name contains it."""
        scope, params = ("repo = ? AND ", [repo]) if repo else ("", [])
        base = f'SELECT repo, "key", name, variant FROM tests WHERE {scope}'
        order = " ORDER BY repo, name, variant LIMIT ?"
        name, variant = text, None
        if text.endswith("]") and "[" in text:
            name, variant = text[: text.index("[")], text[text.index("[") + 1: -1]
        with self.transaction() as db:
            if variant is None:
                found = db.execute(base + "name = ?" + order, (*params, name, limit)).fetchall()
            else:
                found = db.execute(base + "name = ? AND variant = ?" + order,
                                   (*params, name, variant, limit)).fetchall()
            if not found:
                found = db.execute(base + "name LIKE ? ESCAPE '/'" + order,
                                   (*params, _like_contains(text), limit)).fetchall()
        return tuple(TestRef(*row) for row in found)

    def findings_named(self, text: str, repo: str | None = None) -> tuple[tuple[str, str, str, str], ...]:
        """(repo, finding id, digest, title) of findings named by id (`f-` + the digest's first 10 hex
        digits) or by (a prefix of) their signature digest: an indexed range over the digests."""
        prefix = text.strip().lower().removeprefix("f-")
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            return ()
        scope, params = (" AND r.repo = ?", [repo]) if repo else ("", [])
        sql = ("SELECT r.repo, f.finding, f.digest, MAX(f.title) FROM findings f JOIN runs r ON r.id = f.run_id "
               f"WHERE f.digest >= ? AND f.digest < ?{scope} GROUP BY r.repo, f.finding, f.digest LIMIT 20")
        with self.transaction() as db:
            return tuple((a, b, c, d or "") for a, b, c, d in db.execute(sql, (prefix, prefix + "g", *params)))

    def finding_test_keys(self, repo: str, digest: str) -> list[str]:
        """The keys of every test a finding (by signature digest) was recorded failing."""
        sql = ('SELECT DISTINCT t."key" FROM tests t JOIN results res ON res.test_id = t.id '
               "JOIN runs r ON r.id = res.run_id WHERE r.repo = ? AND res.signature = ?")
        with self.transaction() as db:
            return sorted(key for (key,) in db.execute(sql, (repo, digest)))

    def _window_runs(self, db: Db, repo: str, since: datetime) -> list[WindowRun]:
        sql = "SELECT id, started_at, sha, branch, suite_id FROM runs WHERE repo = ? AND started_at >= ?"
        return [WindowRun(*row) for row in db.execute(sql, (repo, epoch(since)))]

    def _membership(self, db: Db, repo: str, keys: Sequence[str],
                    suite_ids: Iterable[int]) -> dict[str, set[int]]:
        """For each test key, the suites (among `suite_ids`) that hold it."""
        wanted = sorted(set(suite_ids))
        out: dict[str, set[int]] = defaultdict(set)
        if not wanted:
            return out
        for part in _chunks(list(keys)):
            sql = ('SELECT t."key", st.suite_id FROM tests t JOIN suite_tests st ON st.test_id = t.id '
                   f'WHERE t.repo = ? AND t."key" IN ({marks(len(part))}) AND st.suite_id IN ({marks(len(wanted))})')
            for key, suite in db.execute(sql, (repo, *part, *wanted)):
                out[key].add(suite)
        return out

    def _nonpass(self, db: Db, repo: str, keys: Sequence[str], since: datetime) -> dict[str, dict[int, str]]:
        out: dict[str, dict[int, str]] = defaultdict(dict)
        for part in _chunks(list(keys)):
            sql = ('SELECT t."key", res.run_id, res.outcome FROM tests t JOIN results res ON res.test_id = t.id '
                   f'JOIN runs r ON r.id = res.run_id WHERE t.repo = ? AND t."key" IN ({marks(len(part))}) '
                   "AND r.started_at >= ?")
            for key, run, outcome in db.execute(sql, (repo, *part, epoch(since))):
                out[key][run] = outcome
        return out

    def test_observations(self, repo: str, keys: Sequence[str], since: datetime) -> dict[str, tuple[Obs, ...]]:
        """Each test's runs since `since` that reported it: passed, or the outcome recorded."""
        with self.transaction() as db:
            window = self._window_runs(db, repo, since)
            member = self._membership(db, repo, keys, (w.suite_id for w in window if w.suite_id is not None))
            nonpass = self._nonpass(db, repo, keys, since)
        out: dict[str, tuple[Obs, ...]] = {}
        for key in keys:
            suites = member.get(key, set())
            found = nonpass.get(key, {})
            out[key] = tuple(Obs(w.id, from_epoch(w.started_at), w.sha, found.get(w.id, "passed"), w.branch)
                             for w in sorted(window, key=lambda w: (w.started_at, w.id)) if w.suite_id in suites)
        return out

    def finding_observations(self, repo: str, findings: Sequence[tuple[str, Sequence[str]]],
                             since: datetime) -> dict[str, tuple[Obs, ...]]:
        """For each (digest, test keys): the runs since `since` that executed any of its tests (every run
        when it has none), failed when the finding occurred in them. Three queries for all findings."""
        digests = [d for d, _ in findings]
        all_keys = sorted({k for _, keys in findings for k in keys})
        with self.transaction() as db:
            window = self._window_runs(db, repo, since)
            member = self._membership(db, repo, all_keys, (w.suite_id for w in window if w.suite_id is not None))
            nonpass = self._nonpass(db, repo, all_keys, since)
            occurred: dict[str, set[int]] = defaultdict(set)
            for part in _chunks(digests):
                sql = ("SELECT f.digest, f.run_id FROM findings f JOIN runs r ON r.id = f.run_id "
                       f"WHERE f.digest IN ({marks(len(part))}) AND r.repo = ? AND r.started_at >= ?")
                for digest, run in db.execute(sql, (*part, repo, epoch(since))):
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
        out: dict[str, tuple[Seen, Seen]] = {}
        with self.transaction() as db:
            for part in _chunks(list(digests)):
                spans = ("SELECT f.digest AS d, MIN(r.started_at) AS lo, MAX(r.started_at) AS hi "
                         "FROM findings f JOIN runs r ON r.id = f.run_id "
                         f"WHERE r.repo = ? AND f.digest IN ({marks(len(part))}) GROUP BY f.digest")
                sql = ("SELECT s.d, r.started_at, r.sha, s.lo, s.hi FROM findings f JOIN runs r ON r.id = f.run_id "
                       f"JOIN ({spans}) s ON s.d = f.digest "
                       "WHERE r.repo = ? AND (r.started_at = s.lo OR r.started_at = s.hi) ORDER BY r.id")
                first: dict[str, Seen] = {}
                last: dict[str, Seen] = {}
                for d, at, sha, lo, hi in db.execute(sql, (repo, *part, repo)):
                    if at == lo:
                        first.setdefault(d, Seen(from_epoch(at), sha))
                    if at == hi:
                        last[d] = Seen(from_epoch(at), sha)
                out.update({d: (first[d], last[d]) for d in first if d in last})
        return out

    def failing_tests(self, repo: str, since: datetime) -> tuple[TestRef, ...]:
        sql = ('SELECT DISTINCT t.repo, t."key", t.name, t.variant FROM tests t '
               "JOIN results res ON res.test_id = t.id JOIN runs r ON r.id = res.run_id "
               f"WHERE r.repo = ? AND r.started_at >= ? AND res.outcome IN ({marks(len(FAILING))})")
        with self.transaction() as db:
            return tuple(TestRef(*row) for row in db.execute(sql, (repo, epoch(since), *FAILING)))

    def failure_rates(self, repo: str, keys: Sequence[str], since: datetime) -> dict[str, Rate]:
        """Exact failure rates since `since`, counted in SQL: runs whose suite holds the test, less its
        skips; failures are its failed, error and flaky rows."""
        at = epoch(since)
        with self.transaction() as db:
            per_suite: dict[int, int] = dict(db.execute(
                "SELECT suite_id, COUNT(*) FROM runs WHERE repo = ? AND started_at >= ? AND suite_id IS NOT NULL "
                "GROUP BY suite_id", (repo, at)).fetchall())
            ran: dict[str, int] = defaultdict(int)
            failed: dict[str, int] = defaultdict(int)
            for part in _chunks(list(keys)):
                held = ('SELECT t."key", st.suite_id FROM tests t JOIN suite_tests st ON st.test_id = t.id '
                        f'WHERE t.repo = ? AND t."key" IN ({marks(len(part))})')
                for key, suite in db.execute(held, (repo, *part)):
                    ran[key] += per_suite.get(suite, 0)
                counted = ('SELECT t."key", res.outcome, COUNT(*) FROM tests t JOIN results res ON res.test_id = t.id '
                           f'JOIN runs r ON r.id = res.run_id WHERE t.repo = ? AND t."key" IN ({marks(len(part))}) '
                           'AND r.started_at >= ? GROUP BY t."key", res.outcome')
                for key, outcome, n in db.execute(counted, (repo, *part, at)):
                    if outcome in FAILED:
                        failed[key] += n
                    elif outcome == "skipped":
                        ran[key] -= n
        return {k: Rate(failed.get(k, 0), ran.get(k, 0)) for k in keys}


def open_store(location: str) -> Store:
    """Open (creating, migrating or refusing) the store at a file path or postgresql:// URL."""
    where = parse_location(location)
    store = Store(connect(where), where.where)
    try:
        with store.transaction() as db:
            store.migrated_from = ensure_schema(db, where.where)
    except BaseException:
        store.close()
        raise
    return store
