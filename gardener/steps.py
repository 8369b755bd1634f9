"""CI job steps read from runner logs, as the test attempts the worklog lists.

A run gardener did not start still tried things: each `run:` step of the job is an attempt with
its command, result and key error (seed 000's "Test Execution Attempts Summary"). Action steps
(`uses:`, no shell) are listed only when they failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from gardener.model import Attempt, LogStep

MAX_STEP_ATTEMPTS = 25


def step_attempt(step: LogStep, fallback_time: datetime) -> Attempt:
    return Attempt(
        name=step.name,
        command=step.command.strip().splitlines()[0] if step.command.strip() else step.name,
        scope=None,
        status=step.status,
        exit_code=step.exit_code,
        duration_s=step.duration_s or 0.0,
        key_error=step.key_error,
        output_path=f"{step.path}:{step.line}",
        reports=(),
        started_at=step.started_at or fallback_time,
    )


def step_attempts(steps: Sequence[LogStep], now: datetime | None = None) -> tuple[Attempt, ...]:
    """The job's `run:` steps, and failed action steps, in log order (at most MAX_STEP_ATTEMPTS,
    keeping every failed one)."""
    when = now or datetime.now(UTC)
    wanted = [s for s in steps if s.shell is not None or s.status in ("FAILED", "TIMED OUT")]
    if len(wanted) > MAX_STEP_ATTEMPTS:
        room = MAX_STEP_ATTEMPTS - sum(1 for s in wanted if not s.status.startswith("SUCCESS"))
        kept = []
        for s in wanted:
            if not s.status.startswith("SUCCESS"):
                kept.append(s)
            elif room > 0:
                kept.append(s)
                room -= 1
        wanted = kept
    return tuple(step_attempt(s, when) for s in wanted)
