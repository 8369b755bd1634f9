"""PyGithub itself reads the sandbox's Actions runs, jobs, artifacts, workflows, commits and comparisons."""

from __future__ import annotations

import io
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import github
import pytest

from gardener.sandbox import Sandbox
from tests.github import actions_world as w
from tests.github.helpers import make_client


@pytest.fixture
def sb(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(("octo/demo",), runs=w.write_runs(tmp_path)) as sandbox:
        yield sandbox


@pytest.fixture
def repo(sb: Sandbox) -> Any:
    return make_client(sb.url, sb.token).get_repo("octo/demo")


def test_workflow_runs_and_their_filters(repo: Any) -> None:
    runs = repo.get_workflow_runs()
    assert runs.totalCount == 2
    assert [(r.id, r.run_attempt, r.conclusion) for r in runs] == [
        (w.FAILED_RUN, 2, "failure"),
        (w.GREEN_RUN, 1, "success"),
    ]
    assert [r.id for r in repo.get_workflow_runs(branch="main", status="failure")] == [w.FAILED_RUN]
    assert [r.id for r in repo.get_workflow_runs(head_sha=w.GOOD_SHA)] == [w.GREEN_RUN]
    assert [r.id for r in repo.get_workflow_runs(event="pull_request", created=">=2026-11-01")] == [w.GREEN_RUN]


def test_a_run_its_jobs_steps_and_log(repo: Any) -> None:
    run = repo.get_workflow_run(w.FAILED_RUN)
    assert (run.head_sha, run.head_branch, run.event, run.name, run.run_attempt) == (w.BAD_SHA, "main", "push", "CI", 2)
    assert run.html_url.endswith(f"/octo/demo/actions/runs/{w.FAILED_RUN}")
    every = list(run.jobs("all"))
    assert [(j.name, j.run_attempt, j.conclusion) for j in every] == [
        ("build", 1, "failure"), ("tests", 1, "failure"), ("lint", 1, "success"), ("tests", 2, "success"),
    ]  # fmt: skip
    assert [(s.number, s.name, s.conclusion) for s in every[0].steps] == [
        (1, "Set up job", "success"),
        (2, "Build images", "failure"),
    ]
    assert [j.name for j in run.jobs()] == ["build", "lint", "tests"]
    with urllib.request.urlopen(every[0].logs_url(), timeout=10) as resp:  # PyGithub reads the 302's Location
        assert resp.read().decode() == w.BUILD_LOG


def test_artifacts_through_pygithub(repo: Any, sb: Sandbox) -> None:
    run = repo.get_workflow_run(w.FAILED_RUN)
    artifacts = list(run.get_artifacts())
    assert [(a.name, a.expired) for a in artifacts] == [
        ("test-reports", False),
        ("junit-hostile", False),
        ("old-results", True),
    ]
    reports = repo.get_artifact(artifacts[0].id)
    assert reports.workflow_run.id == w.FAILED_RUN
    req = urllib.request.Request(reports.archive_download_url, headers={"Authorization": f"token {sb.token}"})
    with urllib.request.urlopen(req, timeout=10) as resp, zipfile.ZipFile(io.BytesIO(resp.read())) as zf:
        assert "junit.xml" in zf.namelist()


def test_workflow_runs_by_workflow(repo: Any) -> None:
    workflows = list(repo.get_workflows())
    assert [wf.name for wf in workflows] == ["CI"]
    assert repo.get_workflow("ci.yml").id == workflows[0].id
    assert [r.id for r in workflows[0].get_runs(status="success")] == [w.GREEN_RUN]


def test_commits_and_compare_through_pygithub(repo: Any) -> None:
    commit = repo.get_commit(w.BAD_SHA)
    assert commit.commit.message.startswith("Bump the base image")
    assert [f.filename for f in commit.files] == ["Dockerfile", "api.py"]
    assert [p.sha for p in commit.parents] == [w.GOOD_SHA]
    cmp = repo.compare(w.ROOT_SHA, w.BAD_SHA)
    assert (cmp.status, cmp.ahead_by, cmp.behind_by, cmp.total_commits) == ("ahead", 2, 0, 2)
    assert [c.sha for c in cmp.commits] == [w.GOOD_SHA, w.BAD_SHA]
    assert cmp.merge_base_commit.sha == w.ROOT_SHA


def test_missing_actions_permission_reaches_pygithub_as_403(repo: Any, sb: Sandbox) -> None:
    sb.allow_actions(False)
    with pytest.raises(github.GithubException) as caught:
        repo.get_workflow_run(w.FAILED_RUN)
    assert caught.value.status == 403 and caught.value.data["message"] == "Resource not accessible by integration"


def test_the_enterprise_base_url_form_works_for_actions(sb: Sandbox) -> None:
    repo = make_client(f"{sb.url}/api/v3", sb.token).get_repo("octo/demo")
    run = repo.get_workflow_run(w.FAILED_RUN)
    assert run.url.startswith(f"{sb.url}/api/v3/") and run.html_url.startswith(f"{sb.url}/octo/demo/")
    location = run.jobs()[0].logs_url()
    assert location.startswith(f"{sb.url}/_sandbox/downloads/")  # off the API root, like a blob storage host
    with urllib.request.urlopen(location, timeout=10) as resp:
        assert resp.read().decode() == w.BUILD_LOG
