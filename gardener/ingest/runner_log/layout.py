"""The CI job around a log's lines: which step each line belongs to, on GitHub Actions, GitLab CI and
Jenkins alike, and the job's steps as LogSteps.

A log is one job of one CI system, but nothing says which: each system's tracker watches for its own
markers (`##[group]Run`, `section_start:`, `[Pipeline]`; markers.py for Travis, Buildkite, Azure
Pipelines and CircleCI) and stays silent on the others' logs. `step`
is the label of the step or section the current line belongs to; a boundary (a new step, a section,
a GitHub group) is where the test-output readers close what they hold and past which an incident never
grows.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.ingest.runner_log.gitlab import GITLAB_BANNER, GitLabSteps
from gardener.ingest.runner_log.jenkins import JENKINS_MARK, JenkinsSteps
from gardener.ingest.runner_log.markers import MARKER_HINTS, MarkerSteps
from gardener.ingest.runner_log.steps import StepTracker
from gardener.ingest.runner_log.travis_steps import TravisSteps
from gardener.model import LogStep, Result
from gardener.text import CleanLine


def is_post_job(line: CleanLine) -> bool:
    """GitHub Actions' post-job cleanup starts here: `Post job cleanup.`, or a `Post <step>` group (what checkout
    prints there, `fatal: No url found for submodule ...`, follows the job's end and never explains it)."""
    text = line.text.strip()
    return text == "Post job cleanup." or (line.marker == "group" and text.startswith("Post "))


class JobLayout:
    """Feed (line number, raw line, clean line, whether it warns) in order; `finish(results)` gives the steps.

    Lines with markup always reach it; of the others, those matching HINTS (or holding RAW_WORD in
    their raw form), and every line once a GitLab, Jenkins or marker-only log has shown itself.
    """

    HINTS = (
        "arn|ARN",  # a warning: the step's first one is kept
        "^" + re.escape(GITLAB_BANNER),
        "^" + re.escape(JENKINS_MARK),
        *MARKER_HINTS,
        *StepTracker.HINTS,
        "section_",  # GitLab's section markers, read from the raw line (RAW_WORD)
    )
    RAW_WORD = "section_"

    def __init__(self, path: str) -> None:
        self.github = StepTracker(path)
        self.gitlab = GitLabSteps(path)
        self.jenkins = JenkinsSteps(path)
        self.markers = MarkerSteps()  # Travis, Buildkite, Azure Pipelines, CircleCI: step labels only
        self.travis = TravisSteps(path)  # Travis's judged commands, as steps
        self.step = ""
        # The line is the runner's housekeeping after a failed job (GitLab's `*_on_failure` sections, GitHub
        # Actions' post-job cleanup): a consequence of the failure, never an incident of its own.
        self.aftermath = False
        self._cleanup = False  # inside GitHub Actions' post-job cleanup (until a step of the job's own starts)

    def idle(self) -> bool:
        return (
            not self.gitlab.active
            and not self.jenkins.active
            and not self.markers.system
            and self.github.idle()
        )

    def feed(self, number: int, raw: str, line: CleanLine, warned: bool) -> bool:
        """True at a boundary: the readers of test output should close what they hold."""
        boundary = False
        if line.marker in ("group", "endgroup"):
            boundary = True
            self.step = line.text.strip() if line.marker == "group" else self.step
        if line.marker == "group" or line.text.startswith("Post job cleanup."):
            self._cleanup = is_post_job(line)
        self.github.feed(number, line, warned)
        # The other systems' trackers only see lines once their log shows itself (cheap tests first).
        if ((self.gitlab.active or "section_" in raw or line.text.startswith(GITLAB_BANNER))
                and self.gitlab.feed(number, raw, line, warned)):
            boundary, self.step = True, self.gitlab.label
        jenkins = self.jenkins.active or line.text.startswith(JENKINS_MARK)
        if jenkins and self.jenkins.feed(number, line, warned):
            boundary, self.step = True, self.jenkins.label
        elif not (self.gitlab.active or self.jenkins.active) and (label := self.markers.feed(line)) is not None:
            boundary, self.step = True, label
        if self.markers.system == "travis":
            self.travis.feed(number, line)
        self.aftermath = self._cleanup or self.gitlab.aftermath
        return boundary

    def job_succeeded(self) -> bool:
        """The job's own verdict is success (Jenkins' `Finished: SUCCESS`, GitLab's `Job succeeded`): whatever
        failed in it was caught (`catchError(buildResult: 'SUCCESS')`, `|| true`) and failed no pipeline."""
        return self.jenkins.succeeded or self.gitlab.succeeded

    def finish(self, results: tuple[Result, ...] | list[Result]) -> tuple[LogStep, ...]:
        steps = (*self.github.finish(results), *self.gitlab.finish(results), *self.jenkins.finish(results),
                 *self.travis.finish(results))
        return tuple(sorted(steps, key=lambda s: s.line))
