"""History: every `gardener run` recorded in a store (SQLite by default, PostgreSQL by URL), and pure
summaries over what it holds (rates, streaks, first/last seen, sparklines).

Only store.py, schema.py and migrate.py import the database layer (SQLAlchemy Core + psycopg 3); the
rest is standard library, so `gardener --help` and a `--no-history` run never load it.
"""
