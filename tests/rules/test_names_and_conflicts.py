"""A service name that does not resolve is named (network.name-not-resolved); pip's resolver conflict is
named in its title (deps.pip-resolution's `conflict`), while its signature stays what it was."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from tests.rules.helpers import failing_test, log_incident


def test_a_service_name_that_does_not_resolve_names_the_host_and_port() -> None:
    tests = [failing_test(f"tests/test_s.py::test_{i}",
                          "redis.exceptions.ConnectionError: Error -3 connecting to cache:6379. "
                          "Temporary failure in name resolution.", error_type="ConnectionError") for i in range(3)]
    (f,) = find(tests, Config())
    assert f.category == "connection-refused" and f.rule_id == "network.name-not-resolved", f.rule_id
    assert f.title == "Host `cache` does not resolve (DNS): the service at port 6379 is unreachable", f.title
    assert f.signature.text == "host does not resolve: cache"


def test_libpq_naming_the_host_it_cannot_translate() -> None:
    r = failing_test("tests/test_db.py::test_x", 'psycopg2.OperationalError: could not translate host name "db" to '
                     "address: Temporary failure in name resolution", error_type="OperationalError")
    (f,) = find([r], Config())
    assert f.rule_id == "network.name-not-resolved" and "`db`" in f.title, (f.rule_id, f.title)


def test_a_refusal_at_a_resolved_host_is_not_a_name_failure() -> None:
    r = failing_test("tests/test_s.py::test_x", "Error 111 connecting to localhost:6379. Connection refused.")
    (f,) = find([r], Config())
    assert f.rule_id == "network.connection-refused", f.rule_id


PIP_CONFLICT = """\
ERROR: Cannot install -r requirements.txt (line 2) and pydantic==2.5.3 because these package versions have \
conflicting dependencies.

The conflict is caused by:
    The user requested pydantic==2.5.3
    The user requested (constraint) pydantic==2.5.3
    pydantic-settings 2.6.1 depends on pydantic>=2.7.0

ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/
"""


def test_pip_s_conflict_is_named_in_the_title_and_not_in_the_signature() -> None:
    (f,) = find([log_incident(PIP_CONFLICT, path="job.log", line=3)], Config())
    assert f.rule_id == "deps.pip-resolution", f.rule_id
    assert f.title.endswith(": `pydantic-settings 2.6.1 depends on pydantic>=2.7.0`"), f.title
    assert f.signature.text == "dependency resolution failed:", f.signature.text


def test_an_expired_third_party_certificate_under_testify_is_one_p1_network_finding_naming_the_host() -> None:
    tests = [failing_test(f"github.com/a/p/fx::Test{i}", "Received unexpected error", details=(
        "        \tError Trace:\t/w/fx/client_test.go:31\n"
        "        \tError:      \tReceived unexpected error:\n"
        f'        \t            \tGet "https://api.fxpartner.io/v2/{i}": tls: failed to verify certificate: x509: '
        f"certificate has expired or is not yet valid: current time 2026-12-01T03:12:4{i}Z is after 2026-11-30\n"
        f"        \tTest:       \tTest{i}\n")) for i in range(3)]
    (f,) = find(tests, Config())
    assert f.rule_id == "network.tls-certificate-invalid" and f.area == "network", f.rule_id
    assert "`api.fxpartner.io`" in f.title and f.priority == "P1", (f.title, f.priority_reason)
    assert "api.fxpartner.io, a host the project does not own, has expired" in f.priority_reason


FLYWAY = """\
timed out after 60s waiting for http://localhost:8080/healthz
migrate-1  | Flyway OSS Edition 10.21.0 by Redgate
migrate-1  | ERROR: Validate failed: Migrations have failed validation
migrate-1  | Migration checksum mismatch for migration version 14
migrate-1  | -> Applied to database : 1283746521
migrate-1  | -> Resolved locally    : -904123377
migrate-1 exited with code 1
"""


def test_a_flyway_checksum_mismatch_is_the_stack_failing_to_start_naming_the_version() -> None:
    (f,) = find([log_incident(FLYWAY, path="e2e-job.log", line=1)], Config())
    assert f.rule_id == "docker.migration-refused" and f.category == "docker-build-failure", f.rule_id
    assert f.title == "Schema migration refused: checksum mismatch for migration version 14", f.title
    assert f.priority == "P0", f.priority_reason


def test_titles_say_what_the_text_names_while_signatures_stay() -> None:
    """A DB driver's error, a helpful NPE's null and a rate limit's registry and image are named in the title."""
    db = failing_test("tests/test_i.py::test_x", 'sqlalchemy.exc.ProgrammingError: (psycopg.errors.DuplicateColumn) '
                      'column "tenant_id" of relation "invoices" already exists', error_type="ProgrammingError")
    npe = failing_test("a.OrderServiceTest::checkout", 'Cannot invoke "java.math.BigDecimal.add(java.math.BigDecimal)" '
                       'because "this.shippingFee" is null', error_type="java.lang.NullPointerException",
                       details='java.lang.NullPointerException: Cannot invoke "x" because "this.shippingFee" is null\n'
                               "\tat com.acme.orders.OrderService.total(OrderService.java:71)\n")
    pull = log_incident("ERROR: failed to solve: rust:1.83: failed to resolve source metadata for "
                        "docker.io/library/rust:1.83: unexpected status code https://registry-1.docker.io/v2/library/"
                        "rust/manifests/sha256:7b: 429 Too Many Requests - Server message: toomanyrequests: You have "
                        "reached your unauthenticated pull rate limit.", path="image.log")
    titles = {f.rule_id: (f.title, f.signature.text) for f in find([db, npe, pull], Config())}
    title, sig = titles["runtime.python-exception"]
    assert title.endswith(': `DuplicateColumn` (column "tenant_id" of relation "invoices" already exists)'), title
    assert sig == "tests/test_i.py::test_x :: ProgrammingError", sig
    title, sig = titles["runtime.jvm-js-exception"]
    assert title.endswith(": `this.shippingFee` is null") and "shippingFee" not in sig.split("::")[0], (title, sig)
    title, sig = titles["registry.rate-limited"]
    assert "at `registry-1.docker.io` (pulling `docker.io/library/rust:1.83`)" in title, title
    assert sig == "toomanyrequests: registry pull rate limit reached", sig


def test_a_status_assertion_says_which_way_it_failed_from_the_source_line() -> None:
    accepted = ("_________________ test_expired_token_rejected _________________\n"
                "    def test_expired_token_rejected(client):\n"
                ">       assert client.get('/v1/me').status_code == 401\n"
                "E       assert 200 == 401\n")
    refused = accepted.replace("assert client.get('/v1/me').status_code == 401", "assert 200 == client.get('/v1/me')"
                               ".status_code").replace("E       assert 200 == 401", "E       assert 200 == 401")
    (a,) = find([log_incident(accepted)], Config())
    assert a.rule_id == "assert.status-code-auth-accepted" and a.area == "auth", a.rule_id
    assert a.title.endswith("the request was accepted (200) where 401 was expected"), a.title
    (r,) = find([log_incident(refused)], Config())
    assert r.rule_id == "assert.status-code-auth" and "refused" in r.title, (r.rule_id, r.title)
    (j,) = find([failing_test("a.AuthTest::rejectsExpired", "expected:<401> but was:<200>")], Config())
    assert j.rule_id == "assert.status-code-auth-accepted", j.rule_id


def test_a_worker_killed_by_signal_9_is_not_a_native_fault() -> None:
    killed = failing_test("tests/test_e.py::test_big", "", details=(
        "tests/test_e.py:58: running the test CRASHED with signal 9\n"
        "worker 'gw2' crashed while running 'tests/test_e.py::test_big'"))
    faulted = failing_test("tests/test_e.py::test_big", "", details=(
        "tests/test_e.py:58: running the test CRASHED with signal 11\n"
        "worker 'gw2' crashed while running 'tests/test_e.py::test_big'"))
    (k,) = find([killed], Config())
    assert k.category == "out-of-memory", (k.category, k.rule_id)
    (f,) = find([faulted], Config())
    assert f.category == "segfault-crash", (f.category, f.rule_id)
