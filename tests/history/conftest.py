"""The history suite runs once on SQLite and once on a real PostgreSQL server (`backend` fixture).

PostgreSQL: GARDENER_TEST_POSTGRES_URL (a server you run), else one this session starts itself (pg.py).
Without either the PostgreSQL half is skipped locally but fails under CI=true: CI must not pass without it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.history import pg


@pytest.fixture(autouse=True)
def _history_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GARDENER_NO_HISTORY", raising=False)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    given = os.environ.get("GARDENER_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        server = pg.start_server()
    except (FileNotFoundError, KeyError, RuntimeError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI for the history tests: {exc}")
        pytest.skip(f"no PostgreSQL server for the history tests: {exc}")
    try:
        yield server.url()
    finally:
        server.stop()


def fresh_database(server_url: str) -> str:
    import psycopg

    name = "g_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    url = fresh_database(pg_server_url)
    yield url
    drop_database(pg_server_url, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A store location: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "history.sqlite")
    return str(request.getfixturevalue("pg_url"))
