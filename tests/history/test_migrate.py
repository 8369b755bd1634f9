"""Schema versions: a version-1 store (a real fixture) is carried forward; a newer one is refused in one
line; a corrupt SQLite file is one line, and `gardener run --no-history` works beside it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from gardener.history import schema
from gardener.history.errors import HistoryError
from gardener.history.store import engine_url, open_store
from tests.history.helpers import junit, record

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "history" / "schema-v1.sql"
SERIAL = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgresql": "SERIAL PRIMARY KEY"}


def load_v1(location: str) -> None:
    url, _ = engine_url(location)
    if url.startswith("sqlite"):
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    sql = FIXTURE.read_text(encoding="utf-8").replace("{serial}", SERIAL[engine.dialect.name])
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    with engine.begin() as conn:
        for statement in body.split(";"):
            if statement.strip():
                conn.execute(text(statement))
    engine.dispose()


def test_a_version_1_store_is_migrated_and_keeps_its_runs(backend: str) -> None:
    load_v1(backend)
    with open_store(backend) as store:
        assert store.migrated_from == 1
        with store._tx() as conn:
            version = conn.execute(select(schema.meta.c.value)).scalar_one()
            columns = {c["name"] for c in inspect(conn).get_columns("runs")}
            indexes = {i["name"] for i in inspect(conn).get_indexes("results")}
        assert version == str(schema.SCHEMA_VERSION)
        assert "event" in columns and {"results_test_run", "results_signature"} <= indexes
        assert [r.run_key for r in store.runs("o/r")] == ["gh:102:1:test", "gh:101:1:test"]
        # New runs go in beside the old ones, ids continuing.
        assert store.record(record(103, {"tests/test_api.py::test_login": "failed"}))
        assert len(store.runs("o/r")) == 3
    with open_store(backend) as again:
        assert again.migrated_from == schema.SCHEMA_VERSION


def test_a_store_from_a_newer_gardener_is_refused_in_one_line(backend: str) -> None:
    open_store(backend).close()
    engine = create_engine(engine_url(backend)[0])
    with engine.begin() as conn:
        conn.execute(schema.meta.update().values(value=str(schema.SCHEMA_VERSION + 1)))
    engine.dispose()
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

