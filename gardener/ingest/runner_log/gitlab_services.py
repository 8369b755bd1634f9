"""GitLab CI service containers that did not become ready, read as one incident naming the service.

Before the script runs, the runner starts each `services:` image (`Starting service postgres:16.3 ...`)
and waits for its port. When the wait fails it prints one block:

    *** WARNING: Service runner-<token>-project-<id>-concurrent-<n>-<hash>-postgres-0 probably didn't start properly.
    Health check error:
    service "runner-…-postgres-0-wait-for-service" timeout
    Health check container logs:
    … waiting for TCP connection to 172.17.0.3 on [5432]...
    Service container logs:
    … (the service's own output: why it is not listening)
    *********

The container name is the runner's (ephemeral); the service is its alias (`postgres`), and the image is
the one started under that alias. The incident's message names both and the address the health check
waited for, so later stages can tie the refused connections to this service; the block (health check
and service logs) is its evidence. The block's lines are never incidents of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.results import log_id
from gardener.model import Result, Source

_STARTING = re.lazy(r"^Starting service (?P<image>\S+?)(?: as (?P<alias>\S+))? \.\.\.")
_WARNING = re.lazy(r"^\*\*\* WARNING:\s*Service (?P<container>\S+) probably didn't start properly\.?")
_RUNNER_NAME = re.lazy(r"^runner-\w+-project-\d+-concurrent-\d+-(?:[0-9a-f]{8,}-)?(?P<alias>.+?)-\d+$")
_WAITING = re.lazy(r"waiting for TCP connection to (?P<host>\S+) on \[(?P<ports>[\d, ]+)\]")
_HEALTH_ERROR = re.lazy(r'^service "[^"]*" (?P<why>.+)$')
_END = re.lazy(r"^\*{5,}\s*$")
ERROR_TYPE = "service-unhealthy"
MAX_BLOCK_LINES = 400


def service_alias(container: str) -> str:
    """`runner-zxwgkjap-project-48213-concurrent-0-1c2d…-postgres-0` -> `postgres`."""
    m = _RUNNER_NAME.match(container)
    return m.group("alias") if m else container


def default_alias(image: str) -> str:
    """GitLab's alias for a service image: `registry/org/postgres:16.3` -> `postgres` (and `org__postgres`)."""
    name = image.split("@", 1)[0].rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image.split("@", 1)[0]
    return name.rsplit("/", 1)[-1]


@dataclass(slots=True)
class _Block:
    alias: str
    start: int
    timestamp: datetime | None
    end: int = 0
    lines: int = 0
    why: str = ""
    endpoint: str = ""
    excerpt: Excerpt = field(default_factory=lambda: Excerpt(head=30, tail=30))


class GitLabServiceReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns one incident per unready service."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._stem = PurePath(path).stem
        self._images: dict[str, str] = {}  # alias -> image
        self._block: _Block | None = None
        self._results: list[Result] = []

    HINTS = reader_hints.GITLAB_SERVICES

    def idle(self) -> bool:
        return self._block is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for every line of a service warning block."""
        block = self._block
        if block is None and not text.startswith(("Starting service ", "*** WARNING:")):
            return False
        if block is not None:
            if block.lines >= MAX_BLOCK_LINES or _WARNING.match(text) is not None:
                self._close()
            else:
                block.end, block.lines = number, block.lines + 1
                block.excerpt.add(text, number)
                self._read(block, text.strip())
                if _END.match(text):
                    self._close()
                return True
        if text.startswith("Starting service ") and (m := _STARTING.match(text)):
            image = m.group("image")
            self._images[m.group("alias") or default_alias(image)] = image
            return False
        if text.startswith("*** WARNING:") and (m := _WARNING.match(text)):
            self._block = _Block(service_alias(m.group("container")), number, timestamp, end=number)
            self._block.excerpt.add(text, number)
            return True
        return False

    @staticmethod
    def _read(block: _Block, text: str) -> None:
        if not block.why and (m := _HEALTH_ERROR.match(text)):
            block.why = m.group("why").strip()
        elif not block.endpoint and (m := _WAITING.search(text)):
            ports = m.group("ports").replace(",", " ").split()
            block.endpoint = f"{m.group('host')}:{ports[0]}" if ports else m.group("host")

    def _close(self) -> None:
        block, self._block = self._block, None
        if block is None:
            return
        image = self._images.get(block.alias, "")
        named = f"{block.alias} ({image})" if image and image != block.alias else block.alias
        reason = f"health check error: {block.why}" if block.why else "health check failed"
        where = f" waiting for {block.endpoint}" if block.endpoint else ""
        message = f"Service {named} probably didn't start properly: {reason}{where}"
        properties = [("subject", block.alias), ("service", block.alias)]
        if image:
            properties.append(("image", image))
        if block.endpoint:
            properties.append(("endpoint", block.endpoint))
        self.claimed.append((block.start, block.end))
        self._results.append(
            Result(
                id=log_id(self._stem, ERROR_TYPE, message, block.alias),
                outcome="error",
                source=Source(self.path, self.kind), source_line=block.start,
                message=message,
                error_type=ERROR_TYPE,
                details=block.excerpt.render(),
                timestamp=block.timestamp,
                properties=tuple(properties),
            )
        )

    def interrupt(self) -> None:
        self._close()

    def finish(self) -> tuple[Result, ...]:
        self._close()
        return tuple(self._results)
