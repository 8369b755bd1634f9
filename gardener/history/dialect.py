"""The little that differs between SQLite and PostgreSQL for the store, in one place. Everything else is one
SQL text for both: written with `?` placeholders, upserts as `ON CONFLICT ... DO NOTHING`, `RETURNING`
(SQLite >= 3.35), epoch-second BIGINTs for times and no booleans, so only the auto-numbered key, how a
writing transaction starts, how the tables are listed and the schema lock need a word per dialect.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    paramstyle: str  # "qmark" (sqlite3) or "format" (psycopg)
    serial: str  # the auto-numbered id column (its PRIMARY KEY is a table constraint in the DDL)
    begin: str  # a transaction that writes: SQLite takes the write lock up front (see db.py)
    tables: str  # names of the tables in the store's schema
    schema_lock: str | None  # held while the schema is created or migrated; SQLite's BEGIN IMMEDIATE is one

    def sql(self, text: str) -> str:
        return _format(text) if self.paramstyle == "format" else text


@functools.lru_cache(maxsize=512)
def _format(text: str) -> str:
    # The store's SQL has no `?` inside string literals, so every `?` is a placeholder.
    return text.replace("%", "%%").replace("?", "%s")


def marks(n: int) -> str:
    """`?, ?, ?` for an IN list or a VALUES row of n items."""
    return ", ".join("?" * n)


def rows(n: int, width: int) -> str:
    """`(?, ?), (?, ?)`: n VALUES rows of `width` placeholders (one statement per chunk of rows)."""
    one = f"({marks(width)})"
    return ", ".join([one] * n)


SQLITE = Dialect(
    name="sqlite", paramstyle="qmark", serial="INTEGER NOT NULL", begin="BEGIN IMMEDIATE",
    tables="SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite/_%' ESCAPE '/'",
    schema_lock=None,
)
POSTGRESQL = Dialect(
    name="postgresql", paramstyle="format", serial="SERIAL NOT NULL", begin="BEGIN",
    tables="SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
           "AND table_type = 'BASE TABLE'",
    schema_lock="SELECT pg_advisory_xact_lock(?)",
)
