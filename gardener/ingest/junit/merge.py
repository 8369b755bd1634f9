"""Reruns merged by identity: one Result per test, `flaky` when it failed and also passed.

Runs of one test reach a report in three shapes, all handled here:
- surefire/Gradle: one `<testcase>` with `flakyFailure`/`rerunFailure` children per earlier run;
- repeated `<testcase>` entries with results (gotestsum --rerun-fails, TestNG retries, merges);
- pytest-rerunfailures: a result-less entry for every failed attempt, the result on the last.

In a pytest report (suite `pytest`) a result-less entry before the last is a failed attempt
(elsewhere it means "passed"); attempts are those entries plus the last. An entry that does
carry a result there is not an attempt: pytest writes a second `<testcase>` when a test fails in
call and then errors in teardown (an error that says "failed on teardown with", folded into the
failure before it, as the more severe outcome), and pytest-subtests one per failing subtest.
So in pytest: any failing entry makes the test fail; only failed attempts followed by a pass
make it `flaky`. Everywhere else: failed on some runs and passed on another is `flaky`; failed
on every run is the most severe failing outcome. Evidence comes from the last of the worst.
"""

from __future__ import annotations

from dataclasses import replace

from gardener.ingest.junit.case import CaseRecord, Interim
from gardener.ingest.junit.values import bound
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
    return _merge_pytest(runs) if pytest else _merge_entries(runs)


def _merge_pytest(runs: list[CaseRecord]) -> Result:
    final = runs[-1]
    failed_attempts = sum(1 for run in runs[:-1] if run.outcome == "passed")  # result-less entries
    attempts = failed_attempts + 1
    failing = [run for run in runs if run.outcome in FAILING_OUTCOMES]
    if failing:
        return _as_run(_worst(failing).result, _worst(failing).outcome, attempts)
    if final.outcome == "passed" and failed_attempts:
        return _as_run(final.result, "flaky", attempts)
    return _as_run(final.result, final.outcome, attempts)


def _merge_entries(runs: list[CaseRecord]) -> Result:
    final = runs[-1]
    attempts = sum(1 + len(run.interim) for run in runs)
    failing = [run for run in runs if run.outcome in FAILING_OUTCOMES]
    passed = any(run.outcome == "passed" for run in runs)
    interim = [i for run in runs for i in run.interim]
    if passed and failing:
        return _as_run(failing[-1].result, "flaky", attempts)
    if passed and interim:
        return _as_run(final.result, "flaky", attempts, interim[-1])
    if failing:
        worst = _worst(failing)
        return _as_run(worst.result, worst.outcome, attempts)
    return _as_run(final.result, "passed" if passed else final.outcome, attempts)


def _worst(failing: list[CaseRecord]) -> CaseRecord:
    """The last run with the most severe outcome (error > failed)."""
    return max(reversed(failing), key=lambda run: _SEVERITY[run.outcome])


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
