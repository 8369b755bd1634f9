"""Errors a job went on from: incidents of CI steps that ended well, in a log whose failure is elsewhere.

A long CI log prints error-looking lines that failed nothing: an install that retried and succeeded
(`Phantom installation failed ... Retrying install... succeeded`), a download that fell back to a
build from source, an optional dependency skipped. On Travis CI and GitHub Actions the runner names
the step that failed, inside that step (`The command "npm test" exited with 1.`, `Process completed
with exit code 1.`), and a step the log leaves without such a line, followed by later steps, ended
well. An incident in such a step, before the failed step, is not why the job failed: it is dropped
so the failed step's own incident is the first finding.

Kept whatever their step: incidents that carry a step-failed line themselves, and the machine-level
kinds whose harm shows later (a full disk, the OOM killer, a lost runner). Nothing is dropped when
no step is known to have failed, or when the steps are unknown (a pasted excerpt, a plain console).
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener.ingest.runner_log.grouping import Incident

# The kind the runners' own "this step failed" lines anchor as (anchors.py, families.py), and the two such
# lines printed inside the step that failed (an incident's keys are its anchors' masked texts). GitLab's
# `Job failed` and Jenkins' `script returned exit code` come after the step, in no step or another one.
STEP_FAILED = "exit-code"
_IN_STEP = ('the command "', "process completed with exit code")
# Harm that shows in a later step: a step that "ended well" may have left the machine broken.
_LASTING = frozenset(("disk-full", "oom-killed", "out-of-memory", "runner-shutdown", "runner-lost", "timeout"))


def went_on_from(incidents: Sequence[Incident], keep: Sequence[bool]) -> list[bool]:
    """`keep`, with False for the incidents of steps that ended well before the first failed step."""
    failed = [i for i, k in zip(incidents, keep, strict=True) if k and i.step and _names_its_step(i)]
    if not failed:
        return list(keep)
    failed_steps = {i.step for i in failed}
    first_failed = min(i.line for i in failed)
    return [
        k
        and not (
            i.step
            and i.step not in failed_steps
            and i.last_line < first_failed
            and STEP_FAILED not in i.kinds
            and not _LASTING.intersection(i.kinds)
        )
        for i, k in zip(incidents, keep, strict=True)
    ]


def _names_its_step(incident: Incident) -> bool:
    return STEP_FAILED in incident.kinds and any(key.startswith(_IN_STEP) for key in incident.keys)
