"""How a CommandSpec becomes the argv that runs and the line the worklog shows, with --focus.

Commands run without a shell by default: `run` is split with shlex, so nothing in a focus word
or a config value is ever interpreted by a shell. `shell = true` opts in to `/bin/sh -c`, and
then the focus expression is shell-quoted before it is appended.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from gardener.model import CommandSpec

# Appended when `focus_arg` is unset and the argv runs pytest.
PYTEST_FOCUS_ARG = "-k {focus}"
FOCUS_PLACEHOLDER = "{focus}"


class UnusableCommand(Exception):
    """A configured command that cannot even be turned into an argv (empty, bad quoting)."""


@dataclass(frozen=True, slots=True)
class CommandLine:
    argv: tuple[str, ...]
    display: str


def focus_expression(focus: Sequence[str]) -> str:
    """The focus words as one selection expression: `a or b` (pytest -k syntax)."""
    return " or ".join(word.strip() for word in focus if word.strip())


def runs_pytest(argv: Sequence[str]) -> bool:
    """True for `pytest ...`, `py.test ...`, `python -m pytest ...`, `uv run pytest ...`."""
    for i, token in enumerate(argv):
        if PurePath(token).name in ("pytest", "py.test"):
            return True
        if token == "-m" and i + 1 < len(argv) and argv[i + 1] == "pytest":
            return True
    return False


def build_command_line(spec: CommandSpec, focus: Sequence[str] = ()) -> CommandLine:
    """The argv to execute and the command as displayed, focus appended where it applies."""
    expression = focus_expression(focus)
    if spec.shell:
        return _shell_command_line(spec, expression)
    try:
        argv = shlex.split(spec.run)
    except ValueError as exc:
        raise UnusableCommand(f"cannot parse command: {exc}") from exc
    if not argv:
        raise UnusableCommand("empty command")
    template = spec.focus_arg
    if template is None:
        template = PYTEST_FOCUS_ARG if runs_pytest(argv) else ""
    if expression and template:
        try:
            extra = shlex.split(template)
        except ValueError as exc:
            raise UnusableCommand(f"cannot parse focus_arg: {exc}") from exc
        # Substituted per token, after splitting: the expression stays one argument.
        argv += [token.replace(FOCUS_PLACEHOLDER, expression) for token in extra]
    return CommandLine(argv=tuple(argv), display=shlex.join(argv))


def _shell_command_line(spec: CommandSpec, expression: str) -> CommandLine:
    script = spec.run.strip()
    if not script:
        raise UnusableCommand("empty command")
    # No pytest guess for shell scripts: appending to `pytest | tee log` would feed tee.
    if expression and spec.focus_arg:
        script = f"{script} {spec.focus_arg.replace(FOCUS_PLACEHOLDER, shlex.quote(expression))}"
    return CommandLine(argv=("/bin/sh", "-c", script), display=script)
