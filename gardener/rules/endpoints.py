"""Which service a network failure is about: its endpoint (host:port), named or inferred.

A refused connection names the dead service when the client prints its address (`Connect call
failed ('127.0.0.1', 8000)`, `connection to server at "db", port 5432`), and the finding is keyed
by it, so two dead services are two findings. Some clients print no address (httpx's
`ConnectError: [Errno 111] Connection refused`). Such a failure is attributed to the one address
of the same kind (an HTTP/WebSocket service or a database) that the run shows refused, as a
person reading the run would: the HTTP client's test hit the same API the WebSocket test could
not reach, not the database. With no candidate, or several, nothing is inferred.

Pure functions over captures and text; classify.py applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gardener import regex as re
from gardener.numbers import bounded_int

Captures = tuple[tuple[str, str], ...]

# Captures classification derives (not regex groups) that templates may use: `endpoint` is
# `host:port` (or whichever of the two is known) of a network failure.
DERIVED_CAPTURES = frozenset({"endpoint"})

# Below Linux's ephemeral range a port is chosen by configuration and names the service; above
# it the port was picked at random (a test server on port 0, a published container port).
EPHEMERAL_PORTS_START = 32768

_DATABASE_PORTS = frozenset({1433, 1521, 3306, 5432, 5672, 6379, 9042, 9092, 11211, 27017})
_DATABASE = re.lazy(
    r"(?i)psycopg|postgres|asyncpg|sqlalchemy|mysql|mariadb|redis|mongo|jdbc|cassandra|kafka|amqp|rabbitmq"
    r"|memcache|clickhouse|OperationalError|\bdatabase\b"
)
_HTTP = re.lazy(
    r"(?i)\bhttpx\b|\brequests\.|urllib3?|aiohttp|https?://|wss?://|websocket|\bfetch\b|axios|HttpClient"
    r"|RestTemplate|WebClient|OkHttp|superagent|\bcurl\b|\bHTTP\b"
)


@dataclass(frozen=True, slots=True)
class Endpoint:
    host: str
    port: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port}" if self.host and self.port else self.host or f"port {self.port}"


# Every spelling of this machine's own address: one dead local service, whatever the client wrote
# (keys.py keys a loopback host as `localhost`; titles keep the spelling the client printed).
LOOPBACK_HOSTS = frozenset({"localhost", "ip6-localhost", "0.0.0.0", "::1", "[::1]", "::", "[::]"})
LOCALHOST = "localhost"


def canonical_host(host: str) -> str:
    """`localhost` for any loopback spelling (127.0.0.1, ::1, ...), else the host as written."""
    lowered = host.lower()
    return LOCALHOST if lowered in LOOPBACK_HOSTS or lowered.startswith("127.") else host


def endpoint_of(captures: Captures) -> Endpoint | None:
    """The first host and port a rule captured, or None when it captured neither."""
    values = dict(reversed(captures))  # the first value of each name wins
    host, port = values.get("host", ""), values.get("port", "")
    return Endpoint(host, port) if host or port else None


def kind_of(text: str, endpoint: Endpoint | None) -> str:
    """"database", "http" or "" (unknown): what kind of service the failing client talks to."""
    port = endpoint.port if endpoint is not None else ""
    if port.isascii() and port.isdigit() and bounded_int(port) in _DATABASE_PORTS:
        return "database"
    if _DATABASE.search(text):
        return "database"
    if _HTTP.search(text):
        return "http"
    return ""


def infer_endpoints(items: Sequence[tuple[Captures, str]]) -> list[Endpoint | None]:
    """For each (captures, text): its own endpoint, else the one refused endpoint of its kind."""
    own = [endpoint_of(caps) for caps, _ in items]
    kinds = [kind_of(text, ep) for (_, text), ep in zip(items, own, strict=True)]
    # Candidates per kind, one per service: loopback spellings of one port are one candidate.
    by_kind: dict[str, dict[tuple[str, str], Endpoint]] = {}
    for ep, kind in zip(own, kinds, strict=True):
        if ep is not None and ep.host and ep.port:
            service = (canonical_host(ep.host), ep.port)
            by_kind.setdefault(kind, {}).setdefault(service, ep)
            by_kind.setdefault("*", {}).setdefault(service, ep)
    out: list[Endpoint | None] = []
    for ep, kind in zip(own, kinds, strict=True):
        if ep is None:
            candidates = by_kind.get(kind or "*", {})
            ep = next(iter(candidates.values())) if len(candidates) == 1 else None
        out.append(ep)
    return out


def service_names(items: Sequence[Captures]) -> dict[tuple[str, str], str]:
    """Addresses a CI service is known by: output naming a `service` and the host:port it was waited
    on at (GitLab's `Service ... probably didn't start properly` health check) says that address is
    that service. The service's name is stable; the runner's container IP is not."""
    names: dict[tuple[str, str], str] = {}
    for captures in items:
        values = dict(reversed(captures))
        service, host, port = values.get("service", ""), values.get("host", ""), values.get("port", "")
        if service and host and port:
            names.setdefault((canonical_host(host), port), service)
    return names


def named_by_service(endpoint: Endpoint | None, names: dict[tuple[str, str], str]) -> Endpoint | None:
    """The endpoint with its host replaced by the CI service known at that address, if any."""
    if endpoint is None or not names:
        return endpoint
    service = names.get((canonical_host(endpoint.host), endpoint.port))
    return Endpoint(service, endpoint.port) if service else endpoint


def with_endpoint(captures: Captures, endpoint: Endpoint | None) -> Captures:
    """The captures plus the endpoint's host and port (when inferred, or renamed after the service at
    that address: it comes first, so the key and title use it) and `endpoint` itself."""
    if endpoint is None:
        return captures
    names = {name for name, _ in captures}
    own = endpoint_of(captures)
    renamed = [("host", endpoint.host)] if own is not None and own.host and own.host != endpoint.host else []
    extra = [(name, value) for name, value in (("host", endpoint.host), ("port", endpoint.port))
             if value and name not in names]
    return (*renamed, *captures, *extra, ("endpoint", str(endpoint)))


def fixed_port(value: str) -> bool:
    """A port set by configuration (it names a service), as opposed to a random ephemeral one."""
    return value.isdigit() and 0 < bounded_int(value) < EPHEMERAL_PORTS_START
