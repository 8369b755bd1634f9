"""Store locations: the URLs earlier gardeners accepted still open, and no message ever shows a password."""

from __future__ import annotations

import pytest

from gardener.history.errors import HistoryError
from gardener.history.location import parse_location
from gardener.history.store import open_store
from tests.history.helpers import record


@pytest.mark.parametrize(("text", "target", "where"), [
    ("postgresql://u@db:5432/h", "postgresql://u@db:5432/h", "postgresql://db:5432/h"),
    ("postgres://u:pw@db/h", "postgresql://u:pw@db/h", "postgresql://db/h"),
    ("postgresql+psycopg://u:p%40ss@db:5433/h", "postgresql://u:p%40ss@db:5433/h", "postgresql://db:5433/h"),
    ("postgresql://db/h?sslmode=require&password=pw", "postgresql://db/h?sslmode=require&password=pw",
     "postgresql://db/h?sslmode=require&password=***"),
    ("postgresql://u:p@ss@db/h", "postgresql://u:p@ss@db/h", "postgresql://db/h"),
])
def test_postgresql_urls_open_as_libpq_uris_and_are_shown_without_credentials(text: str, target: str,
                                                                                where: str) -> None:
    loc = parse_location(text)
    assert (loc.kind, loc.target, loc.where) == ("postgresql", target, where)


def test_a_path_is_a_sqlite_file() -> None:
    loc = parse_location(".gardener/history.sqlite")
    assert (loc.kind, loc.target, loc.where) == ("sqlite", ".gardener/history.sqlite", ".gardener/history.sqlite")


def test_an_unreachable_server_is_one_line_naming_the_store_without_its_password() -> None:
    with pytest.raises(HistoryError) as err:
        open_store("postgresql://gardener:hunter2@127.0.0.1:1/history")
    message = str(err.value)
    assert message.startswith("history postgresql://127.0.0.1:1/history: ") and "\n" not in message
    assert "hunter2" not in message


def test_sqlalchemy_style_url_opens_the_same_database(pg_url: str) -> None:
    with open_store(pg_url.replace("postgresql://", "postgresql+psycopg://", 1)) as store:
        assert store.dialect == "postgresql"
        assert store.record(record(1, {"a::x": "failed"}))
    with open_store(pg_url) as store:
        assert [r.run_key for r in store.runs("o/r")] == ["gh:1:1:test"]


def test_a_directory_is_not_a_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HistoryError, match="is a directory, not a SQLite file"):
        open_store(str(tmp_path))
