"""The schema's version lives in the store; older stores are carried forward step by step, newer ones refused.

Each step is plain DDL that both dialects accept. Schema creation and migration run in one transaction
under a lock (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so concurrent first runs agree.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, select, text

from gardener.history import schema
from gardener.history.errors import HistoryError

LOCK_ID = 7262635  # pg_advisory_xact_lock key: "gardener history schema"

# version → the DDL that brings a store at that version to the next one.
STEPS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE runs ADD COLUMN event VARCHAR(64)",
        "ALTER TABLE findings ADD COLUMN title TEXT",
        "CREATE INDEX results_test_run ON results (test_id, run_id)",
        "CREATE INDEX results_signature ON results (signature)",
    ),
}


def stored_version(conn: Connection) -> int | None:
    names = set(inspect(conn).get_table_names())
    if schema.meta.name not in names:
        if names & {"runs", "results", "tests"}:
            raise HistoryError("store", "has tables but no gardener_meta version: not a gardener history store")
        return None
    value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
    if value is None or not str(value).isdigit():
        raise HistoryError("store", f"unreadable schema version {value!r} in gardener_meta")
    return int(value)


def ensure_schema(conn: Connection, where: str) -> int:
    """Create, migrate or refuse; returns the version the store was at before (0 when created)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_ID})
    version = stored_version(conn)
    if version is None:
        schema.metadata.create_all(conn)
        conn.execute(schema.meta.insert().values(key="schema_version", value=str(schema.SCHEMA_VERSION)))
        return 0
    if version > schema.SCHEMA_VERSION:
        raise HistoryError(where, f"was written by a newer gardener (schema {version}; this gardener reads up to "
                                  f"{schema.SCHEMA_VERSION}); upgrade gardener or run with --no-history")
    start = version
    while version < schema.SCHEMA_VERSION:
        for ddl in STEPS[version]:
            conn.execute(text(ddl))
        version += 1
    if version != start:
        conn.execute(schema.meta.update().where(schema.meta.c.key == "schema_version").values(value=str(version)))
    return start
