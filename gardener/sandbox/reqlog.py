"""The request log: every API call the sandbox answered (admin calls excluded), for counting in tests."""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RequestRecord:
    seq: int
    method: str
    path: str  # without the query string
    query: str
    status: int  # 0 when the connection was dropped on purpose
    resource: str  # core | search | none
    fault: str | None  # the injected fault's kind, if one fired

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """Keeps the most recent `limit` records, so a long-running `serve` does not grow without bound."""

    def __init__(self, limit: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=limit)
        self._seq = 0

    def add(self, method: str, path: str, query: str, status: int, resource: str, fault: str | None) -> None:
        with self._lock:
            self._seq += 1
            self._records.append(RequestRecord(self._seq, method, path, query, status, resource, fault))

    def records(self) -> tuple[RequestRecord, ...]:
        with self._lock:
            return tuple(self._records)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many logged requests have this method and a path matching this regex (search)."""
        return sum(
            1
            for r in self.records()
            if (method is None or r.method == method.upper()) and (path is None or re.search(path, r.path))
        )

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
