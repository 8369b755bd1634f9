"""The steps of a GitHub Actions job, read from its runner log, as LogSteps.

The runner starts every step with `##[group]Run <command or action>`, echoes the script (then
`shell:`, `env:` or an action's `with:`) up to `##[endgroup]`, and ends a failed step with
`##[error]Process completed with exit code N.`. A step the log leaves without an exit code ended
well when another step (or the job's cleanup) follows; its exit code is unknown when the log ends
inside it, or when the runner cancelled it or ran out of time.

The tracker keeps a few numbers and a bounded tail per step, never the step's output. The key error
of a failed step is its first failing result (test or incident) when there is one, so the step and
the findings tell the same story; else the runner's own error line, else the last error-looking
line of the output.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.commands.outcome import KEY_ERROR_MAX_CHARS, exit_reason, is_wrapper, key_error
from gardener.model import AttemptStatus, LogStep, Result
from gardener.numbers import bounded_int
from gardener.text import CleanLine, clean_line

_STEP = "Run "
_EXIT = re.lazy(r"^Process completed with exit code (-?\d+)\.?")
_TIMED_OUT = re.lazy(r"has timed out after|exceeded the maximum execution time", re.IGNORECASE)
_HEADER_KEYS = re.lazy(r"^(shell|env|with):\s*(.*)$")
_HEADER_WORDS = ("shell:", "env:", "with:")  # tested first: a header that never closes sees every line
_JOB_END = ("Post job cleanup.", "Cleaning up orphan processes")
MAX_COMMAND_CHARS = 2000
TAIL_LINES = 80


class Unclean(str):
    """A tail line kept raw (the prefilter passed it over); cleaned only if the tail is read."""

    __slots__ = ()


@dataclass(slots=True)
class OpenStep:
    name: str
    line: int
    started_at: datetime | None
    end_line: int = 0
    last_stamp: datetime | None = None
    in_header: bool = True
    header_done: bool = False  # `shell:`/`env:`/`with:` seen: the script echo is over
    script: list[str] = field(default_factory=list)
    shell: str | None = None
    exit_code: int | None = None
    runner_errors: list[str] = field(default_factory=list)
    timed_out: bool = False
    warning: str = ""
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    script_chars: int = 0

    def add_script(self, text: str) -> None:
        self.script.append(text)
        self.script_chars += len(text)


class StepTracker:
    """Feed (line number, clean line) in order; `finish(results)` returns the steps.

    Lines the prefilter passes over are given in bulk (`skipped`): they can only extend the open step.
    """

    # Lines that open or close a step carry markup (always fed); these are the others it reads.
    HINTS = (r"^(?:Post job cleanup\.|Cleaning up orphan processes)$", r"^(?:shell|env|with):")

    def __init__(self, path: str) -> None:
        self.path = path
        self._open: OpenStep | None = None
        self._done: list[tuple[OpenStep, bool]] = []  # (step, followed by more of the job)

    def idle(self) -> bool:
        """No script echo being read: a line matching no hint only extends the open step."""
        step = self._open
        return step is None or not step.in_header or step.header_done or step.script_chars >= MAX_COMMAND_CHARS

    @property
    def open_step(self) -> bool:
        return self._open is not None

    @property
    def wants_tail(self) -> bool:
        return self._open is not None and not self._open.in_header

    def skipped(self, last: int, tail: list[str], latest: datetime | None) -> None:
        """Lines up to `last` passed over while idle: non-blank, unmarked; `tail` the last of them (at
        most TAIL_LINES, some maybe Unclean), `latest` their latest timestamp."""
        step = self._open
        if step is None:
            return
        step.end_line = last
        if latest and (step.last_stamp is None or latest > step.last_stamp):
            step.last_stamp = latest
        if not step.in_header:
            step.tail.extend(tail)

    def feed(self, number: int, line: CleanLine, warning: bool) -> None:
        text = line.text
        if line.marker == "group" and text.startswith(_STEP):
            self._close(followed=True, until=line.timestamp)
            self._open = OpenStep(text[len(_STEP) :].strip(), number, line.timestamp, end_line=number)
            return
        step = self._open
        if step is None:
            return
        if text in _JOB_END and not line.marker:
            self._close(followed=True, until=line.timestamp)
            return
        step.end_line = number
        if line.timestamp and (step.last_stamp is None or line.timestamp > step.last_stamp):
            step.last_stamp = line.timestamp  # the latest: a service's own older stamps must not shorten it
        if step.in_header:
            if line.marker == "endgroup":
                step.in_header = False
            else:
                self._header(step, text)
            return
        if line.marker == "error":
            self._runner_error(step, text)
        elif text.strip():
            step.tail.append(text)
        if warning and not step.warning:
            step.warning = text.strip()

    def _header(self, step: OpenStep, text: str) -> None:
        m = _HEADER_KEYS.match(text) if text.startswith(_HEADER_WORDS) else None
        if m and not text.startswith(" "):
            step.header_done = True
            if m.group(1) == "shell":
                step.shell = m.group(2).strip()
        elif not step.header_done and step.script_chars < MAX_COMMAND_CHARS:
            step.add_script(text)

    def _runner_error(self, step: OpenStep, text: str) -> None:
        if m := _EXIT.match(text):
            step.exit_code = bounded_int(m.group(1))
            return
        if _TIMED_OUT.search(text):
            step.timed_out = True
        if len(step.runner_errors) < 5:
            step.runner_errors.append(text.strip())

    def _close(self, followed: bool, until: datetime | None = None) -> None:
        """End the open step; `until` is when the next one started (the runner's own clock)."""
        if self._open is not None:
            self._open.last_stamp = until or self._open.last_stamp
            self._done.append((self._open, followed))
            self._open = None

    def finish(self, results: tuple[Result, ...] | list[Result]) -> tuple[LogStep, ...]:
        """The steps, each explained by the failing results read from its lines."""
        self._close(followed=False)
        failing = failing_in(self.path, results)
        return tuple(log_step(self.path, step, followed, failing) for step, followed in self._done)


def failing_in(path: str, results: tuple[Result, ...] | list[Result]) -> list[Result]:
    """The failing results read from the log at `path`, in line order: what explains its steps."""
    return sorted(
        (r for r in results if r.is_failing and r.source.path == path and r.source_line is not None),
        key=lambda r: r.source_line or 0,
    )


def log_step(path: str, step: OpenStep, followed: bool, failing: list[Result]) -> LogStep:
    exit_code = step.exit_code
    if exit_code is None and followed and not step.runner_errors:
        exit_code = 0  # the runner went on to the next step: this one passed
    status = _status(step, exit_code)
    mine = [r for r in failing if step.line <= (r.source_line or 0) <= step.end_line and not is_wrapper(r.message)]
    key = ""
    if status in ("FAILED", "TIMED OUT"):
        key = explain_failing(mine) or next(iter(step.runner_errors), "")
        if not key:
            lines = deque(clean_line(t).text if type(t) is Unclean else t for t in step.tail)
            key = key_error("\n".join(lines)) or _last_line(lines)
        key = key or (exit_reason(exit_code) if exit_code is not None else "")
    elif status == "SUCCESS WITH WARNINGS":
        key = step.warning
    script = "\n".join(step.script).strip()
    duration = None
    if step.started_at and step.last_stamp:
        duration = max(0.0, (step.last_stamp - step.started_at).total_seconds())
    return LogStep(
        path=path,
        name=step.name,
        command=script or step.name,
        # A `run:` step echoes its script; the runner prints `shell:` only when a shell or env is set for it.
        # An action echoes none (its `with:` inputs are header keys, not script).
        shell=step.shell if step.shell is not None or not script else "",
        line=step.line,
        end_line=step.end_line,
        exit_code=exit_code,
        status=status,
        key_error=_clip(key),
        started_at=step.started_at,
        duration_s=duration,
    )


def _status(step: OpenStep, exit_code: int | None) -> AttemptStatus:
    if step.timed_out:
        return "TIMED OUT"
    if (exit_code is not None and exit_code != 0) or step.runner_errors:
        return "FAILED"
    return "SUCCESS WITH WARNINGS" if step.warning else "SUCCESS"


def explain_failing(failing: list[Result]) -> str:
    """The first failing result of a step, as a line: `test - message`, or the incident's message."""
    if not failing:
        return ""
    first = failing[0]
    message = first.message.strip().splitlines()[0] if first.message.strip() else first.error_type
    line = message if first.id.startswith("log:") else f"{first.id} - {message}"  # a test is named
    more = len(failing) - 1
    return f"{line} (and {more} more failing)" if more else line


def _last_line(tail: deque[str]) -> str:
    """What the step printed last, when nothing in it looks like an error (`Found 1 error.`)."""
    return next((line.strip() for line in reversed(tail) if not is_wrapper(line)), "")


def _clip(text: str) -> str:
    return text if len(text) <= KEY_ERROR_MAX_CHARS else text[: KEY_ERROR_MAX_CHARS - 1] + "…"
