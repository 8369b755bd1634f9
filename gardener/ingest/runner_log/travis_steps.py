"""Travis CI commands as LogSteps: each command Travis itself judged, with the exit code it reports.

Travis echoes every command as `$ command` (its own housekeeping too: `$ git clone`, `$ export X=…`,
`$ ruby --version`) and ends each command of the install and script phases with `The command "…"
exited with N.` (older workers: `failed and exited with N during …`). Only those judged commands are
steps: they are what the build ran and how each ended (a script phase runs every command even after
one fails, so a job can show a failed install and later commands). A step spans from its `$ command`
line to the verdict line; its shell is the job's (not printed).
"""

from __future__ import annotations

from gardener import regex as re
from gardener.ingest.runner_log.steps import MAX_COMMAND_CHARS, OpenStep, failing_in, log_step
from gardener.model import LogStep, Result
from gardener.numbers import bounded_int
from gardener.text import CleanLine

_COMMAND = re.lazy(r"^\$ (?P<cmd>\S.*?)\s*$")
_VERDICT = re.lazy(r"^The command \"(?P<cmd>.+)\" (?:failed and )?exited with (?P<code>-?\d+)\b")


class TravisSteps:
    """Feed every clean line of a Travis log; `finish(results)` gives the judged commands as steps."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._started: dict[str, tuple[int, CleanLine]] = {}  # command -> where it was last echoed
        self._done: list[OpenStep] = []

    def feed(self, number: int, line: CleanLine) -> None:
        text = line.text
        if text.startswith("$ ") and (m := _COMMAND.match(text)):
            self._started[m.group("cmd")] = (number, line)
        elif text.startswith("The command ") and (m := _VERDICT.match(text)):
            command = m.group("cmd")
            start, echoed = self._started.pop(command, (number, line))
            step = OpenStep(command[:MAX_COMMAND_CHARS], start, echoed.timestamp, end_line=number, in_header=False)
            step.shell = ""
            step.add_script(command[:MAX_COMMAND_CHARS])
            step.exit_code = bounded_int(m.group("code"))
            step.last_stamp = line.timestamp
            self._done.append(step)

    def finish(self, results: tuple[Result, ...] | list[Result]) -> tuple[LogStep, ...]:
        failing = failing_in(self.path, results)
        return tuple(log_step(self.path, step, True, failing) for step in self._done)
