"""When to retry a GitHub request, and how long to wait first. Pure decisions plus a small pacer.

- 401: nothing more can be written (bad credentials).
- 403/429 rate limits: wait what GitHub says (`retry-after`, else until `x-ratelimit-reset` when
  `x-ratelimit-remaining` is 0, else a minute for a secondary limit), but never longer than
  `max_wait_s`: a longer wait stops the run's writes instead of hanging the job.
- 5xx and no answer at all (connection dropped, timeout): retried with capped exponential backoff.
- any other 4xx: this action is refused; the run goes on.
Each request is tried at most `max_attempts` times.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gardener.model import TrackerPolicy

SECONDARY_WAIT_S = 60.0  # GitHub: after a secondary rate limit without retry-after, wait at least a minute


@dataclass(frozen=True, slots=True)
class Failure:
    status: int | None  # None: no answer (connection dropped, timeout)
    headers: Mapping[str, str]  # lower-case names
    message: str

    @property
    def ambiguous(self) -> bool:
        """The request may have been carried out although no success came back."""
        return self.status is None or self.status >= 500

    def describe(self) -> str:
        head = f"HTTP {self.status}" if self.status is not None else "no answer"
        return f"{head}: {self.message}" if self.message else head


@dataclass(frozen=True, slots=True)
class Verdict:
    action: str  # retry | refuse | stop
    wait_s: float = 0.0
    why: str = ""


def rate_limit_wait(failure: Failure, now: float) -> float | None:
    """Seconds GitHub asks to wait, when this failure is a rate limit; None otherwise."""
    if failure.status not in (403, 429):
        return None
    headers = failure.headers
    retry_after = headers.get("retry-after", "").strip()
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            pass
    reset = headers.get("x-ratelimit-reset", "").strip()
    if headers.get("x-ratelimit-remaining", "").strip() == "0" and reset.isdigit():
        return max(0.0, int(reset) - now) + 1.0
    if failure.status == 429 or "rate limit" in failure.message.lower():
        return SECONDARY_WAIT_S
    return None


def judge(failure: Failure, attempt: int, policy: TrackerPolicy, now: float, backoff_s: float) -> Verdict:
    """What to do after try number `attempt` (1-based) failed."""
    if failure.status == 401:
        return Verdict("stop", why=f"GitHub refused the token ({failure.describe()})")
    last = attempt >= policy.max_attempts
    wait = rate_limit_wait(failure, now)
    if wait is not None:
        if wait > policy.max_wait_s:
            return Verdict("stop", why=f"rate limited for {wait:.0f}s more, longer than max_wait "
                                       f"({policy.max_wait_s:g}s); the remaining writes are left for the next run")
        return Verdict("refuse", why=f"still rate limited after {attempt} tries") if last else Verdict("retry", wait)
    if failure.ambiguous:
        if last:
            return Verdict("refuse", why=f"{failure.describe()} (after {attempt} tries)")
        return Verdict("retry", min(backoff_s * 2 ** (attempt - 1), policy.max_wait_s))
    return Verdict("refuse", why=failure.describe())


class Pacer:
    """Keeps writes at least `interval_s` apart (GitHub's content-creation limits punish bursts)."""

    def __init__(self, interval_s: float, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval_s = interval_s
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None and self.interval_s > 0:
            remaining = self._last + self.interval_s - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()
