"""What the acceptance tests drive, as the owners would: the real `gardener sandbox serve` process, the real
`gardener run` CLI in its own process, the sandbox's admin endpoints over HTTP, and PyGithub to read back."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import github

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).resolve().parent / "data" / "storefront-npm-ci"
SCENARIO_DAY = date(2026, 11, 17)  # the day every timestamp of week1/ falls on (week2/ is 7 days later)
REPO = "acme/shop"
RUN_TOKEN = "acc-run-token-4b1d9e7f2c"  # GITHUB_TOKEN of every run; also planted in the inputs
PERSON_TOKEN = "person-token"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
STAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?=T\d{2}[:_])")


def gardener_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "gardener", *args]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a developer's shell: no CI variables, this checkout first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_", "RUNNER_", "CI"))}
    env.update({"PYTHONPATH": str(ROOT), "NO_COLOR": "1", **extra})
    return env


def materialise(target: Path) -> tuple[Path, Path]:
    """Copies of week1/ and week2/ with every date moved so week1 lies three days in the past and week2
    four days ahead: a person closing an issue now falls between the two, whenever the suite runs."""
    shift = timedelta(days=(datetime.now(UTC).date() - timedelta(days=3) - SCENARIO_DAY).days)

    def moved(match: re.Match[str]) -> str:
        return (date.fromisoformat(match.group(1)) + shift).isoformat()

    copies = []
    for week in ("week1", "week2"):
        dest = target / week
        shutil.copytree(SCENARIO / week, dest)
        for path in dest.iterdir():
            path.write_text(STAMP.sub(moved, path.read_text(encoding="utf-8")), encoding="utf-8")
        copies.append(dest)
    return copies[0], copies[1]


class SandboxProcess:
    """`gardener sandbox serve --state FILE --repo acme/shop --port 0`; the first stdout line is the URL."""

    def __init__(self, state: Path) -> None:
        self.proc = subprocess.Popen(
            gardener_argv("sandbox", "serve", "--state", str(state), "--repo", REPO, "--port", "0"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env(), cwd=state.parent,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), f"no URL on the first line: {self.url!r}"

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()

    # -- admin endpoints (not logged, not rate-limited) ------------------------------------------------
    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "/_sandbox/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def requests(self, after: int = 0) -> list[dict[str, Any]]:
        return [r for r in self.admin("GET", "requests")["requests"] if r["seq"] > after]

    def last_seq(self) -> int:
        records = self.requests()
        return records[-1]["seq"] if records else 0

    def inject(self, method: str, path: str, fault: dict[str, Any], times: int = 1) -> None:
        self.admin("POST", "faults", {"match": {"method": method, "path": path}, "times": times, "fault": fault})

    # -- a person's view, through PyGithub ---------------------------------------------------------------
    def client(self) -> github.Github:
        return github.Github(base_url=self.url, auth=github.Auth.Token(PERSON_TOKEN), retry=None)

    def repo(self) -> Any:
        return self.client().get_repo(REPO)

    def blocked_by(self, number: int) -> list[dict[str, Any]]:
        """GET .../issues/{n}/dependencies/blocked_by through PyGithub's requester."""
        _, data = self.client().requester.requestJsonAndCheck(
            "GET", f"/repos/{REPO}/issues/{number}/dependencies/blocked_by")
        return list(data)


@dataclass(frozen=True, slots=True)
class Run:
    """One `gardener run` process: its exit code, terminal output, what reached the sandbox, and its JSON."""

    rc: int
    stdout: str
    stderr: str
    requests: list[dict[str, Any]]
    out: Path
    plan: dict[str, Any]

    @property
    def terminal(self) -> str:
        return self.stdout + self.stderr

    def writes(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] in WRITES]

    def count(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if r["method"] == method and re.search(path, r["path"]))

    def document(self, kind: str) -> str:
        (path,) = self.out.glob(f"FAILING-TEST-GARDENER-{kind}-*.md")
        return path.read_text(encoding="utf-8")


def run_args(sandbox: SandboxProcess, out: Path, inputs: tuple[Path, ...], *extra: str) -> list[str]:
    return gardener_argv("run", "--repo", REPO, "--github-url", sandbox.url, "--apply", "--out", str(out),
                         *extra, *(str(p) for p in inputs))


def garden(sandbox: SandboxProcess, out: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> Run:
    """`gardener run --repo acme/shop --github-url URL --apply --out OUT [extra] INPUTS` to completion."""
    before = sandbox.last_seq()
    done = subprocess.run(run_args(sandbox, out, inputs, *extra), capture_output=True, text=True, timeout=60,
                          env=clean_env(GITHUB_TOKEN=RUN_TOKEN), cwd=out.parent)
    return finished(sandbox, out, before, done.returncode, done.stdout, done.stderr)


def start(sandbox: SandboxProcess, out: Path, *inputs: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(run_args(sandbox, out, inputs), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=clean_env(GITHUB_TOKEN=RUN_TOKEN), cwd=out.parent)


def finished(sandbox: SandboxProcess, out: Path, before: int, rc: int, stdout: str, stderr: str) -> Run:
    plan_file = out / "plan.json"
    plan = json.loads(plan_file.read_text(encoding="utf-8")) if plan_file.exists() else {}
    return Run(rc, stdout, stderr, sandbox.requests(after=before), out, plan)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, step: float = 0.03) -> float:
    """Poll until `condition()` holds; the monotonic time it was first seen to hold."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(step)
    raise AssertionError("condition not reached in time")


METADATA = re.compile(r"<!-- gardener:(\{.*\}) -->\s*\Z", re.DOTALL)


def metadata(body: str) -> dict[str, Any]:
    """The hidden block, which must be the last thing in the body."""
    found = METADATA.search(body or "")
    assert found, "no hidden gardener block at the end of the body"
    block: dict[str, Any] = json.loads(found.group(1))
    return block


# A GitHub mention is live when "@name" follows the start, whitespace or punctuation (not a word character,
# which makes it part of an e-mail address or a package@version); a zero-width space after "@" defuses it.
LIVE_MENTION = re.compile(r"(?<![\w`.@/\\-])@[A-Za-z0-9][\w-]*(?:/[\w-]+)?")


class RunsServer:
    """`gardener sandbox serve --runs DIR --repo REPO --port 0` as a real process; its URL is its first line."""

    def __init__(self, runs: Path, token: str, repo: str = REPO) -> None:
        self.token, self.repo = token, repo
        self.proc = subprocess.Popen(
            gardener_argv("sandbox", "serve", "--runs", str(runs), "--repo", repo, "--port", "0"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env(), cwd=runs.parent)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def requests(self, after: int = 0) -> list[dict[str, Any]]:
        """The sandbox's request log, from sequence number `after` on."""
        return [r for r in self.get("/_sandbox/requests")["requests"] if r["seq"] > after]

    def stop(self) -> str:
        """Stop the server; what it wrote to stderr."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        assert self.proc.stderr is not None
        return self.proc.stderr.read()

