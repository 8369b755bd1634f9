"""`gardener history sync` against a real sandbox (30 registered runs, some with expired artifacts), run as
a real process: it records all it can, reports what it could not, stays within its request budget and
resumes, and a second sync makes zero download requests (checked in the sandbox's own request log)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gardener.sandbox import Sandbox
from tests.history.helpers import junit

REPO = "acme/shop"
RUNS = 30
TESTS = [f"tests/test_shop.py::test_{n}" for n in range(8)]


def expired(n: int) -> bool:
    return n % 6 == 5  # runs 5, 11, 17, 23, 29: their report artifact has expired


def outcomes(n: int) -> dict[str, str]:
    """test_0 is broken from run 12 on; test_1 fails every fourth run; the rest pass."""
    out = dict.fromkeys(TESTS, "passed")
    if n >= 12:
        out[TESTS[0]] = "failed"
    if n % 4 == 3:
        out[TESTS[1]] = "failed"
    return out


def register(sb: Sandbox, root: Path) -> None:
    for n in range(RUNS):
        base = root / f"run-{n}"
        (base / "reports").mkdir(parents=True)
        results = outcomes(n)
        junit(base / "reports" / "junit.xml", results, message="AssertionError: expected 200, got 500")
        failing = [t for t, o in results.items() if o == "failed"]
        (base / "tests.log").write_text("##[group]Run pytest\n" + "".join(f"FAILED {t} - AssertionError\n"
                                                                          for t in failing)
                                        + "##[endgroup]\n", encoding="utf-8")
        sb.add_run({
            "id": 9000 + n, "workflow": "CI", "head_sha": f"{n + 1:040x}", "head_branch": "main", "event": "push",
            "created_at": f"2026-11-{1 + n // 3:02d}T{8 + n % 3 * 4:02d}:00:00Z",
            "jobs": [{"name": "tests", "attempt": 1, "conclusion": "failure" if failing else "success",
                      "log": "tests.log", "steps": [{"name": "Run pytest",
                                                     "conclusion": "failure" if failing else "success"}]}],
            "artifacts": [{"name": "test-results", "path": "reports/", "expired": expired(n)}],
        }, base)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox([REPO]) as sb:
        register(sb, tmp_path / "runs")
        yield sb


def sync(sb: Sandbox, store: str, tmp: Path, *extra: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update({"GITHUB_TOKEN": sb.token or "t", "GARDENER_CACHE": str(tmp / "cache")})
    done = subprocess.run([sys.executable, "-m", "gardener", "history", "--history", store, "sync", "--repo", REPO,
                           "--github-url", sb.url, "--since", "3650d", "--json", *extra], cwd=tmp,
                          capture_output=True, text=True, timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def downloads(sb: Sandbox) -> int:
    """Download requests the sandbox served: logs and artifact archives (the API's redirects and the files)."""
    return sum(1 for r in sb.requests() if "/logs" in r.path or "/zip" in r.path or "download" in r.path)


def test_sync_records_every_run_reports_what_it_could_not_and_a_second_sync_downloads_nothing(
        sandbox: Sandbox, backend: str, tmp_path: Path) -> None:
    first = sync(sandbox, backend, tmp_path)
    assert (first["listed"], first["recorded"], first["known"], first["left"]) == (RUNS, RUNS, 0, 0)
    notes = list(first["notes"])  # type: ignore[call-overload]
    assert sorted({int(n.split(":")[0].removeprefix("run ")) - 9000 for n in notes}) == [
        n for n in range(RUNS) if expired(n)]
    assert all("expired" in n.lower() for n in notes), notes
    assert first["downloads"] > 0 and first["requests"] <= first["budget"]
    before = downloads(sandbox)
    second = sync(sandbox, backend, tmp_path)
    assert (second["recorded"], second["known"], second["downloads"]) == (0, RUNS, 0)
    assert downloads(sandbox) == before  # the sandbox saw no download at all
    # What was recorded: each run's own commit and time; the broken test failing from run 12 on, in the
    # runs whose report could be read (the expired ones fall back to the log, which names the failures).
    shown = subprocess.run([sys.executable, "-m", "gardener", "history", "--history", backend, "show", TESTS[0],
                            "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert shown.returncode == 0, shown.stderr
    (s,) = json.loads(shown.stdout)["subjects"]
    assert s["first_seen"]["sha"] == f"{13:040x}"
    runs = [r for r in reversed(s["runs"])]
    assert all(r["outcome"] == "failed" for r in runs if int(r["sha"], 16) > 12)


def test_sync_stops_at_its_request_budget_and_the_next_sync_goes_on(sandbox: Sandbox, tmp_path: Path) -> None:
    store = str(tmp_path / "h.sqlite")
    first = sync(sandbox, store, tmp_path, "--max-requests", "20")
    assert 0 < first["recorded"] < RUNS and first["left"] == RUNS - first["recorded"]  # type: ignore[operator]
    rest = sync(sandbox, store, tmp_path)
    assert rest["recorded"] == first["left"] and rest["known"] == first["recorded"]
