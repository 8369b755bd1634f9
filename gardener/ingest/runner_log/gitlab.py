"""GitLab CI job traces: sections, the script's `$ command` lines as steps, and the job's verdict.

The runner wraps each phase in `section_start:<unix time>:<name>\\r\\e[0K` … `section_end:…` markers
(`prepare_executor`, `get_sources`, `step_script`, `after_script`, `upload_artifacts_on_failure`, …),
echoes every script line as `$ command` (in green) and ends with `Job succeeded` or
`ERROR: Job failed: exit code N`. The script stops at its first failing command, so a command
followed by another one of its section succeeded and the last command of the script failed when the
job did. Each command is a LogStep (its shell is not printed: `shell` is ""), named by the command, so
the worklog lists the commands as attempts; a section or a command is also a boundary incidents never
cross (`label`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from gardener import regex as re
from gardener.ingest.runner_log.steps import MAX_COMMAND_CHARS, OpenStep, failing_in, log_step
from gardener.model import LogStep, Result
from gardener.numbers import bounded_int
from gardener.text import CleanLine

_SECTION = re.lazy(r"section_(?P<edge>start|end):(?P<ts>\d+):(?P<name>[\w.-]+)")
_COMMAND = re.lazy(r"^\$ (?P<cmd>\S.*)$")
_JOB_FAILED = re.lazy(r"^ERROR: Job failed(?:: exit code (?P<code>-?\d+)|(?P<other>.*))")
_TIMED_OUT = re.lazy(r"execution took longer than|job timed out|timed out after", re.IGNORECASE)
GITLAB_BANNER = "Running with gitlab-runner"
_AFTER_SCRIPT = "after_script"
SCRIPT_SECTIONS = ("step_script", "build_script", "script", _AFTER_SCRIPT)
# The runner's own work once the script failed (`upload_artifacts_on_failure`, `archive_cache_on_failure`,
# cleanup): what it prints there (`ERROR: No files to upload`) follows from the failure, never explains it.
_AFTERMATH = ("_on_failure", "cleanup_file_variables")
# The runner's own phases, before and after the job's commands: what a job verdict never blames.
_RUNNER_PHASES = ("prepare_executor", "prepare_script", "get_sources", "restore_cache", "download_artifacts",
                  "archive_cache", "upload_artifacts_on_success", *_AFTERMATH)


def is_runner_phase(label: str) -> bool:
    """True for a section of the runner's own work (`get_sources`, `upload_artifacts_on_failure`, cleanup)."""
    return label.startswith(_RUNNER_PHASES) or label.endswith(_AFTERMATH)


def section_marker(raw: str) -> tuple[str, str, datetime | None] | None:
    """(start | end, section name, time) of a raw trace line carrying a section marker."""
    if "section_" not in raw:
        return None
    m = _SECTION.search(raw)
    if m is None:
        return None
    return m.group("edge"), m.group("name"), _time(m.group("ts"))


def _time(seconds: str) -> datetime | None:
    """A section marker's Unix time, or None when no datetime holds it (a garbled or hostile marker)."""
    try:
        return datetime.fromtimestamp(bounded_int(seconds), UTC)
    except (OverflowError, ValueError, OSError):
        return None


class GitLabSteps:
    """Feed every line (raw and clean); `label` names the section or command a line belongs to."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.active = False  # a GitLab trace: its markers were seen
        self.label = ""
        self.aftermath = False  # inside a section the runner runs after a failed script
        self._section = ""
        self._section_start: datetime | None = None
        self._open: OpenStep | None = None
        self._open_section = ""
        self._done: list[tuple[OpenStep, bool, str]] = []  # (command, followed in its section, section)
        self._verdict_seen = False
        self.succeeded = False  # the job's last verdict was `Job succeeded` (a later `Job failed` wins)

    def feed(self, number: int, raw: str, line: CleanLine, warned: bool) -> bool:
        """True when a section or a command starts or a section ends: a boundary."""
        marker = section_marker(raw)
        if marker is not None:
            self.active = True
            edge, name, when = marker
            self._close(followed=False)
            if edge == "start":
                self._section, self._section_start, self.label = name, when, name
            else:
                self._section, self.label = "", ""
            self.aftermath = bool(self._section) and self._section.endswith(_AFTERMATH)
            return True
        if not self.active:
            if line.text.startswith(GITLAB_BANNER):
                self.active = True
            return False
        text = line.text
        if self._section in SCRIPT_SECTIONS and text.startswith("$ ") and (m := _COMMAND.match(text)):
            self._close(followed=True)
            command = m.group("cmd").strip()[:MAX_COMMAND_CHARS]
            self._open = OpenStep(command, number, self._section_start, end_line=number, in_header=False)
            self._open.add_script(command)
            self._open.shell = ""
            self._open_section = self._section
            self.label = command
            return True
        if text.startswith("ERROR: Job failed") and (m := _JOB_FAILED.match(text)):
            self._job_failed(m)
        elif text.startswith("Job succeeded") and text.rstrip() == "Job succeeded":  # the runner's whole line
            self._verdict_seen = True
            self.succeeded = True
        elif (step := self._open) is not None:
            step.end_line = number
            if text.strip():
                step.tail.append(text)
            if warned and not step.warning:
                step.warning = text.strip()
        return False

    def _close(self, followed: bool) -> None:
        if self._open is not None:
            self._done.append((self._open, followed, self._open_section))
            self._open = None

    def _job_failed(self, m: re.Match[str]) -> None:
        """The job's last script command (not an after_script one) is the one that failed."""
        self._close(followed=False)
        self._verdict_seen = True
        self.succeeded = False
        for step, followed, section in reversed(self._done):
            if section == _AFTER_SCRIPT or followed:
                continue
            if m.group("code") is not None:
                step.exit_code = bounded_int(m.group("code"))
            elif _TIMED_OUT.search(m.group("other") or ""):
                step.timed_out = True
            else:
                step.runner_errors.append(m.group(0).strip())
            return

    def finish(self, results: tuple[Result, ...] | list[Result]) -> tuple[LogStep, ...]:
        self._close(followed=False)
        failing = failing_in(self.path, results)
        return tuple(
            log_step(self.path, step, followed or (self._verdict_seen and step.exit_code is None), failing)
            for step, followed, _ in self._done
        )
