"""`gardener run --github-run` and `gardener fetch` on the command line: usage errors and unreadable runs say
what is wrong in one line; a job's name cannot act as a workflow command or ping anyone."""

from __future__ import annotations

import shutil
from pathlib import Path

from gardener.sandbox import Sandbox
from tests.github.gardening import gardener_cmd

DATA = Path(__file__).resolve().parent / "data" / "run"
REPO = "acme/shop"
SHA = "4f1c2e9b7d3a5c8e1f0a2b4c6d8e0f1a3b5c7d9e"


def test_a_bare_run_id_needs_a_repository(tmp_path):
    done = gardener_cmd("run", "--github-run", "123", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == "gardener: command line: --github-run: run id 123 needs --repo OWNER/NAME"


def test_without_actions_read_the_run_stops_with_one_line_and_exit_1(tmp_path):
    with Sandbox([REPO]) as sb:
        shutil.copytree(DATA, tmp_path / "run")
        run_id = sb.add_run({"id": 5, "workflow": "CI", "head_sha": SHA, "event": "push",
                             "jobs": [{"name": "build", "conclusion": "failure", "log": "build.log"}]},
                            tmp_path / "run")
        sb.allow_actions(False)
        done = gardener_cmd("run", "--github-run", f"{sb.url}/{REPO}/actions/runs/{run_id}", "--out",
                            str(tmp_path / "o"), env={"GITHUB_TOKEN": "t", "GARDENER_CACHE": str(tmp_path / "c")},
                            cwd=tmp_path)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "run 5 of acme/shop" in line and "403" in line and "actions: read" in line


def test_untrusted_job_names_are_neutralised_in_notes(tmp_path):
    with Sandbox([REPO]) as sb:
        shutil.copytree(DATA, tmp_path / "run")
        run_id = sb.add_run({"id": 6, "workflow": "CI", "head_sha": SHA, "event": "push",
                             "jobs": [{"name": "::error::pwned @octocat", "conclusion": "failure"}]},  # no log: gone
                            tmp_path / "run")
        done = gardener_cmd("fetch", f"{sb.url}/{REPO}/actions/runs/{run_id}", "--out", str(tmp_path / "got"),
                            env={"GITHUB_TOKEN": "t", "GARDENER_CACHE": str(tmp_path / "c")}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (note,) = done.stderr.strip().splitlines()
    assert note.startswith("gardener: log of job ") and "404" in note
    assert "@octocat" not in note  # the mention is defused
    assert (tmp_path / "got" / "run.json").is_file()
