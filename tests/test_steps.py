"""A GitHub Actions job log's steps become the worklog's test attempts."""

from datetime import UTC, datetime
from pathlib import Path

from gardener.config import Config
from gardener.ingest import ingest
from gardener.pipeline import RunOptions, run
from gardener.steps import MAX_STEP_ATTEMPTS, step_attempts
from gardener.view.common import Ctx

LOG = Path(__file__).parent / "data" / "logs" / "gha-steps.log"
WHEN = datetime(2025, 1, 1, tzinfo=UTC)


def test_run_steps_become_attempts_with_status_and_key_error():
    ing = ingest([str(LOG)])
    attempts = step_attempts(ing.steps, WHEN)
    assert attempts, "the fixture has run: steps"
    assert all(a.output_path and a.output_path.startswith(str(LOG)) for a in attempts)
    failed = [a for a in attempts if a.status == "FAILED"]
    assert failed and all(a.key_error for a in failed)
    shells = {s.name for s in ing.steps if s.shell is not None}
    assert {a.name for a in attempts} >= shells


def test_many_steps_keep_every_failed_one():
    ing = ingest([str(LOG)])
    step = next(s for s in ing.steps if s.status == "FAILED")
    ok = next(s for s in ing.steps if s.status.startswith("SUCCESS") and s.shell is not None)
    attempts = step_attempts([ok] * (MAX_STEP_ATTEMPTS + 5) + [step], WHEN)
    assert len(attempts) == MAX_STEP_ATTEMPTS
    assert attempts[-1].status == "FAILED"


def test_the_worklog_lists_the_jobs_steps(tmp_path):
    out = run(RunOptions(paths=(str(LOG),), out_dir=tmp_path, now=WHEN), Config(), Ctx())
    text = out.worklog_path.read_text()
    assert "No test commands were run or recorded" not in text
    assert "**Result:** FAILED" in text


def test_a_directory_walk_skips_prose_but_a_named_file_is_read(tmp_path):
    (tmp_path / "README.md").write_text("Error: this is documentation about errors\n")
    (tmp_path / "ci.log").write_text("npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\n")
    walked = ingest([str(tmp_path)])
    assert [Path(f.path).name for f in walked.files] == ["ci.log"]
    named = ingest([str(tmp_path / "README.md")])
    assert [Path(f.path).name for f in named.files] == ["README.md"]


NO_SHELL_LINE = """\
2024-05-02T10:00:00.0000000Z ##[group]Run actions/setup-node@v4
2024-05-02T10:00:00.0000000Z with:
2024-05-02T10:00:00.0000000Z   node-version: 20
2024-05-02T10:00:00.0000000Z ##[endgroup]
2024-05-02T10:00:01.0000000Z ##[group]Run npm test -- --ci
2024-05-02T10:00:01.0000000Z \x1b[36;1mnpm test -- --ci\x1b[0m
2024-05-02T10:00:01.0000000Z ##[endgroup]
2024-05-02T10:00:05.0000000Z Tests:       42 passed, 42 total
2024-05-02T10:00:06.0000000Z Post job cleanup.
"""


def test_a_run_step_the_runner_echoes_without_a_shell_line_is_an_attempt(tmp_path):
    """The runner prints `shell:` only when the step sets a shell or env; the echoed script says it ran."""
    log = tmp_path / "test-node.log"
    log.write_text(NO_SHELL_LINE, encoding="utf-8")
    attempts = step_attempts(ingest([str(log)]).steps, WHEN)
    assert [(a.command, a.status) for a in attempts] == [("npm test -- --ci", "SUCCESS")]


TRAVIS_PYTHON = """\
travis_fold:start:worker_info\r\x1b[0K\x1b[33;1mWorker information\x1b[0m
hostname: travis-job-python
travis_fold:end:worker_info\r\x1b[0K
$ git clone --depth=50 https://github.com/acme/shop.git acme/shop
$ export PIP_DISABLE_PIP_VERSION_CHECK=1
travis_time:start:0a1b2c3d\r\x1b[0K$ pip install -r requirements.txt
Successfully installed shoplib-2.0
travis_time:end:0a1b2c3d:start=1,finish=2,duration=1,event=install\r\x1b[0K
\x1b[32;1mThe command "pip install -r requirements.txt" exited with 0.\x1b[0m
travis_time:start:1b2c3d4e\r\x1b[0K$ python -m pytest -q
F.
FAILED tests/test_cart.py::test_total - assert 104 == 105
1 failed, 1 passed in 0.12s
travis_time:end:1b2c3d4e:start=3,finish=4,duration=1,event=script\r\x1b[0K
\x1b[31;1mThe command "python -m pytest -q" exited with 1.\x1b[0m

Done. Your build exited with 1.
"""


def test_travis_commands_it_judged_are_attempts_with_their_exit_codes(tmp_path):
    """Travis's `The command "…" exited with N.` ends each install and script command; its echo starts it."""
    log = tmp_path / "job-py312.log"
    log.write_text(TRAVIS_PYTHON, encoding="utf-8")
    attempts = step_attempts(ingest([str(log)]).steps, WHEN)
    assert [(a.command, a.status, a.exit_code) for a in attempts] == [
        ("pip install -r requirements.txt", "SUCCESS", 0),
        ("python -m pytest -q", "FAILED", 1),
    ]
    assert "test_total" in attempts[1].key_error, attempts[1].key_error
