"""A tool's own closing count or verdict ranks below the lines it summarises (families_summary.py, locator.py).

`error: could not compile`, Julia's `Some tests did not pass`, cabal's `Tests failed for`, Playwright's `1 failed`,
RSpec's rerun list and luacheck's `Total:` say how many failed, never what: they are wrappers to the anchors and
never the line the locator picks, and a failure whose only recognised line is such a summary takes its evidence
from the line above it that explains it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.ingest.runner_log.anchors import WRAPPER, match_anchor
from gardener.ingest.runner_log.locator import is_summary_line, locate, score
from tests.corpus_scoring import first_finding

SUMMARIES = (
    "error: could not compile `widget` (lib) due to 3 previous errors",
    "ERROR: LoadError: Some tests did not pass: 41 passed, 1 failed, 0 errored, 0 broken.",
    "ERROR: Package Widget errored during testing",
    "Error: cabal: Tests failed for test:widget-test from widget-0.1.0.0.",
    "  3 failed",
    "rspec ./spec/widget_spec.rb:11 # Widget#parse returns a number",
    "Total: 2 warnings / 1 error in 3 files",
    "failed to run: /checkout/obj/build/bootstrap/debug/bootstrap --stage 2 test tidy",
    "FAILED: Build did NOT complete successfully",
    "1 warning treated as error",
)


@pytest.mark.parametrize("line", SUMMARIES)
def test_a_summary_is_a_wrapper_and_never_located(line: str) -> None:
    anchor = match_anchor(line)
    assert is_summary_line(line)
    assert anchor is not None and anchor.rule.rank == WRAPPER
    assert score(line) == 0


@pytest.mark.parametrize(
    "line",
    ["  ✘   2 [chromium] › tests/login.spec.ts:12:5 › signs in (5.1s)", "Checking src/a.lua   OK", "3 passed"],
)
def test_lines_that_are_not_summaries(line: str) -> None:
    assert not is_summary_line(line)


def test_the_locator_passes_over_a_summary_for_the_line_it_counts() -> None:
    lines = [(1, "parse: Test Failed at /w/test/runtests.jl:12"), (2, "  Expression: parse(\"1\") == 2"),
             (3, "ERROR: LoadError: Some tests did not pass: 41 passed, 1 failed, 0 errored, 0 broken.")]
    assert locate(lines) == lines[0]


def test_luachecks_report_line_is_the_evidence_not_its_total(tmp_path: Path) -> None:
    lines = ["##[group]Run luacheck .", "luacheck .", "##[endgroup]", "Checking src/a.lua   1 warning", "",
             "    src/a.lua:3:7: unused variable x", "", "Total: 1 warning / 0 errors in 1 file",
             "##[error]Process completed with exit code 1.", "Post job cleanup.", "Cleaning up orphan processes"]
    assert first_finding(tmp_path, lines) == ("lint-failure", 6)


def test_julias_failed_test_is_the_evidence_not_its_summary(tmp_path: Path) -> None:
    lines = ["     Testing Running tests...", "parse: Test Failed at /w/Widget.jl/test/runtests.jl:12",
             "  Expression: Widget.parse(\"1\") == 2", "   Evaluated: 1 == 2", "Test Summary: | Pass  Fail  Total",
             "Widget        |   41     1     42",
             "ERROR: LoadError: Some tests did not pass: 41 passed, 1 failed, 0 errored, 0 broken.",
             "ERROR: Package Widget errored during testing"]
    assert first_finding(tmp_path, lines) == ("assertion-failure", 2)


def test_a_failure_known_only_by_its_summary_is_located_above_it(tmp_path: Path) -> None:
    # No anchor reads the failing line itself: the summary anchors alone and the locator looks up its step.
    lines = ["##[group]Run ./run-checks", "./run-checks", "##[endgroup]", "checking widget", "checking parser",
             "parser: expected 2 but got 1", "",
             "ERROR: LoadError: Some tests did not pass: 4 passed, 1 failed, 0 errored",
             "##[error]Process completed with exit code 1.", "Post job cleanup.", "Cleaning up orphan processes"]
    assert first_finding(tmp_path, lines)[1] == 6


def test_a_summary_counts_from_its_first_line_a_wrapper_from_its_last() -> None:
    lines = [(1, "a.lua:3:7: error: unused variable x"), (2, "b.lua:9:1: error: unused variable y")]
    assert locate(lines, first=True) == lines[0]
    assert locate(lines) == lines[1]


def test_a_failure_known_only_by_its_summary_is_located_at_the_first_line_it_counts(tmp_path: Path) -> None:
    lines = ["##[group]Run ./run-checks", "./run-checks", "##[endgroup]", "parser: expected 2 but got 1",
             "render: expected 'a' but got 'b'", "",
             "ERROR: LoadError: Some tests did not pass: 3 passed, 2 failed, 0 errored",
             "##[error]Process completed with exit code 1.", "Post job cleanup.", "Cleaning up orphan processes"]
    assert first_finding(tmp_path, lines)[1] == 4
