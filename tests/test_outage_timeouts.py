"""Timeouts of tests whose client retried a host that was down (gardener/outage_timeouts.py): blocked by the outage."""

from __future__ import annotations

from pathlib import Path

from gardener.config import Config
from gardener.pipeline import RunOptions, build_report

# A Turborepo task's jest output: the client logs each 503 it retries; one test fails on the 503, one times out.
JOB = """\
pay:test:   console.warn
pay:test:     [pay] POST https://api.pay.example.com/v1/payouts -> 503 Service Unavailable (attempt 1/3), retrying
pay:test:
pay:test:       at Client.request (src/client.ts:88:15)
pay:test:
pay:test: FAIL src/payouts.test.ts (9.1 s)
pay:test:   payouts
pay:test:     ✕ creates a payout (5003 ms)
pay:test:     ✕ reports a declined receiver (1394 ms)
pay:test:
pay:test:   ● payouts › creates a payout
pay:test:
pay:test:     thrown: "Exceeded timeout of 5000 ms for a test.
pay:test:
pay:test:       at it (src/payouts.test.ts:22:3)
pay:test:
pay:test:   ● payouts › reports a declined receiver
pay:test:
pay:test:     AxiosError: Request failed with status code 503
pay:test:
pay:test:       at settle (node_modules/axios/lib/core/settle.js:19:12)
pay:test:       at Object.<anonymous> (src/payouts.test.ts:33:19)
pay:test:
pay:test:     Cause:
pay:test:       config: {
pay:test:         url: 'https://api.pay.example.com/v1/payouts',
pay:test:       },
pay:test:       response: { status: 503, statusText: 'Service Unavailable' }
pay:test:
pay:test: Test Suites: 1 failed, 1 total
pay:test: Tests:       2 failed, 40 passed, 42 total
"""


def _report(tmp_path: Path, text: str, name: str = "test-job.log"):  # type: ignore[no-untyped-def]
    job = tmp_path / name
    job.write_text(text, encoding="utf-8")
    return build_report(RunOptions(paths=(str(job),)), Config())


def test_a_timeout_whose_client_retried_the_host_that_was_down_is_blocked_by_the_outage(tmp_path: Path) -> None:
    report = _report(tmp_path, JOB)
    (down,) = [f for f in report.findings if f.category == "connection-refused"]
    (wait,) = [f for f in report.findings if f.category == "timeout-hang"]
    shown = [(f.category, f.blocked_by) for f in report.findings]
    assert wait.blocked_by == (down.id,) and down.blocked_by == (), shown
    assert report.findings[0] is down
    (edge,) = [e for e in report.edges if e.blocked == wait.id]
    assert "api.pay.example.com" in edge.reason and "503" in edge.reason, edge.reason


def test_a_timeout_whose_console_names_another_host_or_nothing_stays_a_root_cause(tmp_path: Path) -> None:
    for name, text in (
        ("other-host.log", JOB.replace("POST https://api.pay.example.com", "POST https://api.ledger.example.org")),
        ("no-console.log", JOB.replace("POST https://api.pay.example.com/v1/payouts -> 503 Service Unavailable",
                                       "still waiting for the payout")),
        ("a-200.log", JOB.replace("503 Service Unavailable (attempt", "200 OK (attempt")),
    ):
        report = _report(tmp_path, text, name)
        assert [f.category for f in report.findings if f.category == "timeout-hang"] == ["timeout-hang"], name
        assert all(f.blocked_by == () for f in report.findings), (name, [(f.category, f.blocked_by)
                                                                         for f in report.findings])
