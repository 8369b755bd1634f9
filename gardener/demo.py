"""`gardener demo`: the whole product in one command, with nothing to set up and nothing to spam.

It starts the sandbox in-process (state kept under `--state DIR`, or a temporary directory), seeds
it once with human-filed issues like the related issues of the seed summary (WebSocket, golden
path and infrastructure ones, with P0/P1 labels), registers the bundled example's outage as a failed
GitHub Actions run (the runner log as the failed job's log, the test output as an artifact) and gardens
it with `--github-run --apply`, the path a real post-failure hook takes; then it reports the issues,
their chain, the related issues found and the documents written. Running it again on the same state
(same sandbox port, same download cache) finds everything already filed and changes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from gardener.config import load_config
from gardener.github.client import GitHubTracker
from gardener.github.settings import TrackerSettings
from gardener.pipeline import RunOptions, RunOutput, run
from gardener.run_source import read_github_run, run_text
from gardener.sandbox import Sandbox
from gardener.sources.cache import ENV as CACHE_ENV
from gardener.view.common import Ctx

EXAMPLE = Path(__file__).resolve().parent / "examples" / "seed-websocket" / "gardener.toml"
REPO = "netra/apex"
FOCUS = ("websocket",)
RUN_ID = 1001
RUN_SHA = "5e1b7c3a9d2f4e6b8a0c1d3e5f7a9b2c4d6e8f0a"
# (title, labels, body): human-filed issues like those seed 002 cross-references.
SEEDED: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Mission critical WebSocket test suite hangs", ("P0", "websocket"),
     "The mission critical websocket suite never finishes on CI."),
    ("Silent WebSocket event delivery failures", ("P0", "websocket"),
     "agent_thinking events are sometimes not delivered over the websocket."),
    ("WebSocket handshake race conditions (1011 errors)", ("P0", "websocket"),
     "Clients see 1011 during the websocket handshake under load."),
    ("WebSocket agent bridge integration failure", ("P1", "websocket"),
     "The agent bridge does not forward events to the websocket manager."),
    ("Event serialization format problems", ("P1", "websocket"),
     "tool_completed payloads do not match the websocket schema."),
    ("E2E golden path tests failing - service dependencies", ("P0", "golden-path"),
     "Golden path e2e tests need the websocket backend and auth services running."),
    ("Golden path real services failure", ("P1", "golden-path"),
     "Real-services golden path run fails before the websocket events are checked."),
    ("Docker Desktop service unavailable", ("P1", "infrastructure"),
     "docker compose cannot reach Docker Desktop on Windows runners."),
    ("Auth service dependency startup unknown endpoint", ("P0", "infrastructure"),
     "The auth service container started by docker compose answers 404 on /health."),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    url: str
    state: Path
    seeded: int  # issues seeded by this run (0: the state was seeded already)
    output: RunOutput
    run_line: str = ""  # what was read of the Actions run, and what it cost


def _seed(tracker: GitHubTracker) -> int:
    if tracker.search_related(["websocket"]):
        return 0
    for title, labels, body in SEEDED:
        tracker.create_issue(title, body, labels, signature="")
    return len(SEEDED)


def _run_spec(state: Path) -> tuple[dict[str, object], Path]:
    """The seed outage as a workflow run, and the folder its paths are relative to."""
    base = state / "run"
    (base / "test-output").mkdir(parents=True, exist_ok=True)
    example = EXAMPLE.parent
    for name in ("unified-test-runner.log", "direct-import.txt"):
        shutil.copyfile(example / name, base / name)
    shutil.copyfile(example / "mission-critical.txt", base / "test-output" / "mission-critical.txt")
    return {
        "id": RUN_ID, "workflow": "CI", "head_sha": RUN_SHA, "head_branch": "develop-long-lived", "event": "push",
        "created_at": "2025-09-10T14:20:00Z",
        "jobs": [
            {"name": "Unified Test Runner Integration", "conclusion": "failure", "log": "unified-test-runner.log",
             "steps": [{"name": "Set up job", "conclusion": "success"},
                       {"name": "Run the WebSocket integration tests", "conclusion": "failure"}]},
            {"name": "Direct Import Test", "conclusion": "success", "log": "direct-import.txt",
             "steps": [{"name": "Set up job", "conclusion": "success"},
                       {"name": "Import the WebSocket manager", "conclusion": "success"}]},
        ],
        "artifacts": [{"name": "mission-critical-test-output", "path": "test-output/"}],
    }, base


def _port(state: Path) -> int:
    """The port the sandbox had last time on this state (so issue links stay the same), else any."""
    try:
        return int((state / "port").read_text().strip())
    except (OSError, ValueError):
        return 0


def _sandbox(state: Path) -> Sandbox:
    port = _port(state)
    try:
        return Sandbox([REPO], state=state / "sandbox.json", port=port).start()
    except OSError:  # taken by now: any port (the links in the issue bodies then change once)
        return Sandbox([REPO], state=state / "sandbox.json").start()


def run_demo(state_dir: Path | None, out_dir: Path) -> DemoResult:
    state = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="gardener-demo-"))
    state.mkdir(parents=True, exist_ok=True)
    config = load_config(EXAMPLE)
    # The run is the input now, not the recorded commands; the sandbox has no secondary rate limits.
    config = replace(config, commands=(), github=replace(config.github, repo=REPO, write_interval_s=0.0))
    spec, base = _run_spec(state)
    sandbox = _sandbox(state)
    try:
        (state / "port").write_text(sandbox.url.rsplit(":", 1)[1] + "\n")
        sandbox.add_run(spec, base)
        settings = TrackerSettings(REPO, sandbox.url, sandbox.token)
        seeded = _seed(GitHubTracker(settings, config.github))
        environ = {"GITHUB_TOKEN": sandbox.token, CACHE_ENV: str(state / "cache")}
        source = read_github_run(f"{sandbox.url}/{REPO}/actions/runs/{RUN_ID}", None, sandbox.url, config, environ)
        tracker = GitHubTracker(settings, config.github)
        options = RunOptions(focus=FOCUS, out_dir=out_dir, apply=True, session=source.session,
                             command_line=f"gardener run --github-run {source.inputs.run.html_url} --apply")
        output = run(options, config, source.ctx(Ctx(secrets=(sandbox.token,))), tracker)
        return DemoResult(sandbox.url, state, seeded, output, run_text(source))
    finally:
        sandbox.stop()
