"""The store's connection: one DB-API connection (stdlib sqlite3, or psycopg 3 for PostgreSQL), explicit
transactions, driver errors as one-line HistoryErrors naming the store, and a statement trace.

The only module that imports a database driver, and each driver only for a store of its kind: sqlite3 costs
~2 ms to import, psycopg ~20 ms (SQLAlchemy, which this replaces, cost ~150 ms before a query ran).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from gardener.history.dialect import POSTGRESQL, SQLITE, Dialect
from gardener.history.errors import HistoryError
from gardener.history.location import Location

SQLITE_MIN = (3, 35, 0)  # RETURNING, and ON CONFLICT DO NOTHING with it

Params = Sequence[Any]
Trace = Callable[[str], None]


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class Db:
    """An open connection. `trace` holds callables told each statement's SQL as it is executed (the tests
    count queries with it); every statement runs inside `transaction()`."""

    def __init__(self, raw: Any, dialect: Dialect, where: str, errors: tuple[type[Exception], ...]) -> None:
        self._raw = raw
        self.dialect = dialect
        self.where = where
        self._errors = errors
        self.trace: list[Trace] = []

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        text = self.dialect.sql(sql)
        for hook in self.trace:
            hook(text)
        # A tuple, never None: psycopg un-doubles `%%` only when it is given parameters.
        cursor: Cursor = self._raw.execute(text, tuple(params))
        return cursor

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        text = self.dialect.sql(sql)
        for hook in self.trace:
            hook(text)
        cursor = self._raw.cursor()
        try:
            cursor.executemany(text, rows)
        finally:
            cursor.close()

    @contextmanager
    def transaction(self) -> Iterator[Db]:
        """One transaction: committed when the block ends, rolled back when it raises; a driver error
        becomes HistoryError("history <store>: <the driver's first line>")."""
        try:
            self._raw.execute(self.dialect.begin)
        except self._errors as exc:
            raise HistoryError(self.where, one_line(exc)) from None
        try:
            yield self
            self._raw.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, self._errors):
                raise HistoryError(self.where, one_line(exc)) from None
            raise

    def _rollback(self) -> None:
        with suppress(*self._errors):  # nothing was begun, or the connection is gone: nothing to undo
            self._raw.execute("ROLLBACK")

    def close(self) -> None:
        with suppress(*self._errors):
            self._raw.close()


def connect(location: Location) -> Db:
    return _sqlite(location) if location.kind == "sqlite" else _postgresql(location)


def _sqlite(location: Location) -> Db:
    import sqlite3

    if sqlite3.sqlite_version_info < SQLITE_MIN:
        raise HistoryError(location.where, f"needs SQLite {'.'.join(map(str, SQLITE_MIN))} or newer "
                                           f"(this Python has {sqlite3.sqlite_version})")
    path = Path(location.target)
    if path.is_dir():
        raise HistoryError(location.where, "is a directory, not a SQLite file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE), so concurrent writers queue on the
        # lock (up to the timeout) instead of failing on a read-to-write upgrade.
        raw = sqlite3.connect(path, timeout=60, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(location.where, one_line(exc)) from None
    try:
        raw.execute("PRAGMA foreign_keys=ON")
        raw.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as exc:
        raw.close()
        raise HistoryError(location.where, one_line(exc)) from None
    return Db(raw, SQLITE, location.where, (sqlite3.Error,))


def _postgresql(location: Location) -> Db:
    import psycopg

    try:
        # autocommit: the driver starts no transaction of its own; transaction() says BEGIN and COMMIT.
        raw = psycopg.connect(location.target, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise HistoryError(location.where, one_line(exc)) from None
    return Db(raw, POSTGRESQL, location.where, (psycopg.Error,))
