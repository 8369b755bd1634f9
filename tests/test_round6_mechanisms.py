"""Mechanisms the sixth scenario round needed (tests/scenarios/data6), each on its smallest real input."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log import parse
from gardener.model import SKIPPED_MODULES
from gardener.priority_evidence import ReachFacts, adjust

_REACTOR = """\
[INFO] ------------------------< dev.acme:acme-core >-------------------------
[INFO] Building acme-core 1.0.0-SNAPSHOT                                  [2/4]
[INFO] Running dev.acme.core.MoneyTest
[ERROR] Tests run: 22, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.087 s <<< FAILURE! -- in a.MoneyTest
[ERROR] dev.acme.core.MoneyTest.allocates -- Time elapsed: 0.011 s <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <1> but was: <2>
\tat dev.acme.core.MoneyTest.allocates(MoneyTest.java:58)

[INFO] Results:
[INFO]
[ERROR] Failures:
[ERROR]   MoneyTest.allocates:58 expected: <1> but was: <2>
[INFO]
[ERROR] Tests run: 117, Failures: 1, Errors: 0, Skipped: 0
[INFO]
[INFO] Reactor Summary for acme-parent 1.0.0-SNAPSHOT:
[INFO]
[INFO] acme-parent ........................................ SUCCESS [  0.612 s]
[INFO] acme-core .......................................... FAILURE [ 14.208 s]
[INFO] acme-api ........................................... SKIPPED
[INFO] acme web ........................................... SKIPPED
[INFO] BUILD FAILURE
"""


def _surefire(tmp_path: Path, text: str) -> tuple[tuple[str, str], ...]:
    log = tmp_path / "build.log"
    log.write_text(text, encoding="utf-8")
    (result,) = [r for r in parse(log).results if r.is_test]
    return result.properties


def test_maven_reactor_skipped_modules_are_set_on_the_failing_tests(tmp_path: Path) -> None:
    props = dict(_surefire(tmp_path, _REACTOR))
    assert props[SKIPPED_MODULES] == "acme-api, acme web"


def test_without_module_headers_the_goal_that_failed_on_tests_names_the_module(tmp_path: Path) -> None:
    headless = _REACTOR.split("\n", 2)[2]  # an excerpt: no `Building` line says which module the tests ran in
    assert SKIPPED_MODULES not in dict(_surefire(tmp_path, headless))
    goal = ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.2:test (default-test) "
            "on project acme-core: There are test failures.\n")
    assert dict(_surefire(tmp_path, headless + goal))[SKIPPED_MODULES] == "acme-api, acme web"
    assert SKIPPED_MODULES not in dict(_surefire(tmp_path, headless + goal.replace("acme-core", "acme-api")))


def test_a_reactor_that_skipped_nothing_sets_nothing(tmp_path: Path) -> None:
    text = _REACTOR.replace("SKIPPED", "SUCCESS [  1.0 s]")
    assert SKIPPED_MODULES not in dict(_surefire(tmp_path, text))


def test_a_test_failure_that_stops_the_build_is_raised_naming_the_skipped_modules() -> None:
    facts = ReachFacts(failed=1, ran=117, skipped_modules="acme-api, acme-web")
    priority, reason = adjust("P2", "assertion-failure defaults to P2", "test", facts, "assertion-failure")
    assert priority == "P1"
    assert "only 1 of 117" in reason and "acme-api, acme-web" in reason and "stops the build" in reason


def test_without_skipped_modules_one_failing_test_stays_p2() -> None:
    facts = ReachFacts(failed=1, ran=117)
    assert adjust("P2", "r", "test", facts, "assertion-failure")[0] == "P2"
    # Not a test-level category: the stopped build is its own layer's business.
    assert adjust("P2", "r", "build", ReachFacts(skipped_modules="api"), "lint-failure")[0] == "P2"


def test_an_http_client_s_bare_5xx_takes_its_host_from_the_dumped_request_url() -> None:
    from gardener.priority_evidence import outage_of

    axios = ("AxiosError: Request failed with status code 503\n    at settle (axios/lib/core/settle.js:19:12)\n"
             "    Cause:\n      config: {\n        method: 'post',\n"
             "        url: 'https://api-m.sandbox.paypal.com/v1/payments/payouts',\n      },\n"
             "      response: { status: 503, statusText: 'Service Unavailable' }")
    assert outage_of(axios) == ("api-m.sandbox.paypal.com", "503")
    # The job's own service (a private address, loopback) is not a third party's outage.
    assert outage_of(axios.replace("api-m.sandbox.paypal.com", "127.0.0.1")) == ("", "")
    # A 4xx is the request's fault, not an outage; no URL, no host to name.
    assert outage_of(axios.replace("503", "404")) == ("", "")
    assert outage_of("AxiosError: Request failed with status code 503") == ("", "")


_PLAYWRIGHT = """\
Running 4 tests using 2 workers

  ✘   1 [chromium] › orders.spec.ts:33:7 › orders › shows the refund total (5.6s)
  ✘   2 [chromium] › search.spec.ts:18:7 › search › shows suggestions (5.3s)
  ✓   3 [chromium] › search.spec.ts:18:7 › search › shows suggestions (retry #1) (1.9s)
  ✘   4 [chromium] › orders.spec.ts:33:7 › orders › shows the refund total (retry #1) (5.4s)


  1) [chromium] › orders.spec.ts:33:7 › orders › shows the refund total ────────────────────────

    Error: Timed out 5000ms waiting for expect(locator).toHaveText(expected)

    Expected string: "€18.40"
    Received string: "€18.04"

    > 37 |     await expect(page.getByTestId('refund-total')).toHaveText('€18.40');
         |                                                    ^
        at /home/runner/work/shop/shop/e2e/orders.spec.ts:37:52

    Retry #1 ───────────────────────────────────────────────────────────────────────────────────────

    Error: Timed out 5000ms waiting for expect(locator).toHaveText(expected) again

        at /home/runner/work/shop/shop/e2e/orders.spec.ts:37:52

  2) [chromium] › search.spec.ts:18:7 › search › shows suggestions ──────────────────

    Error: Timed out 5000ms waiting for expect(locator).toBeVisible()

        at /home/runner/work/shop/shop/e2e/search.spec.ts:21:72

  1 failed
    [chromium] › orders.spec.ts:33:7 › orders › shows the refund total ─────────────────────────
  1 flaky
    [chromium] › search.spec.ts:18:7 › search › shows suggestions ───────────────────
  2 passed (11.8s)
"""


def test_playwright_s_listing_is_read_with_each_test_s_verdict(tmp_path: Path) -> None:
    log = tmp_path / "e2e.log"
    log.write_text(_PLAYWRIGHT, encoding="utf-8")
    got = {r.id: r for r in parse(log).results}
    assert set(got) == {"orders.spec.ts::orders › shows the refund total", "search.spec.ts::search › shows suggestions"}
    broken = got["orders.spec.ts::orders › shows the refund total"]
    assert broken.outcome == "failed" and broken.file is not None and broken.file.endswith("e2e/orders.spec.ts")
    assert broken.line == 37 and broken.message.startswith("Error: Timed out 5000ms")
    assert "again" not in broken.message and "> 37 |" not in broken.message  # not the retry, not the code frame
    assert _PLAYWRIGHT.split("\n")[broken.source_line - 1].strip().startswith("Error: Timed out")
    assert got["search.spec.ts::search › shows suggestions"].outcome == "flaky"  # passed on retry #1


def test_a_playwright_listing_cut_before_its_verdicts_keeps_its_tests_failed(tmp_path: Path) -> None:
    log = tmp_path / "e2e.log"
    log.write_text(_PLAYWRIGHT.split("  1 failed")[0], encoding="utf-8")
    assert {r.outcome for r in parse(log).results} == {"failed"}
