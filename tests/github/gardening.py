"""Helpers for the garden tests: the outage scenario (optionally moved in time), runs of the real
pipeline against a sandbox through the real PyGithub tracker, and counting what reached the server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gardener.config import Config
from gardener.github.client import GitHubTracker
from gardener.github.settings import TrackerSettings
from gardener.pipeline import RunOptions, RunOutput, run
from gardener.sandbox import Sandbox
from gardener.view.common import Ctx

ROOT = Path(__file__).resolve().parents[2]
OUTAGE = ROOT / "tests" / "data" / "garden" / "outage"
OUTAGE_HOUR = "2026-03-02T09"  # every timestamp of the scenario starts with this
REPO = "octo/demo"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
FAST = replace(Config().github, write_interval_s=0.0, max_wait_s=30.0)


def outage(tmp: Path, at: datetime | None = None, name: str = "outage") -> Path:
    """A copy of the outage scenario; with `at`, every timestamp moved to that hour."""
    target = tmp / name
    shutil.copytree(OUTAGE, target, dirs_exist_ok=True)
    if at is not None:
        for path in target.iterdir():
            path.write_text(path.read_text(encoding="utf-8").replace(OUTAGE_HOUR, at.strftime("%Y-%m-%dT%H")),
                            encoding="utf-8")
    return target


def later_than_now() -> datetime:
    return datetime.now(UTC) + timedelta(hours=2)


def tracker(sandbox: Sandbox, policy: Any = FAST, **options: Any) -> GitHubTracker:
    options.setdefault("backoff_s", 0.01)
    return GitHubTracker(TrackerSettings(REPO, sandbox.url, sandbox.token), policy, **options)


def garden(sandbox: Sandbox, paths: tuple[Path, ...], out: Path, *, apply: bool = True, focus: tuple[str, ...] = (),
           config: Config | None = None, ctx: Ctx | None = None, **tracker_options: Any) -> RunOutput:
    config = config or replace(Config(), github=FAST)
    options = RunOptions(paths=tuple(str(p) for p in paths), focus=focus, out_dir=out, apply=apply)
    return run(options, config, ctx or Ctx(), tracker(sandbox, config.github, **tracker_options))


def writes(sandbox: Sandbox, since: int = 0) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in sandbox.requests() if r.seq > since and r.method in WRITES]


def last_seq(sandbox: Sandbox) -> int:
    records = sandbox.requests()
    return records[-1].seq if records else 0


def gardener_cmd(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
                 background: bool = False) -> Any:
    """`python -m gardener ARGS` as a separate process, as CI runs it."""
    environ = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY")}
    environ.update({"PYTHONPATH": str(ROOT), **(env or {})})
    command = [sys.executable, "-m", "gardener", *args]
    if background:
        return subprocess.Popen(command, env=environ, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return subprocess.run(command, env=environ, cwd=cwd, capture_output=True, text=True, timeout=60)
