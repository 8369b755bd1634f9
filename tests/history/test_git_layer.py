"""The git layer of a run's metadata, from a real repository in each state a working directory can be in."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from gardener.history.meta import actions_layer, git, git_layer, in_repository, needs_git


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


def test_outside_a_repository_no_git_process_is_started(tmp_path: Path) -> None:
    calls: list[Sequence[str]] = []

    def counted(args: Sequence[str], cwd: Path) -> str | None:
        calls.append(args)
        return git(args, cwd)

    assert not in_repository(tmp_path, {})
    assert git_layer(tmp_path, counted) == {} and calls == []
    assert git(["rev-parse", "HEAD"], tmp_path) is None  # and git agrees there is nothing to find


def test_a_repository_is_found_from_a_subfolder_a_bare_one_in_place_and_git_dir_is_left_to_git(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "work")
    (tmp_path / "work" / "a" / "b").mkdir(parents=True)
    assert in_repository(tmp_path / "work" / "a" / "b", {})
    _git(tmp_path, "init", "-q", "--bare", "bare.git")
    assert in_repository(tmp_path / "bare.git", {})
    assert in_repository(tmp_path, {"GIT_DIR": str(tmp_path / "bare.git")})
    assert not in_repository(tmp_path, {})


def test_git_is_not_asked_what_the_layers_above_it_already_say() -> None:
    actions = actions_layer({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "a" * 40,
                             "GITHUB_REF_NAME": "main"})
    assert not needs_git({}, actions, {"repo": None, "sha": None})
    assert needs_git({}, {**actions, "branch": None})  # a field only git may know
    assert needs_git({"repo": "o/r", "sha": "", "branch": "main"})
