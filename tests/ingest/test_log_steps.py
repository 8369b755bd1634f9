"""The steps of a GitHub Actions job read from its runner log (ParsedFile.steps, Ingested.steps)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from gardener.ingest import ingest, runner_log

LOGS = Path(__file__).parent.parent / "data" / "logs"
SCENARIOS = Path(__file__).parents[1] / "scenarios" / "data"


def test_each_step_with_its_command_status_exit_code_and_key_line() -> None:
    steps = runner_log.parse(LOGS / "gha-steps.log").steps
    assert [(s.name, s.status, s.exit_code) for s in steps] == [
        ("actions/checkout@v4", "SUCCESS", 0),
        ("python -m pip install -r requirements.txt", "SUCCESS WITH WARNINGS", 0),
        ("ruff check .", "FAILED", 1),
        ("python -m pytest tests/e2e", "TIMED OUT", None),
        ("actions/upload-artifact@v4", "SUCCESS", 0),
    ]
    checkout, pip, ruff, e2e, _ = steps
    assert (checkout.shell, checkout.command) == (None, "actions/checkout@v4")  # an action
    assert pip.shell == "/usr/bin/bash -e {0}"
    assert pip.command == "python -m pip install -r requirements.txt\npython -m pip check"  # the whole script
    assert pip.key_error.startswith("Node.js 16 actions are deprecated")  # the first warning
    # the linter's own report line, not its `Found 1 error.` total; `##[group]ruff output` was not a step
    assert ruff.key_error == "src/shop/cart.py:12:1: F401 [*] `os` imported but unused"
    assert e2e.key_error == "The action 'Run python -m pytest tests/e2e' has timed out after 10 minutes."
    assert (pip.line, pip.end_line) == (10, 20)
    assert pip.started_at == datetime(2025, 4, 2, 7, 0, 27, tzinfo=UTC)
    assert pip.duration_s == 33.0  # until the next step started


def test_failed_step_is_explained_by_its_first_failing_result() -> None:
    steps = runner_log.parse(SCENARIOS / "jest-monorepo" / "test-api-job.log").steps
    jest = next(s for s in steps if "test:ci" in s.name)
    assert (jest.status, jest.exit_code) == ("FAILED", 1)
    assert jest.key_error == (
        "src/routes/orders.test.ts - Cannot find module '@acme/shared/dist/money' from 'src/routes/orders.ts'"
        " (and 2 more failing)"
    )
    install = next(s for s in steps if s.name.startswith("npm ci"))
    assert install.status == "SUCCESS WITH WARNINGS" and install.key_error.startswith("npm warn deprecated inflight")


def test_runner_shutdown_and_a_log_that_ends_inside_a_step(tmp_path: Path) -> None:
    steps = runner_log.parse(LOGS / "runner-shutdown.log").steps
    assert [(s.status, s.exit_code) for s in steps] == [("FAILED", 137)]
    assert steps[0].key_error.startswith("The runner has received a shutdown signal")
    cut = tmp_path / "cut.log"
    cut.write_text("##[group]Run make test\nmake test\n##[endgroup]\nok 1 - parses\n")
    (open_step,) = runner_log.parse(cut).steps
    assert (open_step.name, open_step.status, open_step.exit_code) == ("make test", "SUCCESS", None)


def test_ingest_carries_steps_in_input_order_and_logs_without_steps_have_none() -> None:
    ing = ingest([str(LOGS / "gha-steps.log"), str(LOGS / "maven-surefire.log"), str(LOGS / "runner-shutdown.log")])
    assert [s.path.rsplit("/", 1)[-1] for s in ing.steps] == ["gha-steps.log"] * 5 + ["runner-shutdown.log"]
