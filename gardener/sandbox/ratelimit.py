"""Primary rate limits that are really spent: one fixed window per resource (`core`, `search`).

Like GitHub, a window starts with the first request after the previous one expired and resets
`period` seconds later; `x-ratelimit-reset` is that moment in epoch seconds.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quota:
    limit: int
    period_s: float


DEFAULT_QUOTAS = {"core": Quota(5000, 3600.0), "search": Quota(30, 60.0)}


@dataclass(frozen=True, slots=True)
class Budget:
    """One resource's state as the x-ratelimit-* headers and GET /rate_limit report it."""

    resource: str
    limit: int
    used: int
    reset: int  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-resource": self.resource,
        }

    def as_json(self) -> dict[str, int]:
        return {"limit": self.limit, "remaining": self.remaining, "reset": self.reset, "used": self.used}


class RateLimiter:
    def __init__(self, quotas: Mapping[str, Quota], clock: Callable[[], float] = time.time) -> None:
        self._quotas = dict(quotas)
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # resource -> (window end, used)

    @property
    def resources(self) -> tuple[str, ...]:
        return tuple(self._quotas)

    def spend(self, resource: str) -> tuple[bool, Budget]:
        """Take one request from the budget; False (and nothing spent) when it is exhausted."""
        with self._lock:
            end, used = self._window(resource)
            allowed = used < self._quotas[resource].limit
            if allowed:
                used += 1
                self._windows[resource] = (end, used)
            return allowed, self._budget(resource, end, used)

    def peek(self, resource: str) -> Budget:
        with self._lock:
            end, used = self._window(resource)
            return self._budget(resource, end, used)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def _window(self, resource: str) -> tuple[float, int]:
        now = self._clock()
        end, used = self._windows.get(resource, (0.0, 0))
        if now >= end:
            end, used = now + self._quotas[resource].period_s, 0
            self._windows[resource] = (end, used)
        return end, used

    def _budget(self, resource: str, end: float, used: int) -> Budget:
        return Budget(resource, self._quotas[resource].limit, used, math.ceil(end))
