"""The store's tables (SQLAlchemy Core, one definition for SQLite and PostgreSQL).

Passing results are stored compactly and exactly: a run points at its *suite*, the set of tests it
reported (shared by every run that reported the same set, so a stable 5,000-test suite is stored once),
and only the results that did not pass get a row. A test ran in a run when it is in the run's suite and
was not skipped; it passed when it ran and has no row. Times are UTC epoch seconds.

Version history (migrate.py carries each step forward):
  1  runs, tests, suites, suite_tests, results, findings
  2  runs.event, findings.title, indexes results(test_id, run_id) and results(signature) for per-test
     and per-finding reads
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 2

metadata = MetaData()

meta = Table(
    "gardener_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

suites = Table(
    "suites", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("repo", String(200), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    UniqueConstraint("repo", "digest", name="suites_repo_digest"),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("repo", String(200), nullable=False),
    Column("run_key", String(200), nullable=False),
    Column("workflow", String(200)),
    Column("job", String(200)),
    Column("run_id", BigInteger),
    Column("attempt", Integer),
    Column("sha", String(64)),
    Column("branch", String(255)),
    Column("event", String(64)),
    Column("started_at", BigInteger, nullable=False),
    Column("url", String(500)),
    Column("gardener_version", String(40), nullable=False),
    Column("sig_version", String(20), nullable=False),
    Column("suite_id", Integer, ForeignKey("suites.id")),
    Column("tests_total", Integer, nullable=False),
    Column("failing_total", Integer, nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    UniqueConstraint("repo", "run_key", name="runs_repo_run_key"),
)
Index("runs_repo_started", runs.c.repo, runs.c.started_at)

tests = Table(
    "tests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("repo", String(200), nullable=False),
    Column("key", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("variant", Text, nullable=False),
    UniqueConstraint("repo", "key", name="tests_repo_key"),
)

suite_tests = Table(
    "suite_tests", metadata,
    Column("suite_id", Integer, ForeignKey("suites.id", ondelete="CASCADE"), primary_key=True),
    Column("test_id", Integer, ForeignKey("tests.id"), primary_key=True),
)
Index("suite_tests_test", suite_tests.c.test_id)

results = Table(
    "results", metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("test_id", Integer, ForeignKey("tests.id"), primary_key=True),
    Column("outcome", String(8), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("duration_s", Float),
    Column("finding", String(20)),
    Column("signature", String(20)),
)
Index("results_test_run", results.c.test_id, results.c.run_id)
Index("results_signature", results.c.signature)

findings = Table(
    "findings", metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("finding", String(20), primary_key=True),
    Column("digest", String(20), nullable=False),
    Column("sig_version", String(20), nullable=False),
    Column("category", String(100), nullable=False),
    Column("priority", String(4), nullable=False),
    Column("title", Text),
    Column("count", Integer, nullable=False),
)
Index("findings_digest_run", findings.c.digest, findings.c.run_id)
