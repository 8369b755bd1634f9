"""`gardener demo`: the whole product in one command, with nothing to set up and nothing to spam.

It starts the sandbox in-process (state kept under `--state DIR`, or a temporary directory), seeds
it once with human-filed issues like the related issues of the seed summary (WebSocket, golden
path and infrastructure ones, with P0/P1 labels), gardens the bundled example with --apply, and
reports the issues, their chain, the related issues found and the documents written. Running it
again on the same state finds everything already filed and changes nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from gardener.config import load_config
from gardener.github.client import GitHubTracker
from gardener.github.settings import TrackerSettings
from gardener.pipeline import RunOptions, RunOutput, run
from gardener.sandbox import Sandbox
from gardener.view.common import Ctx

EXAMPLE = Path(__file__).resolve().parent / "examples" / "seed-websocket" / "gardener.toml"
REPO = "netra/apex"
FOCUS = ("websocket",)
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


def _seed(tracker: GitHubTracker) -> int:
    if tracker.search_related(["websocket"]):
        return 0
    for title, labels, body in SEEDED:
        tracker.create_issue(title, body, labels, signature="")
    return len(SEEDED)


def run_demo(state_dir: Path | None, out_dir: Path) -> DemoResult:
    state = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="gardener-demo-"))
    state.mkdir(parents=True, exist_ok=True)
    config = load_config(EXAMPLE)
    # The sandbox has no secondary rate limits, so the demo need not pace its writes.
    config = replace(config, github=replace(config.github, repo=REPO, write_interval_s=0.0))
    with Sandbox([REPO], state=state / "sandbox.json") as sandbox:
        settings = TrackerSettings(REPO, sandbox.url, sandbox.token)
        seeded = _seed(GitHubTracker(settings, config.github))
        tracker = GitHubTracker(settings, config.github)
        options = RunOptions(focus=FOCUS, out_dir=out_dir, apply=True, command_line="gardener demo")
        output = run(options, config, Ctx(secrets=(sandbox.token,)), tracker)
        return DemoResult(sandbox.url, state, seeded, output)

