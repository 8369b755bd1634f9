"""A job whose own verdict is success although something in it failed: the failure was caught.

Jenkins' `catchError(buildResult: 'SUCCESS', stageResult: 'FAILURE')` is the idiom for a stage allowed to fail (a
pre-release interpreter, an experimental target): the stage is marked failed, the console still ends `Finished:
SUCCESS`. GitLab's `Job succeeded` after a failing command (`cmd || true`) says the same. The failing results of
such a log carry `job_succeeded`, which priority_evidence reads: a failure that failed nothing is P3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener.model import Result

JOB_SUCCEEDED = ("job_succeeded", "true")


def mark_caught(results: Sequence[Result]) -> tuple[Result, ...]:
    """`results` of a job that succeeded, each failing one marked `job_succeeded`."""
    return tuple(replace(r, properties=(*r.properties, JOB_SUCCEEDED)) if r.is_failing else r for r in results)
