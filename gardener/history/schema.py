"""The store's tables: one DDL text for SQLite and PostgreSQL (only the auto-numbered id differs).

Passing results are stored compactly and exactly: a run points at its *suite*, the set of tests it
reported (shared by every run that reported the same set, so a stable 5,000-test suite is stored once),
and only the results that did not pass get a row. A test ran in a run when it is in the run's suite and
was not skipped; it passed when it ran and has no row. Times are UTC epoch seconds.

The DDL is what gardener's SQLAlchemy Core schema emitted before the store moved to the DB-API (same
types, constraint names and indexes), so stores created either way are the same store.

Version history (migrate.py carries each step forward):
  1  runs, tests, suites, suite_tests, results, findings
  2  runs.event, findings.title, indexes results(test_id, run_id) and results(signature) for per-test
     and per-finding reads
"""

from __future__ import annotations

from gardener.history.dialect import Dialect

SCHEMA_VERSION = 2

# Referenced tables before the ones referring to them (PostgreSQL checks foreign keys at CREATE).
TABLES = ("gardener_meta", "suites", "tests", "runs", "suite_tests", "findings", "results")

# `key` is quoted: a keyword in SQLite (allowed there as a name, but quoting says so everywhere).
_DDL = (
    """CREATE TABLE IF NOT EXISTS gardener_meta (
        "key" VARCHAR(64) NOT NULL,
        value VARCHAR(200) NOT NULL,
        PRIMARY KEY ("key"))""",
    """CREATE TABLE IF NOT EXISTS suites (
        id {serial},
        repo VARCHAR(200) NOT NULL,
        digest VARCHAR(64) NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT suites_repo_digest UNIQUE (repo, digest))""",
    """CREATE TABLE IF NOT EXISTS tests (
        id {serial},
        repo VARCHAR(200) NOT NULL,
        "key" VARCHAR(32) NOT NULL,
        name TEXT NOT NULL,
        variant TEXT NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT tests_repo_key UNIQUE (repo, "key"))""",
    """CREATE TABLE IF NOT EXISTS runs (
        id {serial},
        repo VARCHAR(200) NOT NULL,
        run_key VARCHAR(200) NOT NULL,
        workflow VARCHAR(200),
        job VARCHAR(200),
        run_id BIGINT,
        attempt INTEGER,
        sha VARCHAR(64),
        branch VARCHAR(255),
        event VARCHAR(64),
        started_at BIGINT NOT NULL,
        url VARCHAR(500),
        gardener_version VARCHAR(40) NOT NULL,
        sig_version VARCHAR(20) NOT NULL,
        suite_id INTEGER,
        tests_total INTEGER NOT NULL,
        failing_total INTEGER NOT NULL,
        recorded_at BIGINT NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT runs_repo_run_key UNIQUE (repo, run_key),
        FOREIGN KEY (suite_id) REFERENCES suites (id))""",
    "CREATE INDEX IF NOT EXISTS runs_repo_started ON runs (repo, started_at)",
    """CREATE TABLE IF NOT EXISTS suite_tests (
        suite_id INTEGER NOT NULL,
        test_id INTEGER NOT NULL,
        PRIMARY KEY (suite_id, test_id),
        FOREIGN KEY (suite_id) REFERENCES suites (id) ON DELETE CASCADE,
        FOREIGN KEY (test_id) REFERENCES tests (id))""",
    "CREATE INDEX IF NOT EXISTS suite_tests_test ON suite_tests (test_id)",
    """CREATE TABLE IF NOT EXISTS findings (
        run_id INTEGER NOT NULL,
        finding VARCHAR(20) NOT NULL,
        digest VARCHAR(20) NOT NULL,
        sig_version VARCHAR(20) NOT NULL,
        category VARCHAR(100) NOT NULL,
        priority VARCHAR(4) NOT NULL,
        title TEXT,
        count INTEGER NOT NULL,
        PRIMARY KEY (run_id, finding),
        FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE)""",
    "CREATE INDEX IF NOT EXISTS findings_digest_run ON findings (digest, run_id)",
    """CREATE TABLE IF NOT EXISTS results (
        run_id INTEGER NOT NULL,
        test_id INTEGER NOT NULL,
        outcome VARCHAR(8) NOT NULL,
        attempts INTEGER NOT NULL,
        duration_s FLOAT,
        finding VARCHAR(20),
        signature VARCHAR(20),
        PRIMARY KEY (run_id, test_id),
        FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,
        FOREIGN KEY (test_id) REFERENCES tests (id))""",
    "CREATE INDEX IF NOT EXISTS results_test_run ON results (test_id, run_id)",
    "CREATE INDEX IF NOT EXISTS results_signature ON results (signature)",
)


def ddl(dialect: Dialect) -> tuple[str, ...]:
    """The statements that create the current schema in an empty store (each skips what exists)."""
    return tuple(s.replace("{serial}", dialect.serial) for s in _DDL)
