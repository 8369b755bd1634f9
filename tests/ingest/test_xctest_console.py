"""XCTest's console output read as tests (runner_log/xctest.py): failed, flaky on a retried iteration, Linux names."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log
from gardener.model import Result

RETRIED = """\
Test Case '-[Kit.CartTests testRounds]' started.
/ci/Tests/CartTests.swift:48: error: -[Kit.CartTests testRounds] : XCTAssertEqual failed: ("1799") != ("1800")
Test Case '-[Kit.CartTests testRounds]' failed (0.004 seconds).
Test Case '-[Kit.CartTests testEmpty]' started.
Test Case '-[Kit.CartTests testEmpty]' passed (0.001 seconds).
Test Case '-[Kit.SyncTests testFlush]' started.
/ci/Tests/SyncTests.swift:61: error: -[Kit.SyncTests testFlush] : Asynchronous wait failed: timed out
Test Case '-[Kit.SyncTests testFlush]' failed (2.014 seconds).
Test Case '-[Kit.CartTests testRounds]' started (Iteration 2 of 3).
/ci/Tests/CartTests.swift:48: error: -[Kit.CartTests testRounds] : XCTAssertEqual failed: ("1799") != ("1800")
Test Case '-[Kit.CartTests testRounds]' failed (0.003 seconds).
Test Case '-[Kit.SyncTests testFlush]' started (Iteration 2 of 3).
Test Case '-[Kit.SyncTests testFlush]' passed (0.412 seconds).
** TEST FAILED **
"""

LINUX = """\
Test Case 'CityTests.testParsesCoordinates' started at 2026-12-07 09:52:40.119
/src/Tests/CityTests.swift:12: error: CityTests.testParsesCoordinates : XCTAssertEqual failed: ("1") != ("2")
Test Case 'CityTests.testParsesCoordinates' failed (0.002 seconds)
"""


def _results(tmp_path: Path, text: str) -> dict[str, Result]:
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    return {r.id: r for r in runner_log.parse(log).results if r.is_test}


def test_a_case_failing_every_iteration_fails_and_one_passing_on_a_retry_is_flaky(tmp_path: Path) -> None:
    got = _results(tmp_path, RETRIED)
    assert set(got) == {"Kit.CartTests::testRounds", "Kit.SyncTests::testFlush"}
    rounds, flush = got["Kit.CartTests::testRounds"], got["Kit.SyncTests::testFlush"]
    assert (rounds.outcome, rounds.source_line, rounds.attempts) == ("failed", 2, 2)
    assert (rounds.file, rounds.line) == ("/ci/Tests/CartTests.swift", 48)
    assert rounds.message.startswith("XCTAssertEqual failed")
    assert (flush.outcome, flush.attempts) == ("flaky", 2)


def test_swift_corelibs_xctest_names_are_read(tmp_path: Path) -> None:
    (result,) = _results(tmp_path, LINUX).values()
    assert (result.id, result.outcome) == ("CityTests::testParsesCoordinates", "failed")
