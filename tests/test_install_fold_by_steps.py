"""What a failed install in one job explains in another: only a job that ran no install of its own, started after it.

A command missing from a package manager's tree (`node_modules/.bin/eslint: No such file or directory`) can only lack
the tree because another job's install failed when the command's job ran no install of its own and the install's job
started before it; the jobs' steps (LogStep: commands, statuses, start times) say both (installed_tools.py). Two runs
where one of those fails stay root causes; scenarios-10's step-less fold folded both (found by pins-10, lifted when
the lead kept the step-based fold).
"""

from __future__ import annotations

from pathlib import Path

from gardener.config import Config
from gardener.model import Finding
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
