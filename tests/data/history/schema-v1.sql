-- A gardener history store at schema version 1, as gardener wrote it before version 2 added
-- runs.event, findings.title and the results(test_id, run_id) and results(signature) indexes. {serial} is the dialect's
-- auto-numbered primary key (SQLite: INTEGER PRIMARY KEY AUTOINCREMENT; PostgreSQL: SERIAL PRIMARY KEY).
CREATE TABLE gardener_meta (key VARCHAR(64) NOT NULL PRIMARY KEY, value VARCHAR(200) NOT NULL);
CREATE TABLE suites (id {serial}, repo VARCHAR(200) NOT NULL, digest VARCHAR(64) NOT NULL, size INTEGER NOT NULL,
  CONSTRAINT suites_repo_digest UNIQUE (repo, digest));
CREATE TABLE runs (id {serial}, repo VARCHAR(200) NOT NULL, run_key VARCHAR(200) NOT NULL, workflow VARCHAR(200),
  job VARCHAR(200), run_id BIGINT, attempt INTEGER, sha VARCHAR(64), branch VARCHAR(255), started_at BIGINT NOT NULL,
  url VARCHAR(500), gardener_version VARCHAR(40) NOT NULL, sig_version VARCHAR(20) NOT NULL,
  suite_id INTEGER REFERENCES suites (id), tests_total INTEGER NOT NULL, failing_total INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL, CONSTRAINT runs_repo_run_key UNIQUE (repo, run_key));
CREATE INDEX runs_repo_started ON runs (repo, started_at);
CREATE TABLE tests (id {serial}, repo VARCHAR(200) NOT NULL, key VARCHAR(32) NOT NULL, name TEXT NOT NULL,
  variant TEXT NOT NULL, CONSTRAINT tests_repo_key UNIQUE (repo, key));
CREATE TABLE suite_tests (suite_id INTEGER NOT NULL REFERENCES suites (id) ON DELETE CASCADE,
  test_id INTEGER NOT NULL REFERENCES tests (id), PRIMARY KEY (suite_id, test_id));
CREATE INDEX suite_tests_test ON suite_tests (test_id);
CREATE TABLE results (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  test_id INTEGER NOT NULL REFERENCES tests (id), outcome VARCHAR(8) NOT NULL, attempts INTEGER NOT NULL,
  duration_s FLOAT, finding VARCHAR(20), signature VARCHAR(20), PRIMARY KEY (run_id, test_id));
CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, finding VARCHAR(20) NOT NULL,
  digest VARCHAR(20) NOT NULL, sig_version VARCHAR(20) NOT NULL, category VARCHAR(100) NOT NULL,
  priority VARCHAR(4) NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (run_id, finding));
CREATE INDEX findings_digest_run ON findings (digest, run_id);
INSERT INTO gardener_meta (key, value) VALUES ('schema_version', '1');
INSERT INTO suites (repo, digest, size) VALUES ('o/r', 'v1-suite', 2);
INSERT INTO tests (repo, key, name, variant) VALUES ('o/r', '7e1b0c6a4f0d2b9a8c3e5f1a2b4c6d8e', 'tests/test_api.py::test_login', '');
INSERT INTO tests (repo, key, name, variant) VALUES ('o/r', '0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d', 'tests/test_api.py::test_logout', '');
INSERT INTO suite_tests (suite_id, test_id) VALUES (1, 1);
INSERT INTO suite_tests (suite_id, test_id) VALUES (1, 2);
INSERT INTO runs (repo, run_key, workflow, job, run_id, attempt, sha, branch, started_at, url, gardener_version,
  sig_version, suite_id, tests_total, failing_total, recorded_at)
  VALUES ('o/r', 'gh:101:1:test', 'ci', 'test', 101, 1, 'aaaaaaa1111111', 'main', 1795000000, NULL, '0.0.9', 'sig-v1', 1, 2, 1, 1795000100);
INSERT INTO runs (repo, run_key, workflow, job, run_id, attempt, sha, branch, started_at, url, gardener_version,
  sig_version, suite_id, tests_total, failing_total, recorded_at)
  VALUES ('o/r', 'gh:102:1:test', 'ci', 'test', 102, 1, 'bbbbbbb2222222', 'main', 1795086400, NULL, '0.0.9', 'sig-v1', 1, 2, 0, 1795086500);
INSERT INTO results (run_id, test_id, outcome, attempts, duration_s, finding, signature)
  VALUES (1, 1, 'failed', 1, 0.5, 'f-5d41402abc', '5d41402abc4b');
INSERT INTO findings (run_id, finding, digest, sig_version, category, priority, count)
  VALUES (1, 'f-5d41402abc', '5d41402abc4b', 'sig-v1', 'assertion', 'P2', 1);
