"""Reruns merged by identity: one Result per test, `flaky` when it failed and also passed.

Runs of one test reach a report in three shapes, all handled here:
- surefire/Gradle: one `<testcase>` with `flakyFailure`/`rerunFailure` children per earlier run;
- repeated `<testcase>` entries with results (gotestsum --rerun-fails, TestNG retries, merges);
- pytest-rerunfailures: a result-less entry for every failed attempt, the result on the last.
  A result-less entry means "passed" everywhere else, so in a pytest report (suite `pytest`)
  every entry but the last is read as a failed attempt, and the last one decides.
pytest also writes a second `<testcase>` when a test fails in call and then errors in teardown.
That is one run, not a rerun: an entry whose error says "failed on teardown with" right after a
failed entry is folded into it (as an error, the more severe), never counted as an attempt.
Everywhere else: failed on some runs and passed on another is `flaky`; failed on every run is
the most severe failing outcome, with its latest evidence; `attempts` counts every run.
"""

from __future__ import annotations

from dataclasses import replace

from gardener.ingest.junit_case import CaseRecord, Interim
from gardener.ingest.junit_values import bound
from gardener.model import FAILING_OUTCOMES, Outcome, Result

_SEVERITY = {"error": 2, "failed": 1}


def blank_run(record: CaseRecord, outcome: Outcome) -> CaseRecord:
    """An earlier run of the same test known only by its outcome (its evidence was not kept)."""
    result = replace(record.result, outcome=outcome, message="", error_type="", details="")
    return CaseRecord(record.key, result)


def fold_teardown(runs: list[CaseRecord]) -> list[CaseRecord]:
    folded: list[CaseRecord] = []
    for run in runs:
        if run.is_teardown_error and folded and folded[-1].outcome == "failed":
            call = folded[-1].result
            details = bound(f"{call.details}\n\n{run.result.details}".strip())
            teardown = replace(
                call,
                outcome="error",
                message=run.result.message,
                error_type=run.result.error_type,
                details=details,
            )
            folded[-1] = CaseRecord(folded[-1].key, teardown, folded[-1].interim)
        else:
            folded.append(run)
    return folded


def merge_runs(runs: list[CaseRecord], pytest: bool) -> Result:
    runs = fold_teardown(runs)
    final = runs[-1]
    attempts = sum(1 + len(run.interim) for run in runs)
    failing = [run for run in runs if run.outcome in FAILING_OUTCOMES]
    passed = [run for run in runs if run.outcome == "passed"]
    interim = [i for run in runs for i in run.interim]
    blank_failures = 0
    if pytest:
        blank_failures = len(passed) - (1 if final.outcome == "passed" else 0)
        passed = [final] if final.outcome == "passed" else []
    if passed and (failing or interim or blank_failures):
        if failing:
            return _as_run(failing[-1].result, "flaky", attempts)
        return _as_run(final.result, "flaky", attempts, interim[-1] if interim else None)
    if failing:
        worst = max(reversed(failing), key=lambda run: _SEVERITY[run.outcome])  # the last of the worst
        return _as_run(worst.result, worst.outcome, attempts)
    return _as_run(final.result, final.outcome, attempts)


def _as_run(result: Result, outcome: Outcome, attempts: int, evidence: Interim | None = None) -> Result:
    """`result` as the outcome of all runs; unchanged (the same object) for a single plain run."""
    if evidence is not None:
        return replace(
            result,
            outcome=outcome,
            attempts=attempts,
            message=evidence.message,
            error_type=evidence.error_type,
            details=evidence.details,
        )
    if outcome == result.outcome and attempts == result.attempts:
        return result
    return replace(result, outcome=outcome, attempts=attempts)
