"""Each console reader's HINTS, apart from the reader: what dispatch needs before a log calls for the reader.

A reader's HINTS (console.py) say which lines can wake it from idle. They live here, in a module that
imports nothing but the regex wrapper, so dispatch can route lines with every reader's hints while
importing a reader's module only when a line first matches them (most logs call for one or two of
the dozen readers). Each reader class sets `HINTS` to its constant here; the words a reader also tests
by hand (`str.startswith`) are here too, so the hint and the test cannot drift apart.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.ingest.runner_log.prefilter import SPACE


def _starts(words: tuple[str, ...]) -> str:
    return "^(?:" + "|".join(re.escape(w) for w in words) + ")"


# pytest's reader (pytest_text.reader.PytestReader.HINTS) runs alone too, outside any runner log, so it
# keeps its own; this copy must equal it (tests/ingest/test_lazy_readers.py).
PYTEST = (
    "while loading conftest",
    "^INTERNALERROR>",
    r"^(?:=|\d+ [a-z]|no tests ran|(?:collecting \.\.\. ?)?collected 0 )",
    "::",
    "^(?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS|RERUN)",
)

# How a line of jest's report starts (after blanks; jest_lines.START).
JEST_START_WORDS = ("●", "PASS", "FAIL", "LOGGING RETRY ERRORS", "Test Suites:", "Summary of all failing")
# A workspace task runner's prefix before each line of one package's output (jest_lines.TASK_PREFIX): Turborepo's
# `web:test: ` (`@acme/web:test: `), pnpm -r's `packages/web test: `, nx / lerna --stream's `web: `, yarn's `[web]: `.
TASK_PREFIX = r"(?:\[[\w@./:-]+\]|[@\w][\w@./-]*(?:[: ][\w.-]+(?::[\w.-]+)*)?):"
_JEST_WORDS = "(?:" + "|".join(re.escape(w) for w in JEST_START_WORDS) + ")"
# An indented line naming a URL and a 5xx: a client's console message about a host's answer
# (`    [pay] POST https://api.example.com/v1/x -> 503 Service Unavailable`): jest_lines.SERVER_ERROR.
JEST_SERVER_ERROR = r"\s+\S.*(?:https?://\S+.*\b50[0-4]\b|\b50[0-4]\b.*https?://)"
JEST = (
    f"^(?:{TASK_PREFIX} )?{SPACE}*{_JEST_WORDS}",
    f"^(?:{TASK_PREFIX} )?Tests:",
    f"^(?:{TASK_PREFIX} )?{JEST_SERVER_ERROR}",
)

# The reactor summary's skipped and failed modules too (`[INFO] api ..... SKIPPED`): the build the failure stopped,
# and each module's header (`[INFO] Building api 1.0 [3/4]`): which module a test ran in.
SUREFIRE = (
    "Time elapsed|Tests run:|There are test failures|Running |Results",
    r"\.\.\s*(?:SKIPPED\s*$|FAILURE)",
    r"^\[INFO\] Building \S",
)

# How a line that starts something of go test's report begins (a result line may be indented).
GO_STARTS = ("==", "panic: ", "fatal error: ", "ok", "FAIL", "?", "# ", "DONE ", "exit status", "PASS")
# A test's log line (`    foo_test.go:12: want 2`), which may come before the `--- FAIL` line naming its test.
GO_LOG_LINE = r"^ {4}[\w.-]+\.go:\d+:(?: |$)"
GO = (_starts(GO_STARTS), "--- ", GO_LOG_LINE)

CARGO = (r"^(?:test |---- |error: |failures:|--- |─)", r"^ .*(?:Running |Doc-tests |didn't exit|\] |Starting )")
GITLAB_SERVICES = (r"^(?:Starting service |\*\*\* WARNING:)",)
PRETTIER_LIST = ("prettier",)
DOTNET = (r"^\s*(?:Failed|Passed|Skipped)\s+\w[\w`+<>,]*\.", r"^\[xUnit\.net ")
RSPEC = (
    r"^Failures:",
    r"^An error occurred (?:while loading|in a)",
    r"^Failed examples:",
    r"^rspec '?\S+(?::\d+|\]'?) # ",
    r"^\d+ examples?, \d+ failures?",
    # A log cut inside `Failures:` (a window of a long log): a numbered header right above `Failure/Error:`
    # (indented, or not when the cut took its indent: rspec.HEADER reads both).
    r"^\s*\d+\) \S",
    r"^\s+Failure/Error: ",
)
PHPUNIT = (r"^There (?:was|were) \d+ ",)
VITEST = (r"⎯ Failed (?:Tests|Suites) \d+ ⎯", r"[✓√] [^\s>]+\.[cm]?[jt]sx? > .*\(retry x\d+\)")
NEXTFLOW = (r"^Error executing process > '",)
# Ginkgo's spec block header (v2 `• [FAILED] [10.4 seconds]`, v1 `• Failure [10.4 seconds]`, a flaked spec) and its
# closing summary.
GINKGO = (
    r"^\s*[•↺]\s*(?:\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED|FLAKEY TEST)|Failure |Panic )",
    r"^(?:Summarizing \d+ Failures?:|Ran \d+ of \d+ Specs? in )",
)
# mocha's `N failing`; Cypress's retried attempt (`(Attempt 1 of 3) title`; cypress-plugin-retries'
# `(retry 1/2 ) title`).
MOCHA = (r"^\s*\d+ failing\s*$", r"^\s*\((?:Attempt \d+ of \d+|retry \d+/\d+ ?)\) \S")
EXUNIT = (r"^\s+\d+\) (?:test|doctest|property|feature) ", r"^\s+\d+\) [A-Z][\w.]*: failure on setup_all callback")
MINITEST = (r"^\s*(?:\d+\) )?(?:Failure|Error):\s*$", r"^\d+ (?:runs|tests), \d+ assertions, ")
TAP = (r"^\s*not ok\b", r"^\s*#\s+Failed ", r"^\S+\.t \.\.", r"^\s*Bail out!", r"^\S+\s+\(Wstat: ")
PESTER = (r"^\s*\[-\] ", r"^\s*(?:Describing|Context) \S")
# XCTest's case brackets (`Test Case '-[M.C test]' started.`), failure lines (`X.swift:48: error: -[M.C t] : ...`).
XCTEST = (r"^\s*Test Case '", r"\.swift:\d+: error: ")
# Playwright's failure listing (`1) [chromium] › a.spec.ts:3:7 › title`) and its verdict sections (`1 flaky`).
PLAYWRIGHT = (r"^\s*\d+\) \[[^\]]+\] › ", r"^\s*\d+ (?:failed|flaky|interrupted)\s*$")
