"""Run one argv in a process group of its own: stream its output to a file, keep only a bounded
head and tail in memory, and leave nothing of the group alive afterwards.

The group is cleared (see process_group) before the leader is reaped, on every way out.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from gardener.ingest.commands.process_group import KILL_GRACE_S, clear_group, leader_exited

CAPTURE_BYTES = 64 * 1024
READ_CHUNK = 64 * 1024
# After the leader exits, how long background children may keep writing before they are stopped.
DRAIN_GRACE_S = 1.0
_POLL_S = 0.05


class OutputTail:
    """The last `limit` bytes written, whatever the total."""

    def __init__(self, limit: int = CAPTURE_BYTES) -> None:
        self.limit = limit
        self._data = bytearray()
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        self._data += chunk
        excess = len(self._data) - self.limit
        if excess > 0:
            del self._data[:excess]
            self.dropped += excess

    @property
    def data(self) -> bytes:
        return bytes(self._data)


@dataclass(frozen=True, slots=True)
class Finished:
    """How a process ended: `returncode` is None when it was killed at its timeout.

    `output_error` says why the output file is incomplete (disk full); the run went on regardless.
    """

    returncode: int | None
    timed_out: bool
    duration_s: float
    head: bytes
    tail: bytes
    total_bytes: int
    output_error: str | None = None


class _Capture:
    """Everything read from the pipe goes to the file; memory keeps the first and last bytes."""

    def __init__(self, output: BinaryIO, limit: int) -> None:
        self.output: BinaryIO | None = output
        self.limit = limit
        self.head = bytearray()
        self.tail = OutputTail(limit)
        self.total = 0
        self.error: str | None = None

    def take(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if len(self.head) < self.limit:
            self.head.extend(chunk[: self.limit - len(self.head)])
        self.tail.feed(chunk)
        if self.output is not None:
            try:
                self.output.write(chunk)
            except OSError as exc:
                self.error, self.output = exc.strerror or str(exc), None


class CannotStart(Exception):
    """The process could not be started; `cause` is the OSError from exec or chdir."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


def run_in_own_group(
    argv: Sequence[str],
    *,
    output: BinaryIO,
    timeout_s: float,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
    kill_grace_s: float = KILL_GRACE_S,
    drain_grace_s: float = DRAIN_GRACE_S,
    capture_bytes: int = CAPTURE_BYTES,
) -> Finished:
    """Run argv to completion or timeout; raises CannotStart when it never ran."""
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        raise CannotStart(exc) from exc
    assert proc.stdout is not None
    started = time.monotonic()
    capture = _Capture(output, capture_bytes)
    pipe = proc.stdout.fileno()
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(pipe, selectors.EVENT_READ)
            deadline = started + timeout_s
            exited_at = _pump(selector, pipe, proc.pid, capture.take, deadline, drain_grace_s)
            if exited_at is None:
                exited_at = _wait_exit(proc.pid, deadline)
            ended = exited_at if exited_at is not None else time.monotonic()
            # The group outlives its leader when children were backgrounded: clear it either way.
            clear_group(proc.pid, kill_grace_s)
            _drain(selector, pipe, capture.take, until=time.monotonic() + 0.5)
    finally:
        # Also on KeyboardInterrupt: the group is in its own session, so Ctrl-C never reached it.
        clear_group(proc.pid, kill_grace_s)
        proc.stdout.close()
        returncode = proc.wait()
    return Finished(
        returncode=None if exited_at is None else returncode,
        timed_out=exited_at is None,
        duration_s=ended - started,
        head=bytes(capture.head),
        tail=capture.tail.data,
        total_bytes=capture.total,
        output_error=capture.error,
    )


def _pump(
    selector: selectors.BaseSelector,
    pipe: int,
    pid: int,
    take: Callable[[bytes], None],
    deadline: float,
    drain_grace_s: float,
) -> float | None:
    """Copy output until EOF or the deadline; returns when the leader exited, if it did."""
    exited_at: float | None = None
    while True:
        now = time.monotonic()
        if exited_at is None and leader_exited(pid):
            exited_at = now
        stop = deadline if exited_at is None else min(deadline, exited_at + drain_grace_s)
        if now >= stop:
            return exited_at
        if selector.select(timeout=min(stop - now, _POLL_S)):
            chunk = os.read(pipe, READ_CHUNK)
            if not chunk:  # every writer closed the pipe
                return exited_at
            take(chunk)


def _wait_exit(pid: int, deadline: float) -> float | None:
    """The leader closed its output but may still run: wait for it until the deadline."""
    while not leader_exited(pid):
        if time.monotonic() >= deadline:
            return None
        time.sleep(_POLL_S)
    return time.monotonic()


def _drain(selector: selectors.BaseSelector, pipe: int, take: Callable[[bytes], None], until: float) -> None:
    """Read what the group wrote before it died; bounded, as an escaped process may hold the pipe."""
    while (left := until - time.monotonic()) > 0 and selector.select(timeout=left):
        chunk = os.read(pipe, READ_CHUNK)
        if not chunk:
            return
        take(chunk)
