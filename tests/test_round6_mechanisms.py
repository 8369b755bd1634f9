"""Mechanisms the sixth scenario round needed (tests/scenarios/data6), each on its smallest real input."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log import parse
from gardener.model import SKIPPED_MODULES
from gardener.priority_evidence import ReachFacts, adjust

_REACTOR = """\
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
