"""Whole-run retry verdicts: a runner that reruns a run's failed tests and says once, at the end, how the reruns ended.

The .NET Microsoft Testing Platform retry extension (`--retry-failed-tests N`) closes a run whose later attempt passed
with `Tests suite completed successfully in 2 attempts`, and one whose every attempt failed with `Tests suite failed in
all 4 attempts`; gotestsum `--rerun-fails` closes with `DONE 2 runs, 214 tests in 14.8s` when no failure is left and
`DONE 3 runs, 214 tests, 1 failure in 14.8s` when one is. The verdict sits after the attempts' own failure listings,
beyond the window a log reader keeps with each failure, so rules reading that window never see it. Here a failure
listed before a verdict (and after the verdict before it) takes the verdict: flaky when a later attempt passed, its
attempts counted when none did.

Ginkgo with flake attempts (`--flake-attempts`, `-flakeAttempts`) lists a spec that failed and then passed on a retry
under `Summarizing 1 Failure:` and still closes its suite `SUCCESS! -- 99 Passed | 0 Failed`: a failure listed in a
suite that closes with no failure left passed on its retry (later versions add `| 1 Flaked`, which names the flake in
the verdict's own words: flaky.passed-on-retry's, left to it). A suite closing
`FAIL! -- ... | 1 Failed` keeps its failures. Such a verdict rules only on its own suite (from its `Running Suite:`
line, else the text's start), so a failure earlier in the job is not its. Pure: results and the log's text in, results
out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from gardener import regex as re
from gardener.model import Result
from gardener.numbers import bounded_int

# The property a failure a passing verdict made flaky carries: key_changes.py finds the failures whose key it changed.
RETRY_VERDICT = "retry_verdict"
# The same for a Ginkgo suite's closing verdict (key-v10).
SUITE_VERDICT = "suite_verdict"

_VERDICT = re.lazy(
    r"(?m)^[ \t]*(?:Tests suite completed successfully in (?P<passed>\d+) attempts"
    r"|Tests suite failed in all (?P<failed>\d+) attempts"
    r"|DONE (?P<runs>\d+) runs, \d+ tests(?:, \d+ skipped)?(?P<left>, \d+ failures?)?(?:, \d+ errors?)? in [\d.]+m?s"
    r"|(?P<suite>SUCCESS!|FAIL!) -- \d+ Passed \| (?P<suite_failed>\d+) Failed\b(?P<flaked> \| [1-9]\d* Flaked)?)"
)
# Where a Ginkgo suite's output starts (v1 `Running Suite: Cats Suite`, v2 the same with `- /path`).
_SUITE_START = re.lazy(r"(?m)^[ \t]*Running Suite: ")


@dataclass(frozen=True, slots=True)
class Verdict:
    line: int  # the file's line number of the verdict
    attempts: int
    passed: bool  # a later attempt passed
    first: int = 0  # the first file line it rules on (a Ginkgo suite's start; 0: any line after the verdict before)
    prop: str = RETRY_VERDICT  # the property a failure it makes flaky carries


def verdicts(text: str, first_line: int = 1) -> tuple[Verdict, ...]:
    """The retry verdicts in `text` whose first line is the file's `first_line`; a single attempt is none."""
    found = []
    for m in _VERDICT.finditer(text):
        if m.group("suite") is not None:
            passed = m.group("suite") == "SUCCESS!" and bounded_int(m.group("suite_failed")) == 0
            if not (passed and m.group("flaked")):  # `| 1 Flaked` names the flake itself (flaky.passed-on-retry)
                found.append(_suite_verdict(text, first_line, m.start(), passed))
            continue
        digits = m.group("passed") or m.group("failed") or m.group("runs")
        attempts = bounded_int(digits) if digits else 0
        if attempts < 2:
            continue
        passed = m.group("passed") is not None or (m.group("runs") is not None and m.group("left") is None)
        found.append(Verdict(first_line + text.count("\n", 0, m.start()), attempts, passed))
    return tuple(found)


def _suite_verdict(text: str, first_line: int, at: int, passed: bool) -> Verdict:
    """A Ginkgo suite's closing verdict at offset `at`: it rules on its suite's lines only (a failing suite's verdict
    is kept so that a later suite's success does not rule on its failures)."""
    start = max((m.start() for m in _SUITE_START.finditer(text, 0, at)), default=0)
    return Verdict(first_line + text.count("\n", 0, at), 2 if passed else 1, passed,
                   first=first_line + text.count("\n", 0, start), prop=SUITE_VERDICT)


def _governing(line: int | None, found: Sequence[Verdict]) -> Verdict | None:
    """The first verdict at or after `line`: the one that closes the run the line's failure was listed in, if it rules
    on that line."""
    if line is None:
        return None
    v = next((v for v in found if v.line >= line), None)
    return v if v is not None and line >= v.first else None


def apply(results: Sequence[Result], path: str, found: Sequence[Verdict]) -> tuple[Result, ...]:
    """`results` with each failure read from `path` before a verdict taking it: outcome `flaky` when a later attempt
    passed, else its attempts counted."""
    if not found:
        return tuple(results)
    out = []
    for r in results:
        v = _governing(r.source_line, found) if r.source.path == path and r.is_failing else None
        if v is None:
            out.append(r)
        elif v.passed:
            out.append(replace(r, outcome="flaky", attempts=max(r.attempts, v.attempts),
                               properties=(*r.properties, (v.prop, f"passed after {v.attempts} attempts"))))
        else:
            out.append(replace(r, attempts=max(r.attempts, v.attempts)))
    return tuple(out)
