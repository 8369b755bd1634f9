"""Starting and stopping a sandbox: the in-process context manager tests and the demo use.

with Sandbox(repos=("octo/demo",)) as sb:
    gh = github.Github(base_url=sb.url, auth=github.Auth.Token(sb.token))
    sb.inject({"status": 502}, method="POST", path=r"/issues$")
    ...
    sb.count("POST", r"/issues$")
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from gardener.errors import ConfigError
from gardener.sandbox.admin import reset as reset_app
from gardener.sandbox.app import App, Settings
from gardener.sandbox.faults import FaultRule, parse_fault
from gardener.sandbox.http_handler import SandboxHTTPServer
from gardener.sandbox.ratelimit import DEFAULT_QUOTAS, Quota
from gardener.sandbox.reqlog import RequestRecord
from gardener.sandbox.runs_admin import load_folder, register
from gardener.sandbox.runs_loader import parse_commits, parse_run
from gardener.sandbox.store import Store

REPO_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
DEFAULT_REPO = "gardener/sandbox"
DEFAULT_LOGIN = "gardener-bot"


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    repos: tuple[str, ...] = ()  # none: DEFAULT_REPO, unless the state file already holds repositories
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port
    state: Path | None = None  # None: memory only
    token: str | None = None  # None: any non-empty token is accepted
    login: str = DEFAULT_LOGIN
    quotas: dict[str, Quota] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    runs: Path | None = None  # a folder of <run id>/run.json (and commits.json), loaded at every start


def parse_repos(specs: Iterable[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for spec in specs:
        if not REPO_NAME.fullmatch(spec) or spec.endswith((".git", "/.", "/..")):
            raise ConfigError("command line", "--repo", f"expected OWNER/NAME, got {spec!r}")
        owner, name = spec.split("/", 1)
        out.append((owner, name))
    return tuple(out)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Sandbox:
    """A running sandbox server on its own thread; a context manager."""

    def __init__(
        self,
        repos: Iterable[str] = (),
        *,
        state: str | Path | None = None,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        login: str = DEFAULT_LOGIN,
        core_limit: int = DEFAULT_QUOTAS["core"].limit,
        core_period_s: float = DEFAULT_QUOTAS["core"].period_s,
        search_limit: int = DEFAULT_QUOTAS["search"].limit,
        search_period_s: float = DEFAULT_QUOTAS["search"].period_s,
        runs: str | Path | None = None,
    ) -> None:
        self.config = SandboxConfig(
            repos=tuple(repos),
            host=host,
            port=port,
            state=Path(state) if state is not None else None,
            token=token,
            login=login,
            quotas={"core": Quota(core_limit, core_period_s), "search": Quota(search_limit, search_period_s)},
            runs=Path(runs) if runs is not None else None,
        )
        self.run_problems: tuple[str, ...] = ()  # one line per run file that could not be loaded
        self.token = token or "sandbox-token"  # what clients should send; any token works without --token
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        cfg = self.config
        store = Store(cfg.state)  # raises InputError on a corrupt state file, before any socket opens
        with store.write():
            wanted = cfg.repos or (() if store.tables.repos else (DEFAULT_REPO,))
            for owner, name in parse_repos(wanted):
                store.add_repo(owner, name)
            store.user_id(cfg.login)  # a stable user id for the token's owner across restarts
        if cfg.runs is not None:
            _, self.run_problems = load_folder(store, cfg.runs)
        app = App(store, Settings(token=cfg.token, login=cfg.login, quotas=cfg.quotas))
        family = socket.AF_INET6 if ":" in cfg.host else socket.AF_INET
        self._server = SandboxHTTPServer((cfg.host.strip("[]"), cfg.port), app, family)
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.05),  # stop() returns within 50 ms
            name="gardener-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        server.app.store.save()
        server.app.store.actions.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what tests ask for ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to hand to `github.Github(base_url=...)`."""
        return self._running().own_url

    def repositories(self) -> list[str]:
        with self.app.store.read() as store:
            return sorted(r.full_name for r in store.tables.repos.values())

    @property
    def app(self) -> App:
        return self._running().app

    def inject(
        self, fault: dict[str, Any], *, method: str | None = None, path: str | None = None, times: int = 1
    ) -> None:
        """Make the next `times` requests matching method and path regex fail (see faults.py)."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self.app.faults.add(FaultRule(parse_fault(fault), method.upper() if method else None, path, times))

    def requests(self) -> tuple[RequestRecord, ...]:
        return self.app.log.records()

    def count(self, method: str | None = None, path: str | None = None) -> int:
        return self.app.log.count(method, path)

    def run_count(self) -> int:
        with self.app.store.read() as store:
            return len(store.actions.runs)

    def add_run(self, run: dict[str, Any], base: str | Path) -> int:
        """Register one run described as in run.json (paths relative to `base`); its id."""
        return register(self.app.store, parse_run(run, Path(base))).id

    def add_runs(self, folder: str | Path) -> tuple[int, ...]:
        """Register every `<run id>/run.json` under `folder`; problems are added to `run_problems`."""
        ids, problems = load_folder(self.app.store, Path(folder))
        self.run_problems += problems
        return ids

    def add_commits(self, commits: list[dict[str, Any]]) -> None:
        """Commits as in commits.json, for GET .../commits/{sha} and .../compare/{base}...{head}."""
        parsed = parse_commits(commits)
        with self.app.store.write() as store:
            store.actions.add_commits(parsed)

    def allow_actions(self, allowed: bool) -> None:
        """False: Actions routes answer 403 "Resource not accessible by integration" (no actions: read)."""
        with self.app.store.write() as store:
            store.actions.permitted = allowed

    def reset(self, *, data: bool = False) -> None:
        reset_app(self.app, data=data)

    def _running(self) -> SandboxHTTPServer:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; use it as a context manager or call start()")
        return self._server
