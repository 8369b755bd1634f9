"""Runs to record: RunRecords built directly, and JUnit files for the CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

from gardener.history.record import CaseRow, FindingRow, RunMeta, RunRecord, key_for
from gardener.history.schema import TABLES
from gardener.history.store import Store

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def record(n: int, outcomes: Mapping[str, str], repo: str = "o/r", sha: str | None = None,
           at: datetime | None = None, key: str | None = None) -> RunRecord:
    """Run `n` with the given test outcomes (missing: not reported); a failing test's finding is f-<test>."""
    tests = []
    findings: dict[str, FindingRow] = {}
    for name, outcome in outcomes.items():
        failing = outcome in ("failed", "error", "flaky")
        digest = key_for(name, "")[:12]
        tests.append(CaseRow(name=name, variant="", outcome=outcome, duration_s=0.1,
                             finding=f"f-{digest[:10]}" if failing else None, signature=digest if failing else None))
        if failing:
            findings[digest] = FindingRow(finding=f"f-{digest[:10]}", digest=digest, sig_version="sig-v1",
                                          category="assertion", priority="P2", title=f"{name} fails", count=1)
    meta = RunMeta(repo=repo, run_key=key or f"gh:{n}:1:test", started_at=at or T0 + timedelta(hours=n),
                   run_id=n, attempt=1, sha=sha or f"{n:07x}abc", branch="main", sig_version="sig-v1")
    return RunRecord(meta, tuple(sorted(tests, key=lambda t: t.key)), tuple(findings.values()))


def junit(path: Path, outcomes: Mapping[str, str], message: str = "assert 1 == 2",
          timestamp: str | None = None) -> Path:
    """A JUnit file with one testcase per test: passed, failed, error or skipped."""
    cases = []
    for name, outcome in outcomes.items():
        file, _, test = name.partition("::")
        body = {"failed": f'<failure message={quoteattr(message)}>{message}</failure>',
                "error": f'<error message={quoteattr(message)}>{message}</error>',
                "skipped": '<skipped message="skip"/>'}.get(outcome, "")
        cases.append(f'<testcase classname={quoteattr(file.removesuffix(".py").replace("/", "."))} '
                     f'name={quoteattr(test)} file={quoteattr(file)} time="0.01">{body}</testcase>')
    stamp = f' timestamp="{timestamp}"' if timestamp else ""
    path.write_text(f'<?xml version="1.0"?>\n<testsuites><testsuite name="s" tests="{len(cases)}"{stamp}>'
                    + "".join(cases) + "</testsuite></testsuites>\n", encoding="utf-8")
    return path


def suite(n: int) -> Sequence[str]:
    return [f"tests/test_m{i % 7}.py::test_{i}" for i in range(n)]


def counts(store: Store) -> dict[str, int]:
    """Rows per table, counted in one transaction."""
    with store.transaction() as db:
        return {t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in TABLES}


def columns(store: Store, table: str) -> set[str]:
    sql = {"sqlite": "SELECT name FROM pragma_table_info(?)",
           "postgresql": "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                         "AND table_name = ?"}[store.dialect]
    with store.transaction() as db:
        return {name for (name,) in db.execute(sql, (table,))}


def indexes(store: Store, table: str) -> set[str]:
    sql = {"sqlite": "SELECT name FROM pragma_index_list(?)",
           "postgresql": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?"}
    with store.transaction() as db:
        return {name for (name,) in db.execute(sql[store.dialect], (table,))}
