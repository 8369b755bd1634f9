"""Session 12's excerpt mechanisms (excerpts-12): families that transfer, not items.

Test frameworks with no console reader record a failed expectation in their own words, and the generic layer
(line_category.py) did not know them, so a pasted run was `unclassified` on the runner's closing verdict:
EUnit's assert macros (`**error:{assertEqual_failed,...`), Julia's Test (`Test Failed at file:line`) and testthat's
failure listing (`── Failure ('test-x.R:12:3'): name ──`). Their closing verdicts (`Error: Test failures`,
`ERROR: One or more eunit tests failed.`) name no test and no reason: they are summaries (locator.SUMMARY_LINE), so the
failure block above them is the evidence. Each text below is quoted from a public source (cited), with near misses
that must not match.
"""

from __future__ import annotations

from pathlib import Path

from gardener.config import Config
from gardener.ingest.runner_log.locator import is_summary_line
from gardener.line_category import name_line
from tests.rules.excerpt_first import first_finding_of

# EUnit before OTP 18 (`assertEqual_failed`): msantos/erlxc#3 and rebar/rebar#537; OTP 18+ (`assertEqual`):
# exercism/erlang#243.
EUNIT_LINES = (
    "**error:{assertEqual_failed,[{module,liblxc_tests},",  # msantos/erlxc#3
    "**error:{assertEqual_failed,[{module,myapp_mymod3},",  # rebar/rebar#537
    "::{assertEqual_failed,[{module,edotsandboxes_board},",  # edotsandboxes tutorial (rebar eunit), part 2
    "**error:{assertEqual,[{module,raindrops_tests},",  # exercism/erlang#243
)
# Julia's Test: JuliaLang/julia#57095 (1.12, path shortened), JuliaLang/julia#22315 has the bare `Test Failed`
# header over `Expression:`; Julia 0.2's Base.Test (its manual, and burrowsa/RunTests.jl's PkgEval run).
JULIA_LINES = (
    "Test Failed at /Users/julia/share/julia/stdlib/v1.12/Test/test/runtests.jl:872",
    "Canines: Test Failed at none:12",
    "ERROR: test failed: :((1==0))",
)
# testthat 3: NOAA-FIMS/FIMS#1424; a revdepcheck report's dbplyr entry (no column); an R CMD check log that lost the
# rule characters (`Failure ('...'): name`).
TESTTHAT_LINES = (
    "── Failure ('test-create_default_configurations.R:47:3'): `create_default_configurations()` works ──",
    "── Failure ('test-join-by.R:236'): nicely catches missing arguments when wrapped ──",
    " Failure ('test-load_data_frame.R:53:5'): load_data_frame handles incorrect column names",
)
# Near misses: scripts that print `ERROR: Test failed: <their exception>` (an S3 client's 403, a refused connection),
# testthat's error kind (an exception in a test, not an expectation), an EUnit exception term.
NOT_ASSERTIONS = (
    ("ERROR: Test failed: 403 (RequestTimeTooSkewed): The difference between the request time and the current time "
     "is too large.", None),
    ("ERROR: Test failed: [Errno 111] Connection refused", "connection-refused"),
    ("── Error ('test-class.R:8'): Generated CSS ─────────────────────────────────────", None),
    ("**error:badarg", None),
)


def test_frameworks_failed_expectations_name_an_assertion() -> None:
    for line in (*EUNIT_LINES, *JULIA_LINES, *TESTTHAT_LINES):
        named = name_line(line)
        assert named is not None and named.category == "assertion-failure", line


def test_near_misses_are_not_assertions() -> None:
    for line, category in NOT_ASSERTIONS:
        named = name_line(line)
        assert (named.category if named else None) == category, line


# Closing verdicts naming no test: testthat 3.0-3.2 (`Error: Test failures`, a revdepcheck report), 3.3 (`! Test
# failures.`, a testthat issue about etiennebacher/test.snapshot.ci), rebar 2 (the edotsandboxes tutorial).
VERDICTS = ("Error: Test failures", "! Test failures.", "ERROR: One or more eunit tests failed.",
            "Error: ! Test failures. Execution halted")
# Near misses: a sentence that goes on, a count.
NOT_VERDICTS = ("Test failures: 0", "Error: Test failures in tests/test-api.R prevent the release: fix them first")


def test_a_runners_closing_verdict_is_a_summary() -> None:
    assert all(is_summary_line(v) for v in VERDICTS)
    assert not any(is_summary_line(v) for v in NOT_VERDICTS)


# rebar 2's eunit run (the edotsandboxes tutorial, part 2): the assertion block above rebar's verdict.
REBAR_EUNIT = """$ rebar eunit
==> edotsandboxes_server (eunit)
edotsandboxes_board:20: grid_test_ (module
'edotsandboxes_board')...*failed*
::{assertEqual_failed,[{module,edotsandboxes_board},
                     {line,21},
                     {expression,"grid ( 3 )"},
                     {expected,'???'},
                     {value,not_implemented}]}


=======================================================
  Failed: 1.  Skipped: 0.  Passed: 0.
ERROR: One or more eunit tests failed."""
# R CMD check's tail of a testthat 3.3 run (the testthat issue above).
TESTTHAT_33 = """Running the tests in 'tests/testthat.R' failed.
Last 13 lines of output:
  Saving _problems/test-print-2.R
  [ FAIL 1 | WARN 0 | SKIP 0 | PASS 1 ]

  ══ Failed tests ════════════════════════════════════════════════════════════════
  ── Failure ('test-print.R:2:3'): print ─────────────────────────────────────────
  Adding new snapshot:
  Code
    1 + 1
  Output
    [1] 2

  [ FAIL 1 | WARN 0 | SKIP 0 | PASS 1 ]
  Error:
  ! Test failures.
  Execution halted"""
# A revdepcheck report's dbplyr entry (testthat 3.1, `Error: Test failures`).
TESTTHAT_31 = """Running the tests in 'tests/testthat.R' failed.
Last 13 lines of output:
  ══ Failed tests ════════════════════════════════════════════════════════════════
  ── Failure ('test-join-by.R:236'): nicely catches missing arguments when wrapped ──
  `fn(a)` did not throw the expected error.

  [ FAIL 1 | WARN 0 | SKIP 311 | PASS 2743 ]
  Error: Test failures
  Execution halted"""


def test_a_pasted_run_is_its_failed_expectation_not_the_verdict(tmp_path: Path) -> None:
    config = Config()
    for text, line in ((REBAR_EUNIT, "assertEqual_failed"), (TESTTHAT_33, "Failure ('test-print.R:2:3')"),
                       (TESTTHAT_31, "Failure ('test-join-by.R:236')")):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority) == ("assertion-failure", "P2"), text
        lead = first.results[0]
        assert lead.source_line is not None and line in text.split("\n")[lead.source_line - 1], text
