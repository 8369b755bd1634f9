"""History: every `gardener run` recorded in a store (SQLite by default, PostgreSQL by URL), and pure
summaries over what it holds (rates, streaks, first/last seen, sparklines).

Only db.py imports a database driver (stdlib sqlite3, or psycopg 3 for a PostgreSQL URL); the
rest is standard library, so `gardener --help` and a `--no-history` run never load it.
"""
