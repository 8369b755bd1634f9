"""A dependency that answers 502/503/504 while it starts is a service-availability problem, not an assertion."""

from __future__ import annotations

from dataclasses import replace

from gardener.classify import find
from gardener.config import Config
from gardener.explain import explain
from gardener.linked import linked_findings
from gardener.model import Result
from tests.rules.helpers import failing_test, log_incident

NOT_READY = (
    "fx-rates-1  | 2025-03-01 10:16:40.902 UTC [main] WARN  c.a.fx.db.Pool - HikariPool-1 - Connection is not "
    "available, request timed out after 800ms (the database system is starting up)\n"
    "fx-rates-1  | 2025-03-01 10:16:41.700 UTC [http-8089-1] WARN  c.a.fx.Health - readiness DOWN: db"
)


def _got_503(method: str, path: str = "verify-job.log", kind: str = "log") -> Result:
    return failing_test(
        f"com.acme.PaymentControllerTest::{method}", "expected:<200> but was:<503>", path=path, kind=kind,
        error_type="java.lang.AssertionError",
        details="java.lang.AssertionError: expected:<200> but was:<503>\n\tat org.junit.Assert.fail(Assert.java:89)\n"
                f"\tat com.acme.PaymentControllerTest.{method}(PaymentControllerTest.java:71)",
    )


METHODS = ("createPayment", "quoteConverts", "refundRestores")


def test_503s_with_the_service_shown_starting_are_one_service_finding() -> None:
    results = [_got_503(m) for m in METHODS] + [log_incident(NOT_READY, path="verify-job.log", line=204)]
    (finding,) = find(results, Config())
    assert (finding.category, finding.priority) == ("connection-refused", "P1")
    assert {t for t in finding.tests if "::" in t} == {f"com.acme.PaymentControllerTest::{m}" for m in METHODS}
    assert finding.title == "Service the tests call answers 503: it is not ready"
    assert "raised to P0" not in finding.priority_reason  # a service that answers is up: a readiness race


def test_a_503_without_evidence_of_an_unready_service_stays_an_assertion() -> None:
    findings = find([_got_503(m) for m in METHODS], Config())
    assert {f.category for f in findings} == {"assertion-failure"}
    assert len(findings) == 3


def test_the_client_log_in_the_failure_itself_is_evidence_and_names_the_service() -> None:
    r = _got_503("createPayment")
    r = replace(r, details=r.details + (
        "\nWARN c.a.l.api.fx.FxRatesClient : GET http://localhost:8089/v2/rates/EUR-USD -> 503 Service Unavailable"
    ))
    (finding,) = find([r], Config())
    assert finding.category == "connection-refused"
    assert finding.title == "Service localhost:8089 answers 503: it is not ready"
    assert finding.signature.text == "service unreachable: localhost:8089"


def test_a_report_merged_with_its_console_copy_sees_the_job_log() -> None:
    # ingest/dedupe.py keeps the JUnit identity and records the job log the test was printed in.
    junit = [replace(_got_503(m, path="TEST-Payment.xml", kind="junit"), properties=(("job_log", "verify-job.log"),))
             for m in METHODS]
    findings = find([*junit, log_incident(NOT_READY, path="verify-job.log")], Config())
    assert [f.category for f in findings] == ["connection-refused"]


def test_a_service_log_line_about_a_request_timing_out_is_not_a_test_hang() -> None:
    (finding,) = find([log_incident(NOT_READY)], Config())
    assert finding.category == "connection-refused"
    assert finding.rule_id == "network.service-not-ready"


def test_explain_shows_the_evidence_that_made_the_503_a_service_problem() -> None:
    results = [_got_503("createPayment"), log_incident(NOT_READY, path="verify-job.log")]
    text = explain(linked_findings(results, Config()))
    assert "winner network.unavailable-status" in text
    assert "and source: " in text and "the database system is starting up" in text
    assert "lost assert.failed" in text
