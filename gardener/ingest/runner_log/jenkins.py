"""Jenkins pipeline consoles: each `sh` step as a LogStep, and the stages incidents never cross.

A declarative or scripted pipeline prints `[Pipeline] stage` / `[Pipeline] { (Name)` around each stage
and `[Pipeline] sh` before each shell step, whose commands Jenkins runs with `sh -xe`: every command is
echoed as `+ command`, and the first failing one ends the step. A failed step is reported as
`ERROR: script returned exit code N`, right after it when a `catchError` or `try` goes on, or at the end
of the console when it failed the build (`Finished: FAILURE`). A step followed by another one ended
well unless such a line names it. Each step is named by its first command and its commands are the
script; its shell is `sh`. A stage, and each step's commands, are a boundary for incidents (`label`).
"""

from __future__ import annotations

from gardener import regex as re
from gardener.ingest.runner_log.steps import MAX_COMMAND_CHARS, OpenStep, failing_in, log_step
from gardener.model import LogStep, Result
from gardener.numbers import bounded_int
from gardener.text import CleanLine

JENKINS_MARK = "[Pipeline] "
_STAGE = re.lazy(r"^\[Pipeline\] \{ \((?P<stage>.+)\)\s*$")
_SHELL_STEP = re.lazy(r"^\[Pipeline\] (?P<shell>sh|bat|powershell|pwsh)\s*$")
_XTRACE = re.lazy(r"^\+ (?P<cmd>\S.*)$")
_SCRIPT_FAILED = re.lazy(r"^ERROR: script returned exit code (?P<code>-?\d+)")
_FINISHED = re.lazy(r"^Finished: (?P<result>[A-Z_]+)\s*$")
_TIMED_OUT = re.lazy(r"Cancelling nested steps due to timeout|Timeout has been exceeded", re.IGNORECASE)


class JenkinsSteps:
    """Feed every clean line; `label` names the stage (and step) a line belongs to."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.active = False
        self.label = ""
        self._stage = ""
        self._open: OpenStep | None = None
        self._in_output = False  # between `[Pipeline] sh` and the next `[Pipeline]` line
        self._done: list[OpenStep] = []
        self._succeeded = False

    def feed(self, number: int, line: CleanLine, warned: bool) -> bool:
        """True when a stage or a shell step starts: a boundary."""
        text = line.text
        if text.startswith(JENKINS_MARK):
            self.active = True
            return self._pipeline_line(number, line)
        if not self.active:
            return False
        step = self._open
        if text.startswith("ERROR: script returned exit code") and (m := _SCRIPT_FAILED.match(text)):
            failed = step or (self._done[-1] if self._done else None)  # the step that just ran
            if failed is not None and failed.exit_code is None:
                failed.exit_code = bounded_int(m.group("code"))
            return False
        if text.startswith("Finished: ") and (m := _FINISHED.match(text)):
            self._succeeded = m.group("result") == "SUCCESS"
            return False
        if step is None or not self._in_output:
            if step is not None and _TIMED_OUT.search(text):
                step.timed_out = True
            return False
        step.end_line = number
        if line.timestamp and (step.last_stamp is None or line.timestamp > step.last_stamp):
            step.last_stamp = line.timestamp
        if text.startswith("+ ") and (m := _XTRACE.match(text)):
            return self._command(m.group("cmd").strip())
        if text.strip():
            step.tail.append(text)
        if warned and not step.warning:
            step.warning = text.strip()
        return False

    def _pipeline_line(self, number: int, line: CleanLine) -> bool:
        self._in_output = False
        if (m := _SHELL_STEP.match(line.text)) is not None:
            self._close()
            self._open = OpenStep(
                f"{m.group('shell')} ({self._stage})" if self._stage else m.group("shell"),
                number,
                line.timestamp,
                end_line=number,
                in_header=False,
            )
            self._open.shell = m.group("shell")
            self._in_output = True
            self.label = f"{self._stage}: {m.group('shell')}"
            return True
        if (m := _STAGE.match(line.text)) is not None:
            self._stage = m.group("stage").strip()
            self.label = self._stage
            return True
        return False

    def _command(self, command: str) -> bool:
        """An echoed command of the open step: the first names the step (and starts its label)."""
        step = self._open
        assert step is not None
        first = not step.script
        if step.script_chars < MAX_COMMAND_CHARS:
            step.add_script(command)
        if first:
            step.name = command
            self.label = command
        return first

    def _close(self) -> None:
        if self._open is not None:
            self._done.append(self._open)
            self._open = None

    @property
    def succeeded(self) -> bool:
        """The console's last word was `Finished: SUCCESS`."""
        return self._succeeded

    def finish(self, results: tuple[Result, ...] | list[Result]) -> tuple[LogStep, ...]:
        self._close()
        failing = failing_in(self.path, results)
        last = len(self._done) - 1
        return tuple(
            log_step(self.path, step, i < last or self._succeeded, failing) for i, step in enumerate(self._done)
        )
