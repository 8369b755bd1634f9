"""The git layer of a run's metadata, from a real repository in each state a working directory can be in."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from gardener.history.meta import git, git_layer


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_repository_gives_its_remote_commit_and_branch_in_two_git_processes(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "trunk")
    _git(tmp_path, "remote", "add", "origin", "git@github.com:acme/app.git")
    assert git_layer(tmp_path) == {"repo": "acme/app", "sha": None, "branch": None}  # no commit yet
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "one")
    sha = _git(tmp_path, "rev-parse", "HEAD")
    calls: list[Sequence[str]] = []

    def counted(args: Sequence[str], cwd: Path) -> str | None:
        calls.append(args)
        return git(args, cwd)

    assert git_layer(tmp_path, counted) == {"repo": "acme/app", "sha": sha, "branch": "trunk"}
    assert len(calls) == 2
    _git(tmp_path, "checkout", "-q", "--detach")
    assert git_layer(tmp_path) == {"repo": "acme/app", "sha": sha, "branch": None}  # detached: no branch


def test_outside_a_repository_git_says_nothing() -> None:
    assert git_layer(Path("/")) == {"repo": None, "sha": None, "branch": None}
