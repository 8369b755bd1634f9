"""Errors a job went on from: incidents of CI steps that ended well, in a log whose failure is elsewhere.

A long CI log prints error-looking lines that failed nothing: an install that retried and succeeded
(`Phantom installation failed ... Retrying install... succeeded`), a wheel that failed to build and
was then installed from source, a download that fell back to a build. On Travis CI and GitHub Actions
the runner names the step that failed inside that step (`The command "npm test" exited with 1.`,
`Process completed with exit code 1.`), so a step before it that the log leaves without such a line
ended well. An incident whose line is in such a step is not why the job failed: it is dropped, so the
failed step's own incident (or its failing tests) is the first finding.

Kept whatever their step: the machine-level kinds whose harm shows later (a full disk, the OOM
killer, a lost runner), and every earlier incident when the failed step's own failures look like
consequences of an earlier step (a refused connection, a module, command or file not found, a name
that does not resolve, a timeout): a step that "ended well" by `|| true` may have left a service down
or a package missing, and that incident is then the cause. Nothing is dropped when no step is known
to have failed: a log without steps (a pasted excerpt, a plain console). A CI system that says so only
after the job (GitLab's `Job failed`, Jenkins' `script returned exit code`) blames the last step that ran a
command of the job's script (`$ make test`, `+ make test`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from gardener import regex as re
from gardener.ingest.runner_log.grouping import Incident
from gardener.model import Result
from gardener.text import CleanLine

# The step-failed lines printed inside the step that failed (Travis, GitHub Actions, Azure Pipelines' script
# tasks, CircleCI).
_IN_STEP = ('The command "', "Process completed with exit code ", "Error: Process completed with exit code ",
            "Bash exited with code ", "PowerShell exited with code ", "Cmd.exe exited with code ",
            "Exited with code ")
_NOT_FAILED = ("Process completed with exit code 0", "Error: Process completed with exit code 0",
               "Bash exited with code '0'", "PowerShell exited with code '0'", "Cmd.exe exited with code '0'",
               "Exited with code 0", "Exited with code exit status 0")
# A runner's verdict on the whole job, printed after its steps (GitLab, Jenkins): the step that failed is the
# last one that ran a command of the job's script (`$ make test`, Jenkins' `+ make test`).
_JOB_VERDICT = ("ERROR: Job failed: exit code ", "ERROR: script returned exit code ", "script returned exit code ")
_COMMAND_ECHO = ("$ ", "+ ")
# Harm that shows in a later step: a step that "ended well" may have left the machine broken.
_LASTING = frozenset(("disk-full", "oom-killed", "out-of-memory", "runner-shutdown", "runner-lost", "timeout"))
# Failures that an earlier step's failure explains (consequences.py folds them under it).
_CONSEQUENCE_KINDS = frozenset(("connection-refused", "dns", "command-not-found", "timeout", "ruby-load"))
_CONSEQUENCE = re.lazy(
    r"(?i)connection refused|ECONNREFUSED|ConnectionError|ConnectionRefused|could not resolve host|name or service not"
    r"|getaddrinfo|ModuleNotFoundError|ImportError|No module named|Cannot find module|command not found|: not found"
    r"|No such file or directory|cannot load such file|ClassNotFoundException|NoClassDefFoundError|timed? ?out"
)


class StepOutcomes:
    """Fed every clean line with whether it starts a CI step; knows where steps start and which failed.

    A line matching none of HINTS (nor the layout's, whose lines it also hears) changes nothing."""

    HINTS = ("^(?:" + "|".join(re.escape(s) for s in (*_IN_STEP, *_JOB_VERDICT)) + ")",)

    def __init__(self) -> None:
        self.starts: list[int] = [0]  # the first line of each step (step 0: before any marker)
        self.failed: set[int] = set()  # indices into `starts`
        self._command_step = -1  # the last step that started at a command of the job's script

    def feed(self, number: int, line: CleanLine, boundary: bool) -> None:
        text = line.text
        # A GitHub group is a step only as `##[group]Run ...`; others (`##[group]ruff output`) are inside one.
        if boundary and (
            line.marker not in ("group", "endgroup") or (line.marker == "group" and text.startswith("Run "))
        ):
            self.starts.append(number)
        if boundary and text.startswith(_COMMAND_ECHO):
            self._command_step = len(self.starts) - 1
        if text.startswith(_IN_STEP) and not text.startswith(_NOT_FAILED) and " exited with 0" not in text:
            self.failed.add(len(self.starts) - 1)
        elif text.startswith(_JOB_VERDICT) and not self.failed and self._command_step > 0 and not text.endswith(" 0"):
            self.failed.add(self._command_step)

    def step_of(self, line: int) -> int:
        return bisect.bisect_right(self.starts, line) - 1


def went_on_from(
    incidents: Sequence[Incident], keep: Sequence[bool], outcomes: StepOutcomes, tests: Iterable[Result]
) -> list[bool]:
    """`keep`, with False for incidents whose line is in a step that ended well before the first failed step.

    A step with a failing test read in it failed too (its exit line may be the reader's).
    """
    if not outcomes.failed:
        return list(keep)
    failing = [t for t in tests if t.is_failing and t.source_line is not None]
    failed = outcomes.failed | {outcomes.step_of(t.source_line) for t in failing if t.source_line is not None}
    first = min(failed)
    in_failed = [i for i in incidents if outcomes.step_of(i.line) in failed]
    if any(_CONSEQUENCE_KINDS.intersection(i.kinds) or _CONSEQUENCE.search(i.message) for i in in_failed) or any(
        _CONSEQUENCE.search(f"{t.error_type} {t.message}") for t in failing
    ):
        return list(keep)  # the failed step may be failing because of an earlier one

    def went_on(incident: Incident) -> bool:
        step = outcomes.step_of(incident.line)
        return step < first and step not in failed and not _LASTING.intersection(incident.kinds)

    return [k and not went_on(i) for i, k in zip(incidents, keep, strict=True)]
