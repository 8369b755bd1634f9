"""Where a store lives, from what the user typed: a file path (SQLite) or a postgresql:// URL. Pure: no driver
is imported to answer, so the CLI can tell "no store here yet" before loading one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gardener.history.errors import HistoryError

POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


@dataclass(frozen=True, slots=True)
class Location:
    kind: Literal["sqlite", "postgresql"]
    target: str  # what the driver opens: the file path, or a libpq URI
    where: str  # what messages call it: never the password


def _shown(rest: str) -> str:
    """`user:secret@host:5432/db?sslmode=require&password=x` → `host:5432/db?sslmode=require&password=***`."""
    authority, slash, tail = rest.partition("/")
    host = authority.rpartition("@")[2]
    path, question, query = tail.partition("?")
    if question:
        query = "&".join(("password=***" if p.lower().startswith("password=") else p) for p in query.split("&"))
    return host + slash + path + question + query


def parse_location(text: str) -> Location:
    """A path, or postgresql:// (also postgres:// and SQLAlchemy's postgresql+psycopg://, as earlier gardeners
    took them); any other scheme is refused in one line."""
    if text.startswith(POSTGRES_SCHEMES):
        rest = text.split("://", 1)[1]
        return Location("postgresql", "postgresql://" + rest, "postgresql://" + _shown(rest))
    if "://" in text:
        raise HistoryError(text.split("://", 1)[0] + "://…", "unsupported store URL: use a file path or "
                                                             "postgresql://user@host:port/db")
    return Location("sqlite", text, text)
