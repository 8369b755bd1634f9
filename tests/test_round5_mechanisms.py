"""Mechanisms the fifth scenario round needed (tests/scenarios/data5), each on its smallest real input."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.ingest.dedupe import identity_key
from gardener.ingest.runner_log.anchors import is_boilerplate
from gardener.redact import redact_secrets
from gardener.text import clean_line
from tests.rules.helpers import failing_test, log_incident


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("9:58:27 PM: Type error: Property 'x' does not exist", "Type error: Property 'x' does not exist"),
        ("11:02:03 AM: $ npm run build", "$ npm run build"),
        ("9:58:27 PM: \u200b", ""),  # Netlify's blank line
        ("10:00:01 Started by user", "Started by user"),  # Jenkins' Timestamper, as before
        ("9:58 PM: not a stamp", "9:58 PM: not a stamp"),
    ],
)
def test_clock_prefixes_are_peeled(raw: str, text: str) -> None:
    assert clean_line(raw).text == text


def test_a_stripe_webhook_signing_secret_is_redacted() -> None:
    secret = "whsec_" + "9Rk4Tb8NwL3Hc1Pd6Zs0Gy5Fj2Ea7Ku"
    out = redact_secrets(f"Using signing secret {secret} for endpoint /webhooks/stripe")
    assert secret[6:] not in out and "[REDACTED:stripe-key]" in out
    assert redact_secrets("whsec_ is the prefix") == "whsec_ is the prefix"


def test_rspec_junit_formatter_ids_name_the_console_s_example() -> None:
    report = "./spec/integration/mailer_spec.rb::spec.integration.mailer_spec::Mailer sends the welcome email"
    console = "spec/integration/mailer_spec.rb::Mailer sends the welcome email"
    assert identity_key(report) == identity_key(console)
    other = "spec/integration/mailer_spec.rb::Mailer sends the reset email"
    assert identity_key(report) != identity_key(other)


def test_surefire_trailer_lines_are_boilerplate() -> None:
    assert is_boilerplate("[ERROR] See /home/r/w/target/surefire-reports for the individual test results.")
    assert is_boilerplate("[ERROR] See dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and "
                          "[date].dumpstream.")
    assert not is_boilerplate("[ERROR] Tests run: 58, Failures: 1, Errors: 0, Skipped: 0")


def _one(result_text: str) -> tuple[str, str, str]:
    (f,) = find([log_incident(result_text)], Config())
    return f.category, f.priority, f.title


def test_the_go_module_proxy_s_5xx_is_one_package_host_outage() -> None:
    fetch = "github.com/jackc/pgx/v5@v5.7.1: reading https://proxy.golang.org/github.com/jackc/pgx/v5/@v/v5.7.1.zip"
    download, build = f"go: {fetch}: 502 Bad Gateway", f"internal/store/pool.go:8:2: {fetch}: 502 Bad Gateway"
    found = find([log_incident(download, line=1), log_incident(build, line=9)], Config())
    assert [(f.category, f.priority) for f in found] == [("dependency-install-failure", "P1")]
    assert "proxy.golang.org" in found[0].title and "502" in found[0].priority_reason


def test_playwright_s_missing_browser_is_an_install_failure_naming_it() -> None:
    text = ("Error: browserType.launch: Executable doesn't exist at "
            "/home/runner/.cache/ms-playwright/chromium_headless_shell-1148/chrome-linux/headless_shell")
    category, priority, title = _one(text)
    assert (category, priority) == ("dependency-install-failure", "P0")
    assert "chromium_headless_shell" in title and "1148" in title


def test_an_expected_unauthorized_that_was_let_through_is_no_auth_error() -> None:
    details = "Assert.Equal() Failure: Values differ\nExpected: Unauthorized\nActual:   OK"
    (f,) = find([failing_test("A.Tests.WebhookTests::Verify_RejectsTamperedBody", details.splitlines()[0],
                              details=details)], Config())
    assert f.category == "assertion-failure", (f.category, f.rule_id)
    refused = "Assert.Equal() Failure: Values differ\nExpected: OK\nActual:   Unauthorized"
    (g,) = find([failing_test("A.Tests.ApiTests::Lists", refused.splitlines()[0], details=refused)], Config())
    assert g.category == "auth-error", (g.category, g.rule_id)


def test_an_rspec_report_s_exception_flush_left_is_a_runtime_exception() -> None:
    details = ("Failure/Error: client.deliver(template: \"welcome\")\n\nFaraday::TooManyRequestsError:\n"
               "  the server responded with status 429 for POST https://api.postmarkapp.com/email/withTemplate")
    (f,) = find([failing_test("./spec/a_spec.rb::spec.a_spec::Mailer sends", "the server responded with status 429",
                              details=details, error_type="Faraday::TooManyRequestsError")], Config())
    assert f.category == "runtime-exception" and f.priority == "P1", (f.category, f.priority_reason)
    assert "api.postmarkapp.com" in f.priority_reason


def test_a_title_value_that_varies_in_a_generated_part_is_shown_as_its_shape() -> None:
    from gardener.named import with_varying_parts_starred

    paths = [f"No such file: '/tmp/pytest-0/test_{name}0/exports/report.csv'" for name in ("a", "b", "c")]
    shape = "No such file: '/tmp/pytest-0/*/exports/report.csv'"
    assert with_varying_parts_starred({"what": paths}) == {"what": [shape]}
    modules = ["pkg.sub.x", "pkg.sub.y", "pkg.sub.z"]  # three things, not one place that varies
    assert with_varying_parts_starred({"module": modules}) == {"module": modules}
    two = ["acme/api:1.2.0", "acme/api:1.3.0"]
    assert with_varying_parts_starred({"image": two}) == {"image": two}


SUREFIRE = """\
[INFO] Running com.acme.ATest
[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.1 s <<< FAILURE! -- in com.acme.ATest
[ERROR] com.acme.ATest.works -- Time elapsed: 0.01 s <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <1> but was: <2>
	at com.acme.ATest.works(ATest.java:9)

[INFO] Results:
[INFO]
[ERROR] Failures:
[ERROR]   ATest.works:9 expected: <1> but was: <2>
[INFO]
[ERROR] Tests run: 58, Failures: 1, Errors: 0, Skipped: 3
"""


def test_surefire_s_totals_give_the_run_s_size_even_beside_fewer_reports(tmp_path: Path) -> None:
    from gardener.pipeline import RunOptions, build_report

    log = tmp_path / "verify.log"
    log.write_text(SUREFIRE, encoding="utf-8")
    report = tmp_path / "TEST-com.acme.ATest.xml"
    report.write_text('<testsuite name="com.acme.ATest" tests="2" failures="1"><testcase classname="com.acme.ATest" '
                      'name="works"><failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.'
                      'AssertionFailedError">at com.acme.ATest.works(ATest.java:9)</failure></testcase>'
                      '<testcase classname="com.acme.ATest" name="other"/></testsuite>', encoding="utf-8")
    (f,) = build_report(RunOptions(paths=(str(log), str(report))), Config()).findings
    assert "1 of 55 tests fail" in f.priority_reason, f.priority_reason


def test_a_kill_and_the_kernel_s_oom_record_are_one_finding_across_inputs() -> None:
    killed = log_incident("> Process 'Gradle Test Executor 4' finished with non-zero exit value 137",
                          path="test.log", line=66)
    record = log_incident("Out of memory: Killed process 5123 (java) total-vm:9876544kB, anon-rss:6712340kB",
                          path="dmesg.log", line=12)
    found = find([killed, record], Config())
    assert [(f.category, f.rule_id) for f in found] == [("out-of-memory", "oom.killer")], found
    assert len(found[0].results) == 2
    crashed = failing_test("tests/test_e.py::test_encode", "worker 'gw2' crashed while running test",
                           details="[gw2] node down: Not properly terminated\nrunning the test CRASHED with signal 9",
                           path="unit.log", kind="log")
    (f,) = find([crashed, record], Config())
    assert f.category == "out-of-memory" and "tests/test_e.py::test_encode" in f.tests, f
    other_job = log_incident("Out of memory: Killed process 77 (node) total-vm:1kB", path="build.log", line=3)
    assert sorted(f.rule_id for f in find([killed, other_job], Config())) == ["oom.exit-137", "oom.killer"]
