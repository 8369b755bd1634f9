"""Signals for a whole process group, and whether any of it still runs.

A command runs as the leader of its own session, so its pid is also its group id. The leader is
observed with `waitid(WNOWAIT)` and reaped by the caller only after the group has been cleared,
so that id cannot be reused by an unrelated group while gardener still signals it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

# After SIGTERM, how long the group gets to exit before SIGKILL.
KILL_GRACE_S = 2.0


def leader_exited(pid: int) -> bool:
    """Whether the (unreaped) child `pid` has exited; never blocks."""
    # WNOWAIT leaves the zombie in place: it keeps the group id reserved until we reap it.
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def clear_group(pgid: int, grace_s: float) -> None:
    """SIGTERM every live member of the group, then SIGKILL whatever is left after the grace."""
    if not _group_alive(pgid):
        return
    _signal_group(pgid, signal.SIGTERM)
    give_up = time.monotonic() + grace_s
    while time.monotonic() < give_up and _group_alive(pgid):
        time.sleep(0.02)
    _signal_group(pgid, signal.SIGKILL)


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    """Whether any member of the group is still running (zombies do not count)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return _group_exists(pgid)
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp.
        if len(fields) > 2 and fields[2] == str(pgid).encode() and fields[0] not in (b"Z", b"X"):
            return True
    return False


def _group_exists(pgid: int) -> bool:
    """Without /proc: signal 0 reaches zombies too, so this errs towards killing."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
