"""`gardener sandbox serve --runs DIR` as a user runs it, and logs streamed in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
import urllib.request
from pathlib import Path

from gardener.sandbox import Sandbox
from tests.github import actions_world as w
from tests.github.helpers import make_client
from tests.github.test_sandbox_serve import serving


def test_serve_runs_reports_a_broken_run_and_serves_the_rest(tmp_path: Path) -> None:
    runs = w.write_runs(tmp_path)
    (runs / "7").mkdir()
    (runs / "7" / "run.json").write_text(json.dumps({"workflow": "CI", "jobs": []}), encoding="utf-8")
    with serving("--repo", "octo/demo", "--runs", str(runs)) as (proc, url):
        repo = make_client(url).get_repo("octo/demo")
        run = repo.get_workflow_run(w.FAILED_RUN)
        assert [j.name for j in run.jobs()] == ["build", "lint", "tests"]
        with urllib.request.urlopen(run.jobs()[0].logs_url(), timeout=10) as resp:
            assert resp.read().decode() == w.BUILD_LOG
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    skipped = [line for line in err.splitlines() if "skipped run" in line]
    assert len(skipped) == 1 and str(runs / "7" / "run.json") in skipped[0] and "'head_sha'" in skipped[0]
    assert f"2 Actions runs from {runs}" in err


def test_serve_with_a_missing_runs_folder_is_a_one_line_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gardener", "sandbox", "serve", "--runs", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "is not a folder" in done.stderr and "Traceback" not in done.stderr


def test_a_large_log_streams_in_bounded_memory(tmp_path: Path) -> None:
    """64 MiB through the 302 and the download: the server never holds more than a chunk of it."""
    folder = tmp_path / "1"
    folder.mkdir()
    line = b"2026-12-01T10:00:00.0000000Z " + b"x" * 99 + b"\n"
    with (folder / "big.log").open("wb") as fh:
        for _ in range(64):
            fh.write(line * (1024 * 1024 // len(line) + 1))
    size = (folder / "big.log").stat().st_size
    run = {
        "workflow": "CI",
        "head_sha": w.BAD_SHA,
        "jobs": [{"name": "big", "conclusion": "failure", "log": "big.log"}],
    }
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")
    with Sandbox(("octo/demo",), runs=tmp_path) as sb:
        job = make_client(sb.url, sb.token).get_repo("octo/demo").get_workflow_run(1).jobs()[0]
        location = job.logs_url()
        tracemalloc.start()
        try:
            received = 0
            with urllib.request.urlopen(location, timeout=30) as resp:
                while chunk := resp.read(256 * 1024):
                    received += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert received == size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while streaming a {size / 2**20:.0f} MiB log"
