"""`gardener sandbox serve`: run a sandbox in the foreground until SIGINT or SIGTERM.

The first line on stdout is the base URL (flushed at once, so a script can read it and connect);
everything else goes to stderr. The state file is saved after every write and once more on the way out.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from gardener.errors import ConfigError
from gardener.sandbox.server import Sandbox, is_loopback


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    repos: Iterable[str] = (),
    state: str | Path | None = None,
    token: str | None = None,
    runs: str | Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> None:
    out = out or sys.stdout
    err = err or sys.stderr
    if not is_loopback(host):
        print(
            f"gardener sandbox: warning: listening on {host}, reachable from other machines; "
            "the sandbox has no real permissions model",
            file=err,
        )
    sandbox = Sandbox(repos, state=state, token=token, host=host, port=port, runs=runs)
    try:
        sandbox.start()
    except OSError as exc:
        raise ConfigError("command line", "--port", f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    stop = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(sandbox.url, file=out, flush=True)
        where = f"state in {state}" if state else "state in memory only (pass --state FILE to keep it)"
        served = ", ".join(sandbox.repositories())
        print(f"gardener sandbox: repositories {served}; {where}; Ctrl-C stops", file=err, flush=True)
        if runs is not None:
            for problem in sandbox.run_problems:
                print(f"gardener sandbox: skipped run: {problem}", file=err, flush=True)
            print(f"gardener sandbox: {sandbox.run_count()} Actions runs from {runs}", file=err, flush=True)
        while not stop.wait(0.5):  # a timed wait lets the signal handler run promptly
            pass
    finally:
        sandbox.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("gardener sandbox: stopped" + (f"; state saved to {state}" if state else ""), file=err, flush=True)
