"""`pytest --gardener --gardener-apply`: a failing session files its issue in the sandbox."""

from __future__ import annotations

from pathlib import Path

from gardener.sandbox import Sandbox
from tests.github.conftest import REPO
from tests.github.helpers import make_client
from tests.test_pytest_plugin import project, pytest_run


def test_a_failing_session_files_its_issue_and_says_so(tmp_path: Path, sandbox: Sandbox):
    cwd = project(tmp_path)
    (cwd / "gardener.toml").write_text(
        f'[gardener.github]\nrepo = "{REPO}"\napi_url = "{sandbox.url}"\nwrite_interval = 0\nmax_wait = 5\n',
        encoding="utf-8")
    done = pytest_run(cwd, "--gardener", "--gardener-apply", "--gardener-out", "garden", GITHUB_TOKEN="t0ken-x")
    assert done.returncode == 1, done.stdout + done.stderr
    (issue,) = make_client(sandbox.url, sandbox.token).get_repo(REPO).get_issues(state="all")
    assert "test_total_is_wrong" in issue.body
    assert f"(#{issue.number})" in done.stdout
