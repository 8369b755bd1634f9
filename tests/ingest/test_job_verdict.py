"""A job whose own verdict is success: the failures in it were caught (runner_log/job_verdict.py)."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log import parse
from gardener.ingest.runner_log.job_verdict import JOB_SUCCEEDED

CONSOLE = """Started by user ines
[Pipeline] Start of Pipeline
[Pipeline] node
[Pipeline] {{
[Pipeline] stage
[Pipeline] {{ (Test (nightly))
[Pipeline] catchError
[Pipeline] {{
[Pipeline] sh
+ ./gradlew test
FAILURE: Build failed with an exception.
* What went wrong:
Execution failed for task ':app:compileKotlin'.
> Compilation error. See log for more details
[Pipeline] }}
ERROR: script returned exit code 1
[Pipeline] // catchError
[Pipeline] }}
[Pipeline] // stage
[Pipeline] }}
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: {verdict}
"""


def test_a_failure_in_a_console_that_finished_success_is_marked_caught(tmp_path: Path) -> None:
    log = tmp_path / "consoleText.log"
    log.write_text(CONSOLE.format(verdict="SUCCESS"), encoding="utf-8")
    failing = [r for r in parse(log).results if r.is_failing]
    assert failing and all(JOB_SUCCEEDED in r.properties for r in failing)


def test_a_failed_console_marks_nothing(tmp_path: Path) -> None:
    log = tmp_path / "consoleText.log"
    log.write_text(CONSOLE.format(verdict="FAILURE"), encoding="utf-8")
    failing = [r for r in parse(log).results if r.is_failing]
    assert failing and not any(JOB_SUCCEEDED in r.properties for r in failing)
