"""A runs folder as `gardener sandbox serve --runs DIR` reads it: one failed CI run with three jobs (a docker
build failure, pytest failures that pass on attempt 2, a green lint), a JUnit artifact folder, a hostile zip,
an expired artifact, a second older green run, and a commits.json linking their SHAs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

ROOT_SHA = "1" * 40
GOOD_SHA = "2" * 40
BAD_SHA = "abc" + "d" * 37
SIDE_SHA = "3" * 40
FAILED_RUN = 5001
GREEN_RUN = 4001
BUILD_LOG = (
    '##[group]Run docker build .\n#5 ERROR: failed to solve: process "/bin/sh -c make" exit code: 2\n##[endgroup]\n'
)
TESTS_LOG = "##[group]Run pytest\nFAILED tests/test_api.py::test_login - AssertionError\n##[endgroup]\n"
JUNIT = '<testsuite name="t" tests="1" failures="1"><testcase name="test_login"><failure/></testcase></testsuite>\n'


def failed_run() -> dict[str, Any]:
    """The issue's minimal run.json form, plus a second attempt of `tests` and the optional fields."""
    return {
        "workflow": "CI",
        "head_sha": BAD_SHA,
        "head_branch": "main",
        "event": "push",
        "created_at": "2026-12-01T10:00:00Z",
        "jobs": [
            {
                "name": "build",
                "attempt": 1,
                "conclusion": "failure",
                "log": "build.log",
                "steps": [
                    {"name": "Set up job", "conclusion": "success"},
                    {"name": "Build images", "conclusion": "failure"},
                ],
            },
            {
                "name": "tests",
                "attempt": 1,
                "conclusion": "failure",
                "log": "tests-1.log",
                "steps": [{"name": "Run pytest", "conclusion": "failure"}],
            },
            {"name": "lint", "attempt": 1, "conclusion": "success", "log": "lint.log", "steps": [{"name": "ruff"}]},
            {
                "name": "tests",
                "attempt": 2,
                "conclusion": "success",
                "log": "tests-2.log",
                "steps": [{"name": "Run pytest", "conclusion": "success"}],
            },
        ],
        "artifacts": [
            {"name": "test-reports", "path": "reports/"},
            {"name": "junit-hostile", "path": "slip.zip"},
            {"name": "old-results", "path": "missing.zip", "expired": True},
        ],
    }


def green_run() -> dict[str, Any]:
    return {
        "workflow": "CI",
        "head_sha": GOOD_SHA,
        "head_branch": "release/1.0",
        "event": "pull_request",
        "created_at": "2026-11-20T08:00:00Z",
        "run_number": 7,
        "jobs": [{"name": "build", "conclusion": "success", "steps": [{"name": "Build images"}]}],
        "artifacts": [],
    }


def commits() -> list[dict[str, Any]]:
    return [
        {"sha": ROOT_SHA, "parents": [], "author": "Ann <ann@example.com>", "date": "2026-11-19T09:00:00Z",
         "message": "Initial commit", "files": ["README.md"]},
        {"sha": GOOD_SHA, "parents": [ROOT_SHA], "author": {"name": "Bob", "email": "bob@example.com", "login": "bob"},
         "date": "2026-11-20T07:00:00Z", "message": "Add the API", "files": [
             {"filename": "api.py", "status": "added", "additions": 40, "deletions": 0, "patch": "@@ -0,0 +1,40 @@"}]},
        {"sha": BAD_SHA, "parents": [GOOD_SHA], "author": "Cid <cid@example.com>", "date": "2026-12-01T09:00:00Z",
         "message": "Bump the base image\n\nIt moved.", "files": [
             {"filename": "Dockerfile", "status": "modified", "additions": 1, "deletions": 1},
             {"filename": "api.py", "status": "modified", "additions": 2, "deletions": 1}]},
        {"sha": SIDE_SHA, "parents": [GOOD_SHA], "author": "Dee <dee@example.com>", "date": "2026-11-25T09:00:00Z",
         "message": "Side branch", "files": ["docs.md"]},
    ]  # fmt: skip


def write_runs(root: Path) -> Path:
    """Write the runs folder under `root`; returns it."""
    runs = root / "runs"
    failed = runs / str(FAILED_RUN)
    (failed / "reports" / "nested").mkdir(parents=True)
    (failed / "build.log").write_text(BUILD_LOG, encoding="utf-8")
    (failed / "tests-1.log").write_text(TESTS_LOG, encoding="utf-8")
    (failed / "tests-2.log").write_text("##[group]Run pytest\n1 passed\n##[endgroup]\n", encoding="utf-8")
    (failed / "lint.log").write_text("All checks passed!\n", encoding="utf-8")
    (failed / "reports" / "junit.xml").write_text(JUNIT, encoding="utf-8")
    (failed / "reports" / "nested" / "report.log").write_text("{}\n", encoding="utf-8")
    with zipfile.ZipFile(failed / "slip.zip", "w") as zf:  # zip-slip: served as is, the client must refuse it
        zf.writestr("../../evil.txt", "outside")
    (failed / "run.json").write_text(json.dumps(failed_run()), encoding="utf-8")
    green = runs / str(GREEN_RUN)
    green.mkdir()
    (green / "run.json").write_text(json.dumps(green_run()), encoding="utf-8")
    (runs / "commits.json").write_text(json.dumps(commits()), encoding="utf-8")
    return runs
