"""Acceptance: `gardener run --github-run URL --apply` against a real `gardener sandbox serve --runs DIR` process.

The run has three jobs (build: a docker build error; tests: pytest failures and a JUnit artifact, run twice;
lint: green). Gardening it files the build failure at the root of the chain that blocks the test failures,
names each finding's job and step, marks the test that passed on attempt 2 flaky; a second run downloads
nothing (the cache) and writes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.harness import RunsServer, clean_env, gardener_argv, metadata

DATA = Path(__file__).resolve().parent / "data" / "run"
REPO = "acme/shop"
RUN_ID = 4242
TOKEN = "src-acc-token-8c1d"


class Served(RunsServer):
    def __init__(self, runs: Path) -> None:
        super().__init__(runs, TOKEN, REPO)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    runs = tmp_path / "runs"
    shutil.copytree(DATA, runs / str(RUN_ID))
    sandbox = Served(runs)
    yield sandbox
    sandbox.stop()


def garden(sandbox: Served, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    url = f"{sandbox.url}/{REPO}/actions/runs/{RUN_ID}"
    return subprocess.run(gardener_argv("run", "--github-run", url, "--apply", "--out", str(tmp_path / "out"), *extra),
                          capture_output=True, text=True, timeout=90, cwd=tmp_path,
                          env=clean_env(GITHUB_TOKEN=TOKEN, GARDENER_CACHE=str(tmp_path / "cache")))


def issues(sandbox: Served) -> dict[str, dict[str, Any]]:
    listed = sandbox.get(f"/repos/{REPO}/issues?state=all&per_page=100")
    return {i["title"]: i for i in listed}


def test_a_failed_run_is_gardened_from_its_jobs_logs_and_artifacts(served: Served, tmp_path: Path):
    first = garden(served, tmp_path)
    assert first.returncode == 0, first.stderr
    assert f"GitHub Actions run {RUN_ID} (CI, attempt 2, failure)" in first.stdout
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    by_category = {f["category"]: f for f in plan["findings"]}
    build, pull = by_category["docker-build-failure"], by_category["registry-access-failure"]
    refused, flaky = by_category["connection-refused"], by_category["flaky-test"]
    # The build failure is the root: it blocks the pull of the image it should have pushed, which blocks
    # the tests that needed the service.
    assert build["priority"] == "P0" and not build["blocked_by"]
    assert pull["blocked_by"] == [build["id"]]
    assert refused["blocked_by"] == [pull["id"]]
    assert plan["resolution_order"][0] == build["id"]
    assert refused["tests"] == ["tests/test_api.py::test_orders"]
    assert flaky["tests"] == ["tests/test_api.py::test_checkout"]  # failed on attempt 1, passed on attempt 2

    filed = issues(served)
    assert len(filed) == 4
    bodies = {f["category"]: filed[f["title"]]["body"] for f in plan["findings"]}
    assert "job build, attempt 1, step Build images" in bodies["docker-build-failure"]
    assert "job tests, attempt 2, step Run the tests" in bodies["connection-refused"]
    assert "job tests, attempt 1, step Run the tests" in bodies["flaky-test"]
    assert f"CI run: {served.url}/{REPO}/actions/runs/{RUN_ID} at `4f1c2e9b7d3a" in bodies["connection-refused"]
    assert metadata(bodies["connection-refused"])["tests"] == ["tests/test_api.py::test_orders"]
    chain = served.get(f"/repos/{REPO}/issues/{filed[refused['title']]['number']}/dependencies/blocked_by")
    assert [i["number"] for i in chain] == [filed[pull["title"]]["number"]]
    # Only the failed jobs' logs were downloaded (three of four jobs), and the one report artifact.
    downloads = [r["path"] for r in served.requests() if r["path"].startswith("/_sandbox/downloads/")]
    assert sum("/logs/" in p for p in downloads) == 3 and sum("/artifacts/" in p for p in downloads) == 1
    # Listing is paged by 100.
    jobs_calls = [r for r in served.requests() if r["path"].endswith(f"/runs/{RUN_ID}/jobs")]
    assert jobs_calls and all("per_page=100" in r["query"] and "filter=all" in r["query"] for r in jobs_calls)

    before = len(served.requests())
    second = garden(served, tmp_path)
    assert second.returncode == 0, second.stderr
    later = served.requests()[before:]
    assert not [r for r in later if r["path"].startswith("/_sandbox/downloads/")]  # the cache answered
    assert not [r for r in later if r["method"] in ("POST", "PATCH", "PUT", "DELETE")]
    assert "0 download(s) (0.0 MiB), 4 from the cache" in second.stdout
    assert "Applied: no changes" in second.stdout


def test_fetch_only_downloads(served: Served, tmp_path: Path):
    url = f"{served.url}/{REPO}/actions/runs/{RUN_ID}"
    done = subprocess.run(gardener_argv("fetch", url, "--out", str(tmp_path / "got")), capture_output=True,
                          text=True, timeout=60, cwd=tmp_path,
                          env=clean_env(GITHUB_TOKEN=TOKEN, GARDENER_CACHE=str(tmp_path / "cache")))
    assert done.returncode == 0, done.stderr
    got = tmp_path / "got"
    logs = sorted(p.name for p in (got / "logs").iterdir())
    assert logs == ["1-build-42420001.log", "1-tests-42420002.log", "2-tests-42420003.log"]
    (junit,) = (got / "artifacts").rglob("junit.xml")
    assert junit.read_text() == (DATA / "reports" / "junit.xml").read_text()
    meta = json.loads((got / "run.json").read_text())
    assert meta["run"]["head_sha"].startswith("4f1c2e9b") and len(meta["jobs"]) == 4
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True
    assert not [r for r in served.requests() if r["method"] in ("POST", "PATCH", "PUT", "DELETE")]
