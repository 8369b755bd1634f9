"""The post-failure hook inside pytest, registered through the `pytest11` entry point.

Inert unless asked for (`--gardener`, or `GARDENER_PYTEST=1` in the environment): it only adds its
options. Enabled, it records the session's reports as they come and, when the session had failures,
gardens them at the end (session.py): the worklog and summary go to `--gardener-out`, a short
summary is printed, and with `--gardener-apply` the issues are filed. It never changes pytest's exit
status and never breaks the session: anything that goes wrong while gardening (a bad config, an
unreachable tracker, a bug) becomes one warning line.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from gardener.model import Tracker
    from gardener.pytest_plugin.session import SessionOptions

# gardener itself is imported only once the plugin is enabled: installed, it is loaded by every
# pytest run in the environment, which should neither pay for nor be broken by it.

ENV_SWITCH = "GARDENER_PYTEST"
_PLUGIN_NAME = "gardener-session"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gardener", "failing-test gardener (post-failure hook)")
    group.addoption("--gardener", action="store_true", default=False,
                    help=f"Garden this session's failures at the end (or set {ENV_SWITCH}=1).")
    group.addoption("--gardener-out", metavar="DIR", default="gardener-reports",
                    help="Where the worklog, summary and plan.json go (default: gardener-reports).")
    group.addoption("--gardener-focus", metavar="TEXT", action="append", default=[],
                    help="Keep findings matching this word or regex, and their blockers (repeatable).")
    group.addoption("--gardener-config", metavar="PATH", default=None,
                    help="gardener.toml or pyproject.toml (default: found from the current directory).")
    group.addoption("--gardener-apply", action="store_true", default=False,
                    help="File and update GitHub issues (needs a repository and GITHUB_TOKEN).")


def enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("gardener")) or os.environ.get(ENV_SWITCH) == "1"


def pytest_configure(config: pytest.Config) -> None:
    # xdist workers send their reports to the controller, which gardens them once.
    if enabled(config) and not hasattr(config, "workerinput"):
        config.pluginmanager.register(GardenerSession(config), _PLUGIN_NAME)


def _trouble(exc: Exception) -> str:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return f"gardener: could not garden this session ({type(exc).__name__}): {reason[:500]}"


class GardenerSession:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.lines: list[str] = []
        self.failed = False
        self.recorder: Any = None
        try:
            from gardener.pytest_plugin.session import SessionOptions, SessionRecorder

            self.recorder = SessionRecorder()
        except Exception as exc:  # a broken install warns at the end instead of stopping the tests
            self.failed, self.lines = True, [_trouble(exc)]
            return
        args = config.invocation_params.args
        self.options = SessionOptions(
            out_dir=Path(config.getoption("gardener_out")),
            focus=tuple(config.getoption("gardener_focus") or ()),
            config_path=Path(p) if (p := config.getoption("gardener_config")) else None,
            apply=bool(config.getoption("gardener_apply")),
            command_line=shlex.join(["pytest", *map(str, args)]),
        )

    def _record(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        if self.recorder is None:
            return
        entry = self.config.hook.pytest_report_to_serializable(config=self.config, report=report)
        if entry:
            self.recorder.add(entry)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._record(report)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.recorder is None:
            return
        try:
            from gardener.garden.setup import run_ctx
            from gardener.pytest_plugin.session import garden_session, summary_lines

            tracker = _open_tracker(self.options) if self.options.apply else None
            out = garden_session(self.recorder, self.options, int(exitstatus), run_ctx(os.environ), tracker)
            self.lines = summary_lines(out) if out is not None else []
        except Exception as exc:  # gardening must never break the test session
            self.failed, self.lines = True, [_trouble(exc)]
        if self.lines and self.config.pluginmanager.get_plugin("terminalreporter") is None:
            print("\n".join(self.lines), file=sys.stderr)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.lines:
            return
        terminalreporter.section("gardener", yellow=self.failed, bold=True)
        for line in self.lines:
            terminalreporter.write_line(line, yellow=self.failed)


def _open_tracker(options: SessionOptions) -> Tracker | None:
    """The GitHub tracker for --gardener-apply, resolved like `gardener run --apply` does."""
    from gardener.config import load_config
    from gardener.github.client import GitHubTracker
    from gardener.github.settings import resolve

    policy = load_config(options.config_path).github
    settings = resolve(None, None, policy, os.environ, True)
    return GitHubTracker(settings, policy) if settings is not None else None
