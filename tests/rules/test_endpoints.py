"""Which service a network failure is about: named in its output, or inferred from the run."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from gardener.explain import explain
from gardener.linked import linked_findings
from gardener.model import Result
from gardener.rules.endpoints import Endpoint, fixed_port, infer_endpoints, kind_of
from tests.rules.helpers import failing_test

HTTPX_REFUSED = (
    "tests/integration/test_api.py:14: in test_post\n    resp = api_client.post('/v1/messages')\n"
    "/usr/lib/python3.12/site-packages/httpx/_transports/default.py:118: in map_httpcore_exceptions\n"
    "    raise mapped_exc(message) from exc\nE   httpx.ConnectError: [Errno 111] Connection refused"
)
WS_REFUSED = (
    "tests/integration/test_ws.py:31: in test_broadcast\n    async with websockets.connect(WS_URL) as alice:\n"
    "E   ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 8000)"
)
PG_REFUSED = (
    "tests/integration/test_db.py:22: in test_schema\n    with psycopg.connect(DATABASE_URL) as conn:\n"
    'E   psycopg.OperationalError: connection failed: connection to server at "127.0.0.1", port 5432 failed: '
    "Connection refused"
)


def _refused(test: str, details: str) -> Result:
    return failing_test(test, details.splitlines()[-1].removeprefix("E   "), details=details)


def test_each_dead_service_is_its_own_finding_named_by_its_address() -> None:
    findings = find([_refused("t/test_ws.py::test_b", WS_REFUSED), _refused("t/test_db.py::test_s", PG_REFUSED)],
                    Config())
    assert sorted(f.title for f in findings) == [
        "Service at 127.0.0.1:5432 refuses connections",
        "Service at 127.0.0.1:8000 refuses connections",
    ]
    assert sorted(f.signature.text for f in findings) == [
        "connection refused: localhost:5432",
        "connection refused: localhost:8000",
    ]


def test_loopback_spellings_of_one_port_are_one_service() -> None:
    """`localhost:3000` (requests) and `127.0.0.1:3000` (websockets) are the same dead local service:
    one key, while each title keeps the address its client printed."""
    requests_refused = (
        "E   requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=3000): Max retries "
        "exceeded (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection "
        "refused'))"
    )
    ws_refused = WS_REFUSED.replace("8000", "3000")
    other_host = WS_REFUSED.replace("127.0.0.1', 8000", "10.1.2.3', 3000")
    findings = find([_refused("t/test_cart.py::test_add", requests_refused),
                     _refused("t/test_ws.py::test_b", ws_refused),
                     _refused("t/test_remote.py::test_r", other_host)], Config())
    by_sig = {f.signature.text: f.tests for f in findings}
    assert by_sig == {
        "connection refused: localhost:3000": ("t/test_cart.py::test_add", "t/test_ws.py::test_b"),
        "connection refused: <ip>:3000": ("t/test_remote.py::test_r",),
    }
    assert infer_endpoints([((("host", "localhost"), ("port", "3000")), "requests"),
                            ((("host", "127.0.0.1"), ("port", "3000")), "websocket"),
                            ((), "Connection refused")])[-1] == Endpoint("localhost", "3000")


def test_a_client_that_prints_no_address_joins_the_refused_service_of_its_kind() -> None:
    findings = find(
        [
            _refused("t/test_api.py::test_post", HTTPX_REFUSED),
            _refused("t/test_api.py::test_list", HTTPX_REFUSED),
            _refused("t/test_ws.py::test_b", WS_REFUSED),
            _refused("t/test_db.py::test_s", PG_REFUSED),
        ],
        Config(),
    )
    by_title = {f.title: f.tests for f in findings}
    assert by_title == {
        "Service at 127.0.0.1:8000 refuses connections": ("t/test_api.py::test_post", "t/test_api.py::test_list",
                                                          "t/test_ws.py::test_b"),
        "Service at 127.0.0.1:5432 refuses connections": ("t/test_db.py::test_s",),
    }


def test_explain_says_whether_the_address_was_printed_or_inferred() -> None:
    text = explain(linked_findings([_refused("t/test_api.py::test_post", HTTPX_REFUSED),
                            _refused("t/test_ws.py::test_b", WS_REFUSED)], Config()))
    assert "endpoint = 127.0.0.1:8000 (printed by the client)" in text
    assert "endpoint = 127.0.0.1:8000 (inferred: the output names no address; the only http service" in text


def test_with_no_address_anywhere_nothing_is_invented() -> None:
    (finding,) = find([_refused("t/test_api.py::test_post", HTTPX_REFUSED)], Config())
    assert finding.title == "Service at an address the output does not name refuses connections"
    assert "endpoint" not in dict(finding.captures)


def test_random_ephemeral_ports_do_not_split_one_cause() -> None:
    results = [
        failing_test(f"t/test_srv.py::test_{port}", f"ConnectionRefusedError: [Errno 111] Connect call failed "
                     f"('127.0.0.1', {port})")
        for port in (41234, 52011, 60999)
    ]
    (finding,) = find(results, Config())
    assert finding.signature.text == "connection refused: localhost:<port>"


def test_inference_needs_a_single_candidate_of_the_same_kind() -> None:
    two_apis = [
        ((("host", "10.0.0.1"), ("port", "8000")), "httpx"),
        ((("host", "10.0.0.2"), ("port", "9000")), "httpx"),
    ]
    assert infer_endpoints([*two_apis, ((), "httpx.ConnectError")])[-1] is None
    db_only = [((("host", "db"), ("port", "5432")), "psycopg")]
    assert infer_endpoints([*db_only, ((), "httpx.ConnectError")])[-1] is None
    assert infer_endpoints([*db_only, ((), "Connection refused")])[-1] == Endpoint("db", "5432")


def test_kinds_and_fixed_ports() -> None:
    assert kind_of("psycopg.OperationalError", None) == "database"
    assert kind_of("Connection refused", Endpoint("127.0.0.1", "6379")) == "database"
    assert kind_of("httpx.ConnectError", None) == "http"
    assert kind_of("Connection refused", None) == ""
    assert fixed_port("5432") and fixed_port("8000")
    assert not fixed_port("49152") and not fixed_port("") and not fixed_port("0")


def test_a_jvm_client_on_netty_names_the_refused_address() -> None:
    """Lettuce (Redis on Netty) prints `Connection refused: host/ip:port`: that address is the endpoint."""
    details = ("io.lettuce.core.RedisConnectionException: Unable to connect to localhost/<unresolved>:6379\n"
               "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: "
               "localhost/127.0.0.1:6379\n"
               "Caused by: java.net.ConnectException: Connection refused")
    (f,) = find([failing_test("com.acme.cache.CacheIT::putsAndGets", "RedisConnectionException", details=details)],
                Config())
    assert f.category == "connection-refused" and f.title == "Service at localhost:6379 refuses connections", f.title


def test_an_erlang_client_names_the_address_in_its_connect_call() -> None:
    """Redix (Elixir's Redis client) and Postgrex print `tcp connect (host:port): connection refused`."""
    details = "** (Redix.ConnectionError) failed to connect: tcp connect (redis.local:6379): connection refused"
    (f,) = find([failing_test("test/cache_test.exs::CacheTest::test put", "Redix.ConnectionError", details=details)],
                Config())
    assert "redis.local:6379" in f.title, f.title


HIKARI = ("org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested "
          "exception is java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
          "timed out after 30004ms.")
MYSQL_CONTAINER = """2024-05-02 10:00:01+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.0 started.
2024-05-02 10:00:01+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD"""


def test_a_pool_without_connections_and_the_database_container_that_never_started_are_one_p0_finding() -> None:
    """Spring's HikariCP pool, a MySQL service container, and the one refusal the run shows at its address."""
    from tests.rules.helpers import log_incident

    tests = [failing_test(f"com.acme.shop.OrderRepositoryIT::saves{i}", HIKARI, details=HIKARI) for i in range(4)]
    container = log_incident(MYSQL_CONTAINER, path="service-mysql.log", line=2)
    refusal = log_incident("Error: connect ECONNREFUSED 127.0.0.1:3306", path="migrate.log", line=7)
    findings = find([*tests, container, refusal], Config())
    assert len(findings) == 1, [(f.category, f.title) for f in findings]
    (f,) = findings
    assert f.category == "connection-refused" and f.priority == "P0", (f.category, f.priority_reason)
    assert f.signature.text == "connection refused: localhost:3306"
    assert [t for t in f.tests if not t.startswith("log:")] == [t.id for t in tests]
    assert "Database container never started" in f.title and "MYSQL_ROOT_PASSWORD" in f.root_cause, f.root_cause


def test_a_pasted_pool_failure_is_a_database_refusal_not_an_exception_of_the_code() -> None:
    (f,) = find([failing_test("com.acme.shop.OrderRepositoryIT::saves", HIKARI, details=HIKARI)], Config())
    assert f.category == "connection-refused", (f.category, f.title)


def test_a_port_of_thousands_of_digits_is_no_database_port_and_no_crash() -> None:
    # int() refuses more than 4,300 digits; a captured port is untrusted text (review, session 6)
    assert kind_of("connection refused", Endpoint("db", "9" * 5000)) == ""
    assert kind_of("connection refused", Endpoint("db", "5432")) == "database"
