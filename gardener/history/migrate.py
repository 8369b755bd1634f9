"""The schema's version lives in the store; older stores are carried forward step by step, newer ones refused.

Each step is plain DDL that both dialects accept. Schema creation and migration run in one transaction
under a lock (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so concurrent first runs agree.
"""

from __future__ import annotations

from gardener.history import schema
from gardener.history.db import Db
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


def stored_version(db: Db) -> int | None:
    names = {row[0] for row in db.execute(db.dialect.tables)}
    if "gardener_meta" not in names:
        if names & {"runs", "results", "tests"}:
            raise HistoryError("store", "has tables but no gardener_meta version: not a gardener history store")
        return None
    found = db.execute('SELECT value FROM gardener_meta WHERE "key" = ?', ("schema_version",)).fetchone()
    value = found[0] if found else None
    if value is None or not str(value).isdigit():
        raise HistoryError("store", f"unreadable schema version {value!r} in gardener_meta")
    return int(value)


def ensure_schema(db: Db, where: str) -> int:
    """Create, migrate or refuse; returns the version the store was at before (0 when created).
    Call inside a transaction."""
    if db.dialect.schema_lock:
        db.execute(db.dialect.schema_lock, (LOCK_ID,))
    version = stored_version(db)
    if version is None:
        for statement in schema.ddl(db.dialect):
            db.execute(statement)
        db.execute('INSERT INTO gardener_meta ("key", value) VALUES (?, ?)',
                   ("schema_version", str(schema.SCHEMA_VERSION)))
        return 0
    if version > schema.SCHEMA_VERSION:
        raise HistoryError(where, f"was written by a newer gardener (schema {version}; this gardener reads up to "
                                  f"{schema.SCHEMA_VERSION}); upgrade gardener or run with --no-history")
    start = version
    while version < schema.SCHEMA_VERSION:
        for ddl in STEPS[version]:
            db.execute(ddl)
        version += 1
    if version != start:
        db.execute('UPDATE gardener_meta SET value = ? WHERE "key" = ?', (str(version), "schema_version"))
    return start
