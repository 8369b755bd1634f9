"""Pinned: what consequences._tools_an_install_left_missing folds that its mechanism does not explain.

A command missing from a package manager's tree (`node_modules/.bin/eslint: No such file or directory`) is folded under
that manager's failed install in another job of the run. The tree can only have come from that job when the command's
job ran no install of its own and the install's job ran before it. Two runs where one of those fails are folded all
the same (found by pins-10, whose step-based fold was set aside for this one):

- the lint job ran `npm ci` itself and it succeeded (`added 312 packages`): eslint is missing for a reason of its own;
- the install job started seven minutes after the lint job failed: the lint job was not waiting for its tree.

The jobs' steps (LogStep: each job's commands, statuses and start times) say both; the findings stage does not get
them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from gardener.model import Finding
from gardener.pipeline import RunOptions, build_report

OWN_INSTALL = ("a command missing after its own job's `npm ci` succeeded is folded under another job's failed npm "
               "install (consequences._tools_an_install_left_missing does not read whether the job installed)")
LATER_INSTALL = ("a command missing in a job that ran before the failed install's job is folded under it "
                 "(consequences._tools_an_install_left_missing does not read when the jobs ran)")

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


@pytest.mark.xfail(strict=True, reason=OWN_INSTALL)
def test_a_tool_missing_after_the_job_s_own_install_succeeded_stays_a_root_cause(tmp_path: Path) -> None:
    install, tool, edges = _report(tmp_path, install=NPM_CI_FAILS, lint=LINT_AFTER_ITS_OWN_INSTALL)
    assert tool.blocked_by == () and (install.id, tool.id) not in edges


@pytest.mark.xfail(strict=True, reason=LATER_INSTALL)
def test_an_install_that_failed_in_a_job_started_later_explains_nothing(tmp_path: Path) -> None:
    later = NPM_CI_FAILS.replace("T10:00:", "T10:09:")  # the lint job (10:02) ran before it
    _, tool, _ = _report(tmp_path, install=later, lint=LINT_WITHOUT_INSTALL)
    assert tool.blocked_by == ()
