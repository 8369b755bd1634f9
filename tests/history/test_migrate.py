"""Schema versions: a version-1 store (a real fixture) is carried forward; a newer one is refused in one
line; a corrupt SQLite file is one line, and `gardener run --no-history` works beside it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from gardener.history import schema
from gardener.history.errors import HistoryError
from gardener.history.location import parse_location
from gardener.history.record import key_for
from gardener.history.store import open_store
from tests.history.helpers import T0, columns, indexes, junit, record

DATA = Path(__file__).resolve().parents[1] / "data" / "history"
V1 = (DATA / "schema-v1.sql", {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgresql": "SERIAL PRIMARY KEY"})
# What SQLAlchemy Core emitted for the id columns of the version-2 schema.
V2 = (DATA / "schema-v2-sqlalchemy.sql", {"sqlite": "INTEGER NOT NULL", "postgresql": "SERIAL NOT NULL"})
MADE_BY_SQLALCHEMY = DATA / "v2-by-sqlalchemy.sqlite"  # three runs recorded by gardener's SQLAlchemy store


def raw_execute(location: str, statements: list[str]) -> None:
    """Run statements in one transaction straight through the driver (not through gardener's store)."""
    where = parse_location(location)
    if where.kind == "sqlite":
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(location) as conn:
            for statement in statements:
                conn.execute(statement)
        conn.close()
        return
    import psycopg

    with psycopg.connect(where.target) as pg:
        for statement in statements:
            pg.execute(statement.encode())  # bytes: no placeholder processing


def load(location: str, fixture: tuple[Path, dict[str, str]]) -> None:
    path, serial = fixture
    sql = path.read_text(encoding="utf-8").replace("{serial}", serial[parse_location(location).kind])
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    raw_execute(location, [s for s in body.split(";") if s.strip()])


def test_a_version_1_store_is_migrated_and_keeps_its_runs(backend: str) -> None:
    load(backend, V1)
    with open_store(backend) as store:
        assert store.migrated_from == 1
        with store.transaction() as db:
            (version,) = db.execute("SELECT value FROM gardener_meta").fetchall()
        assert version == (str(schema.SCHEMA_VERSION),)
        assert "event" in columns(store, "runs") and "title" in columns(store, "findings")
        assert {"results_test_run", "results_signature"} <= indexes(store, "results")
        assert [r.run_key for r in store.runs("o/r")] == ["gh:102:1:test", "gh:101:1:test"]
        # New runs go in beside the old ones, ids continuing.
        assert store.record(record(103, {"tests/test_api.py::test_login": "failed"}))
        assert len(store.runs("o/r")) == 3
    with open_store(backend) as again:
        assert again.migrated_from == schema.SCHEMA_VERSION


def test_a_version_2_store_written_through_sqlalchemy_opens_reads_and_records(backend: str) -> None:
    load(backend, V2)
    with open_store(backend) as store:
        assert store.migrated_from == schema.SCHEMA_VERSION  # nothing to migrate
        assert [(r.id, r.run_key, r.event) for r in store.runs("o/r")] == [(2, "gh:202:1:test", "push"),
                                                                          (1, "gh:201:1:test", "push")]
        assert store.findings_named("f-5d41402abc") == (("o/r", "f-5d41402abc", "5d41402abc4b", "test_login fails"),)
        first, last = store.finding_seen("o/r", ["5d41402abc4b"])["5d41402abc4b"]
        assert (first.sha, last.sha) == ("ccccccc3333333", "ddddddd4444444")
        login = "7e1b0c6a4f0d2b9a8c3e5f1a2b4c6d8e"
        since = T0 - timedelta(days=3650)
        rate = store.failure_rates("o/r", [login], since)[login]
        assert (rate.failures, rate.runs) == (2, 2)
        assert [o.outcome for o in store.test_observations("o/r", [login], since)[login]] == ["failed", "error"]
        # The serial ids continue past the fixture's rows (PostgreSQL: the SERIAL sequences were used).
        assert store.record(record(203, {"tests/test_api.py::test_login": "failed"}))
        assert sorted(r.id for r in store.runs("o/r")) == [1, 2, 3]


def test_the_store_made_by_the_sqlalchemy_gardener_opens_unchanged_and_takes_new_runs(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    shutil.copyfile(MADE_BY_SQLALCHEMY, path)
    login, logout = "tests/test_api.py::test_login", "tests/test_api.py::test_logout"
    keys = [key_for(login, ""), key_for(logout, "")]
    with open_store(str(path)) as store:
        assert store.migrated_from == schema.SCHEMA_VERSION
        assert [r.run_key for r in store.runs("o/r")] == ["gh:3:1:test", "gh:2:1:test", "gh:1:1:test"]
        rates = store.failure_rates("o/r", keys, T0)
        assert [(rates[k].failures, rates[k].runs) for k in keys] == [(2, 3), (0, 2)]  # run 3 skipped logout
        digest = keys[0][:12]
        first, last = store.finding_seen("o/r", [digest])[digest]
        assert (first.sha, last.sha) == ("0000001abc", "0000003abc")
        assert store.record(record(3, {login: "error"})) is False  # already stored by the old code
        assert store.record(record(4, {login: "passed", logout: "passed"}))  # the same suite: no new suite row
        assert sorted(r.id for r in store.runs("o/r")) == [1, 2, 3, 4]


def _shape(path: Path) -> dict[str, object]:
    """A SQLite store's tables as the engine sees them: columns, indexes and foreign keys."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:  # the fixture is never written
        tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        shape: dict[str, object] = {}
        for t in tables:
            idx = sorted((u, tuple(c for _, _, c in conn.execute("SELECT * FROM pragma_index_info(?)", (name,))))
                         for _, name, u, *_ in conn.execute("SELECT * FROM pragma_index_list(?)", (t,)))
            shape[t] = (sorted(conn.execute("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", (t,))),
                        idx, sorted(tuple(r[2:6]) for r in conn.execute("SELECT * FROM pragma_foreign_key_list(?)",
                                                                             (t,))))
    conn.close()
    return shape


def test_a_new_store_has_the_schema_the_sqlalchemy_gardener_created(tmp_path: Path) -> None:
    open_store(str(tmp_path / "new.sqlite")).close()
    assert _shape(tmp_path / "new.sqlite") == _shape(MADE_BY_SQLALCHEMY)


def test_a_store_from_a_newer_gardener_is_refused_in_one_line(backend: str) -> None:
    open_store(backend).close()
    raw_execute(backend, [f"UPDATE gardener_meta SET value = '{schema.SCHEMA_VERSION + 1}'"])
    with pytest.raises(HistoryError) as err:
        open_store(backend)
    message = str(err.value)
    assert "newer gardener" in message and "\n" not in message


def _gardener(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gardener", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_corrupt_sqlite_file_is_one_line_and_no_history_still_runs(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    store.write_bytes(b"this is not a database\n" * 300)
    report = junit(tmp_path / "junit.xml", {"tests/test_a.py::test_x": "failed", "tests/test_a.py::test_y": "passed"})
    bad = _gardener("run", "--history", str(store), "--out", str(tmp_path / "out"), str(report), cwd=tmp_path)
    assert bad.returncode == 1
    lines = [line for line in bad.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(store) in lines[0] and "not a database" in lines[0], bad.stderr
    ok = _gardener("run", "--history", str(store), "--no-history", "--out", str(tmp_path / "out"), str(report),
                   cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "1 finding(s)" in ok.stdout

