"""`gardener run --apply` in a simulated GitHub Actions step, against the sandbox: the issues record
where the failure was seen (run URL, commit, branch), and the step's outputs count what was done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gardener.sandbox import Sandbox
from tests.github.conftest import REPO
from tests.github.helpers import make_client
from tests.test_actions import TOKEN, actions_environ, parse_outputs, runner_commands

FAILED_RUN = "https://github.com/octo/demo/actions/runs/777"
FAILED_SHA = "fedcba9876543210fedcba9876543210fedcba98"

JUNIT = """<?xml version="1.0"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.test_ws" name="test_connect" file="tests/test_ws.py">
<error message="ModuleNotFoundError: No module named 'websockets'">E   ModuleNotFoundError: No module named 'websockets'
::set-env name=PWNED::1</error></testcase>
<testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="4">
<failure message="AssertionError: assert 3 == 4">E   AssertionError: assert 3 == 4</failure></testcase>
</testsuite></testsuites>
"""


def test_apply_in_actions_records_the_failed_run_in_issues_and_counts_outputs(tmp_path: Path, sandbox: Sandbox):
    (tmp_path / "gardener.toml").write_text("[gardener.github]\nwrite_interval = 0\nmax_wait = 5\n", encoding="utf-8")
    report = tmp_path / "junit.xml"
    report.write_text(JUNIT, encoding="utf-8")
    environ = actions_environ(tmp_path) | {
        "GITHUB_REPOSITORY": REPO,
        # what gardener-on-failure.yml passes from the workflow_run event
        "GARDENER_RUN_URL": FAILED_RUN,
        "GARDENER_COMMIT": FAILED_SHA,
        "GARDENER_BRANCH": "main",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GARDENER_", "GH_"))} | environ
    done = subprocess.run(
        [sys.executable, "-m", "gardener", "run", "--apply", "--github-url", sandbox.url, "--out", "out",
         "--annotate-reports", str(report)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout
    assert {name for name, _, _ in runner_commands(done.stdout)} <= {"add-mask", "error", "warning"}
    assert TOKEN not in done.stdout.replace(f"::add-mask::{TOKEN}", "")

    outputs = parse_outputs(Path(environ["GITHUB_OUTPUT"]).read_text(encoding="utf-8"))
    assert outputs["findings"] == "2" and outputs["created"] == "2"
    assert (outputs["updated"], outputs["reopened"]) == ("0", "0")
    repo = make_client(sandbox.url, sandbox.token).get_repo(REPO)
    bodies = [issue.body for issue in repo.get_issues(state="all")]
    assert len(bodies) == 2
    for body in bodies:
        assert FAILED_RUN in body and FAILED_SHA in body and "`main`" in body
        assert TOKEN not in body
    annotated = report.read_text(encoding="utf-8")
    numbers = sorted(issue.number for issue in repo.get_issues(state="all"))
    assert all(f"[gardener] Tracked in #{n}, seen once" in annotated for n in numbers)
