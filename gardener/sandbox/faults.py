"""Fault injection and the request log, for reliability tests.

A rule makes the next `times` requests matching `method` and a `path` regex (searched in the path without
the query) fail in one of these ways, spelled as JSON so the admin endpoint and the Python API share it:

    {"status": 502}                                       any status; 5xx bodies look like GitHub's
    {"status": 429, "retry_after": 1}                     optional retry-after header on any status
    {"kind": "secondary_rate_limit", "retry_after": 1}    403 (or "status": 429) with GitHub's message
    {"kind": "rate_limit_exhausted", "reset_in": 2}       403, x-ratelimit-remaining: 0, reset in 2 s
    {"kind": "delay", "seconds": 0.5}                     answer normally, but late
    {"kind": "drop"}                                      close the connection without an answer
    {"kind": "truncate", "bytes": 1024}                   a log or artifact download stops after that many
                                                          bytes of the announced Content-Length, then closes

Faulted requests do not spend rate-limit budget; they are logged with the fault's kind.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from gardener.sandbox.protocol import DOCS, Response

KINDS = ("status", "secondary_rate_limit", "rate_limit_exhausted", "delay", "drop", "truncate")
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {rid}."
)
PRIMARY_MESSAGE = (
    "API rate limit exceeded for user ID {uid}. If you reach out to GitHub Support for help, "
    "please include the request ID {rid}."
)
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
STATUS_MESSAGES = {500: "Server Error", 502: "Server Error", 503: "Service Unavailable", 504: "Gateway Timeout"}


class FaultSpecError(ValueError):
    """A fault rule that cannot be understood; the admin endpoint answers 422 with this text."""


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str
    status: int = 0
    retry_after: int | None = None
    reset_in: int = 60
    seconds: float = 0.0
    after_bytes: int = 0  # truncate: how much of a streamed body is sent


@dataclass(frozen=True, slots=True)
class FaultRule:
    fault: Fault
    method: str | None = None
    path: str | None = None  # regex, searched
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or re.search(self.path, path) is not None
        )


def parse_rule(spec: Any) -> FaultRule:
    """`{"match": {"method": ..., "path": ...}, "times": N, "fault": {...}}` → FaultRule."""
    if not isinstance(spec, dict):
        raise FaultSpecError("a fault rule is a JSON object")
    match = spec.get("match") or {}
    times = spec.get("times", 1)
    if not isinstance(match, dict):
        raise FaultSpecError("match must be an object with method and/or path")
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        raise FaultSpecError("times must be a positive integer")
    method, path = match.get("method"), match.get("path")
    if method is not None and not isinstance(method, str):
        raise FaultSpecError("match.method must be a string")
    if path is not None:
        if not isinstance(path, str):
            raise FaultSpecError("match.path must be a regex string")
        try:
            re.compile(path)
        except re.error as exc:
            raise FaultSpecError(f"match.path is not a valid regex: {exc}") from exc
    return FaultRule(parse_fault(spec.get("fault")), method.upper() if method else None, path, times)


def parse_fault(spec: Any) -> Fault:
    if not isinstance(spec, dict):
        raise FaultSpecError('fault must be an object such as {"status": 502} or {"kind": "drop"}')
    kind = spec.get("kind", "status")
    if kind not in KINDS:
        raise FaultSpecError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    status = spec.get("status", {"secondary_rate_limit": 403, "rate_limit_exhausted": 403}.get(kind, 0))
    retry_after = spec.get("retry_after", 60 if kind == "secondary_rate_limit" else None)
    if kind == "status" and not (isinstance(status, int) and 400 <= status <= 599):
        raise FaultSpecError("a status fault needs an HTTP error status between 400 and 599")
    numbers = {
        "retry_after": retry_after,
        "reset_in": spec.get("reset_in", 60),
        "seconds": spec.get("seconds", 0),
        "bytes": spec.get("bytes", 0),
    }
    for name, value in numbers.items():
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
            raise FaultSpecError(f"{name} must be a non-negative number")
    return Fault(
        kind=kind,
        status=int(status),
        retry_after=None if retry_after is None else int(retry_after),
        reset_in=int(numbers["reset_in"] or 0),
        seconds=float(numbers["seconds"] or 0),
        after_bytes=int(numbers["bytes"] or 0),
    )


class Faults:
    """The pending rules; each matching request consumes one use of the first matching rule."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for n, rule in enumerate(self._rules):
                if rule.matches(method, path):
                    if rule.times > 1:
                        self._rules[n] = FaultRule(rule.fault, rule.method, rule.path, rule.times - 1)
                    else:
                        del self._rules[n]
                    return rule.fault
            return None

    def pending(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()


def fault_response(fault: Fault, request_id: str, core_headers: dict[str, str]) -> Response:
    """The GitHub-shaped answer for a status, secondary or primary rate-limit fault."""
    headers = dict(core_headers)
    if fault.retry_after is not None:
        headers["retry-after"] = str(fault.retry_after)
    if fault.kind == "secondary_rate_limit":
        body = {"message": SECONDARY_MESSAGE.format(rid=request_id), "documentation_url": RATE_DOCS}
    elif fault.kind == "rate_limit_exhausted":
        used = headers.get("x-ratelimit-limit", "5000")
        headers.update(
            {
                "x-ratelimit-remaining": "0",
                "x-ratelimit-used": used,
                "x-ratelimit-reset": str(int(time.time()) + fault.reset_in),
            }
        )
        body = {"message": PRIMARY_MESSAGE.format(uid=1, rid=request_id), "documentation_url": RATE_DOCS}
    elif fault.status in (403, 429):
        body = {"message": SECONDARY_MESSAGE.format(rid=request_id), "documentation_url": RATE_DOCS}
    else:
        message = STATUS_MESSAGES.get(fault.status, "Injected failure")
        body = {"message": message, "documentation_url": DOCS, "status": str(fault.status)}
    return Response(fault.status, body, headers)
