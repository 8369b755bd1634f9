"""The store is read once per run, not per finding: the number of queries does not grow with findings."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from gardener.history.record import key_for
from gardener.history.store import open_store
from gardener.model import Finding, OverTimePolicy
from gardener.over_time.judge import judge_finding
from gardener.over_time.read import read_snapshot
from tests.factories import finding, result
from tests.history.helpers import T0, record


def _findings(n: int) -> tuple[Finding, ...]:
    """Findings whose digests are the ones tests/history/helpers.record gives a failing test."""
    out = []
    for i in range(n):
        name = f"tests/test_m.py::test_{i}"
        f = finding(f"f-{i}", "assertion", results=(result(name),))
        out.append(replace(f, signature=replace(f.signature, digest=key_for(name, "")[:12])))
    return tuple(out)


def _queries(path: Path, n: int) -> tuple[int, int]:
    """(queries for n findings, failing runs seen for the first one)"""
    with open_store(str(path)) as store:
        executed: list[str] = []
        store.trace.append(executed.append)
        findings = _findings(n)
        snap = read_snapshot(store, "o/r", "gh:12:1:test", T0 + timedelta(hours=12), findings)
        _, ot, _ = judge_finding(findings[0], snap, OverTimePolicy())
        queries = [sql for sql in executed if sql.lstrip().upper().startswith("SELECT")]
        assert queries and len(queries) == len(executed)  # a read: every statement traced is a SELECT
        return len(executed), ot.failures


def test_queries_do_not_grow_with_findings(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    names = [f"tests/test_m.py::test_{i}" for i in range(40)]
    with open_store(str(path)) as store:
        for n in range(1, 13):
            store.record(record(n, {name: ("failed" if n % 3 == 0 else "passed") for name in names}))
    few, failed_few = _queries(path, 2)
    many, failed_many = _queries(path, 40)
    assert few == many, (few, many)
    assert few <= 20  # two for the recorded findings, the store's batched reads, the run row
    assert failed_few == failed_many == 4  # runs 3, 6, 9, 12
