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
