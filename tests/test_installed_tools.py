"""A tool missing from a package manager's tree after its install failed in an earlier job (installed_tools.py).

The GitLab / Composer case (phpunit and phpstan jobs after the failed `composer install` job) is round 8's scenario
(tests/scenarios/test_scenarios_round8.py); these are the GitHub Actions / npm case and the boundaries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from gardener.config import Config
from gardener.consequences import fold_consequences
from gardener.model import AttemptStatus, Finding, LogStep, Result, Signature, Source
from gardener.pipeline import RunOptions, build_report

NPM_CI_FAILS = """\
2024-05-02T10:00:00.0000000Z ##[group]Run npm ci
2024-05-02T10:00:00.0000000Z npm ci
2024-05-02T10:00:00.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:00:00.0000000Z ##[endgroup]
2024-05-02T10:00:04.0000000Z npm ERR! code ERESOLVE
2024-05-02T10:00:04.0000000Z npm ERR! ERESOLVE unable to resolve dependency tree
2024-05-02T10:00:04.0000000Z npm ERR! Found: react@17.0.2
2024-05-02T10:00:04.0000000Z npm ERR! Could not resolve dependency:
2024-05-02T10:00:04.0000000Z npm ERR! peer react@"^18.0.0" from react-dom@18.2.0
2024-05-02T10:00:05.5000000Z ##[error]Process completed with exit code 1.
"""

LINT_WITHOUT_INSTALL = """\
2024-05-02T10:02:00.0000000Z ##[group]Run node_modules/.bin/eslint src
2024-05-02T10:02:00.0000000Z node_modules/.bin/eslint src
2024-05-02T10:02:00.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:02:00.0000000Z ##[endgroup]
2024-05-02T10:02:00.1000000Z /home/runner/work/_temp/5e.sh: line 1: node_modules/.bin/eslint: No such file or directory
2024-05-02T10:02:00.5000000Z ##[error]Process completed with exit code 127.
"""

LINT_AFTER_ITS_OWN_INSTALL = """\
2024-05-02T10:02:00.0000000Z ##[group]Run npm ci
2024-05-02T10:02:00.0000000Z npm ci
2024-05-02T10:02:00.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:02:00.0000000Z ##[endgroup]
2024-05-02T10:02:09.0000000Z added 312 packages in 9s
2024-05-02T10:02:10.0000000Z ##[group]Run node_modules/.bin/eslint src
2024-05-02T10:02:10.0000000Z node_modules/.bin/eslint src
2024-05-02T10:02:10.0000000Z shell: /usr/bin/bash -e {0}
2024-05-02T10:02:10.0000000Z ##[endgroup]
2024-05-02T10:02:10.1000000Z /home/runner/work/_temp/5e.sh: line 1: node_modules/.bin/eslint: No such file or directory
2024-05-02T10:02:10.5000000Z ##[error]Process completed with exit code 127.
"""


def _report(tmp_path: Path, **logs: str) -> tuple[Finding, Finding, set[tuple[str, str]]]:
    """The failed npm install, the missing eslint, and the run's edges, from the job logs `logs` (name: text)."""
    for name, text in logs.items():
        (tmp_path / f"{name}.log").write_text(text, encoding="utf-8")
    report = build_report(RunOptions(paths=tuple(str(tmp_path / f"{n}.log") for n in logs)), Config())
    (install,) = [f for f in report.findings if f.rule_id == "deps.npm-peer-conflict"]
    (tool,) = [f for f in report.findings if f.rule_id == "deps.installed-tool-missing"]
    return install, tool, {(e.blocker, e.blocked) for e in report.edges}


def test_a_tool_missing_in_a_job_that_ran_no_install_is_the_earlier_failed_install_s(tmp_path: Path) -> None:
    install, tool, edges = _report(tmp_path, install=NPM_CI_FAILS, lint=LINT_WITHOUT_INSTALL)
    assert tool.blocked_by == (install.id,) and (install.id, tool.id) in edges


def test_a_tool_missing_after_the_job_s_own_install_succeeded_stays_a_root_cause(tmp_path: Path) -> None:
    install, tool, edges = _report(tmp_path, install=NPM_CI_FAILS, lint=LINT_AFTER_ITS_OWN_INSTALL)
    assert tool.blocked_by == () and (install.id, tool.id) not in edges


def test_an_install_that_failed_in_a_job_started_later_explains_nothing(tmp_path: Path) -> None:
    later = NPM_CI_FAILS.replace("T10:00:", "T10:09:")  # the lint job (10:02) ran before it
    _, tool, _ = _report(tmp_path, install=later, lint=LINT_WITHOUT_INSTALL)
    assert tool.blocked_by == ()


# -- the decision on its own: findings and the jobs' steps --------------------------------------------------------

def _finding(fid: str, path: str, line: int, rule: str, captures: tuple[tuple[str, str], ...] = ()) -> Finding:
    r = Result(id=f"log:{fid}", outcome="error", source=Source(path, "log"), source_line=line, message=fid)
    return Finding(id=fid, signature=Signature(fid, "sig-v1", fid), results=(r,), category="dependency-install-failure",
                   area="a", layer="test", priority="P0", priority_reason="", rule_id=rule, title=fid,
                   root_cause="", impact="", captures=captures, blocks=())


def _step(path: str, command: str, line: int, end: int, status: AttemptStatus, minute: int | None) -> LogStep:
    when = datetime(2025, 12, 7, 14, minute, tzinfo=UTC) if minute is not None else None
    return LogStep(path=path, name=command, command=command, shell="bash", line=line, end_line=end, exit_code=None,
                   status=status, key_error="", started_at=when)


COMPOSER = _finding("composer", "composer.log", 30, "deps.composer-platform")
PHPUNIT = _finding("phpunit", "phpunit.log", 19, "deps.installed-tool-missing",
                   (("path", "vendor/bin/phpunit"), ("tool", "phpunit")))
ESLINT = _finding("eslint", "lint.log", 19, "deps.installed-tool-missing",
                  (("path", "./node_modules/.bin/eslint"), ("tool", "eslint")))
COMPOSER_STEPS = (_step("composer.log", "composer install --no-interaction", 24, 42, "FAILED", 2),
                  _step("phpunit.log", "vendor/bin/phpunit --colors=never", 18, 19, "FAILED", 3))


def _blocked(findings: list[Finding], steps: tuple[LogStep, ...]) -> dict[str, tuple[str, ...]]:
    return {f.id: f.blocked_by for f in fold_consequences(findings, (), steps)[0]}


def test_the_composer_job_s_failure_blocks_a_later_job_s_vendor_bin() -> None:
    assert _blocked([COMPOSER, PHPUNIT], COMPOSER_STEPS)["phpunit"] == ("composer",)


def test_another_manager_s_tree_is_left_alone() -> None:
    steps = (*COMPOSER_STEPS, _step("lint.log", "node_modules/.bin/eslint src", 18, 19, "FAILED", 3))
    assert _blocked([COMPOSER, ESLINT], steps)["eslint"] == ()


def test_without_the_jobs_start_times_or_steps_nothing_is_folded() -> None:
    unknown = tuple(_step(s.path, s.command, s.line, s.end_line, s.status, None) for s in COMPOSER_STEPS)
    assert _blocked([COMPOSER, PHPUNIT], unknown)["phpunit"] == ()
    assert _blocked([COMPOSER, PHPUNIT], ())["phpunit"] == ()


def test_in_one_job_only_an_install_that_failed_before_the_tool_explains_it() -> None:
    install = _finding("install", "job.log", 10, "deps.composer-platform")
    tool = _finding("tool", "job.log", 40, "deps.installed-tool-missing", (("path", "vendor/bin/phpstan"),))
    earlier_steps = (_step("job.log", "composer install", 5, 20, "FAILED", 2),
                     _step("job.log", "vendor/bin/phpstan analyse", 38, 41, "FAILED", 2))
    assert _blocked([install, tool], earlier_steps)["tool"] == ("install",)
    after = _finding("install", "job.log", 60, "deps.composer-platform")
    later_steps = (_step("job.log", "vendor/bin/phpstan analyse", 38, 41, "FAILED", 2),
                   _step("job.log", "composer install", 55, 70, "FAILED", 2))
    assert _blocked([after, tool], later_steps)["tool"] == ()
