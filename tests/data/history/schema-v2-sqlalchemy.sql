-- A gardener history store at schema version 2 as the SQLAlchemy Core store wrote it (before the store moved to
-- the DB-API): each CREATE is the text SQLAlchemy emitted, as SQLite keeps it in sqlite_master of a store made
-- by that code (v2-by-sqlalchemy.sqlite). {serial} is the id column SQLAlchemy emitted per dialect (SQLite:
-- INTEGER NOT NULL; PostgreSQL: SERIAL NOT NULL, where the quoted "key" is the same name as SQLAlchemy's bare key).
CREATE TABLE gardener_meta (
  "key" VARCHAR(64) NOT NULL,
  value VARCHAR(200) NOT NULL,
  PRIMARY KEY ("key")
);
CREATE TABLE suites (
  id {serial},
  repo VARCHAR(200) NOT NULL,
  digest VARCHAR(64) NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT suites_repo_digest UNIQUE (repo, digest)
);
CREATE TABLE tests (
  id {serial},
  repo VARCHAR(200) NOT NULL,
  "key" VARCHAR(32) NOT NULL,
  name TEXT NOT NULL,
  variant TEXT NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT tests_repo_key UNIQUE (repo, "key")
);
CREATE TABLE runs (
  id {serial},
  repo VARCHAR(200) NOT NULL,
  run_key VARCHAR(200) NOT NULL,
  workflow VARCHAR(200),
  job VARCHAR(200),
  run_id BIGINT,
  attempt INTEGER,
  sha VARCHAR(64),
  branch VARCHAR(255),
  event VARCHAR(64),
  started_at BIGINT NOT NULL,
  url VARCHAR(500),
  gardener_version VARCHAR(40) NOT NULL,
  sig_version VARCHAR(20) NOT NULL,
  suite_id INTEGER,
  tests_total INTEGER NOT NULL,
  failing_total INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT runs_repo_run_key UNIQUE (repo, run_key),
  FOREIGN KEY(suite_id) REFERENCES suites (id)
);
CREATE INDEX runs_repo_started ON runs (repo, started_at);
CREATE TABLE suite_tests (
  suite_id INTEGER NOT NULL,
  test_id INTEGER NOT NULL,
  PRIMARY KEY (suite_id, test_id),
  FOREIGN KEY(suite_id) REFERENCES suites (id) ON DELETE CASCADE,
  FOREIGN KEY(test_id) REFERENCES tests (id)
);
CREATE INDEX suite_tests_test ON suite_tests (test_id);
CREATE TABLE results (
  run_id INTEGER NOT NULL,
  test_id INTEGER NOT NULL,
  outcome VARCHAR(8) NOT NULL,
  attempts INTEGER NOT NULL,
  duration_s FLOAT,
  finding VARCHAR(20),
  signature VARCHAR(20),
  PRIMARY KEY (run_id, test_id),
  FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE,
  FOREIGN KEY(test_id) REFERENCES tests (id)
);
CREATE INDEX results_test_run ON results (test_id, run_id);
CREATE INDEX results_signature ON results (signature);
CREATE TABLE findings (
  run_id INTEGER NOT NULL,
  finding VARCHAR(20) NOT NULL,
  digest VARCHAR(20) NOT NULL,
  sig_version VARCHAR(20) NOT NULL,
  category VARCHAR(100) NOT NULL,
  priority VARCHAR(4) NOT NULL,
  title TEXT,
  count INTEGER NOT NULL,
  PRIMARY KEY (run_id, finding),
  FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX findings_digest_run ON findings (digest, run_id);
INSERT INTO gardener_meta ("key", value) VALUES ('schema_version', '2');
INSERT INTO suites (repo, digest, size) VALUES ('o/r', 'v2-suite', 2);
INSERT INTO tests (repo, "key", name, variant) VALUES ('o/r', '7e1b0c6a4f0d2b9a8c3e5f1a2b4c6d8e', 'tests/test_api.py::test_login', '');
INSERT INTO tests (repo, "key", name, variant) VALUES ('o/r', '0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d', 'tests/test_api.py::test_logout', '');
INSERT INTO suite_tests (suite_id, test_id) VALUES (1, 1);
INSERT INTO suite_tests (suite_id, test_id) VALUES (1, 2);
INSERT INTO runs (repo, run_key, workflow, job, run_id, attempt, sha, branch, event, started_at, url, gardener_version,
  sig_version, suite_id, tests_total, failing_total, recorded_at)
  VALUES ('o/r', 'gh:201:1:test', 'ci', 'test', 201, 1, 'ccccccc3333333', 'main', 'push', 1795000000, NULL, '0.1.0', 'sig-v1', 1, 2, 1, 1795000100);
INSERT INTO runs (repo, run_key, workflow, job, run_id, attempt, sha, branch, event, started_at, url, gardener_version,
  sig_version, suite_id, tests_total, failing_total, recorded_at)
  VALUES ('o/r', 'gh:202:1:test', 'ci', 'test', 202, 1, 'ddddddd4444444', 'main', 'push', 1795086400, NULL, '0.1.0', 'sig-v1', 1, 2, 1, 1795086500);
INSERT INTO results (run_id, test_id, outcome, attempts, duration_s, finding, signature)
  VALUES (1, 1, 'failed', 1, 0.5, 'f-5d41402abc', '5d41402abc4b');
INSERT INTO results (run_id, test_id, outcome, attempts, duration_s, finding, signature)
  VALUES (2, 1, 'error', 2, 0.7, 'f-5d41402abc', '5d41402abc4b');
INSERT INTO findings (run_id, finding, digest, sig_version, category, priority, title, count)
  VALUES (1, 'f-5d41402abc', '5d41402abc4b', 'sig-v1', 'assertion', 'P2', 'test_login fails', 1);
INSERT INTO findings (run_id, finding, digest, sig_version, category, priority, title, count)
  VALUES (2, 'f-5d41402abc', '5d41402abc4b', 'sig-v1', 'assertion', 'P2', 'test_login fails', 1);
