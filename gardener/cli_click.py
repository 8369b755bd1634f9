"""The click classes gardener's commands are made of: what they change is only what a start costs.

- Run from the entry point, a command compiles its dataclasses through gardener/dataclass_code.py's
  table, installed when its body is about to run: `--help`, `--version` and usage errors define no
  dataclass, so they import neither the table nor `dataclasses`.
- Help is laid out at the width click would choose, found without `shutil` (whose import loads zlib,
  bz2 and lzma, ~2 ms of a ~45 ms `--help`).
- Options share one instance of each path type (FILE, DIRECTORY): each `click.Path()` looks its name
  up through gettext, which searches the locale folders every time (~170,000 instructions each).

Every group made with `cls=GardenerGroup` passes the first two on to its commands and subgroups.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click
import click.formatting

FILE = click.Path(dir_okay=False)  # shown as FILE; stateless, so one serves every option
DIRECTORY = click.Path(file_okay=False)


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`, as click's HelpFormatter asks it: $COLUMNS when a positive
    integer, else the terminal on stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, closed, detached, or not a terminal
        return 80


class GardenerContext(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width
        if width is None and click.formatting.FORCED_WIDTH is None:  # click's own rule, in HelpFormatter
            max_width = 80 if self.max_content_width is None else self.max_content_width
            width = max(min(terminal_columns(), max_width) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


class GardenerCommand(click.Command):
    context_class = GardenerContext
    # Set by the entry point (cli.main) only: the command group run otherwise (click's CliRunner, a program
    # embedding it) leaves `dataclasses` as it found it, as importing gardener does.
    installs_code_table = False

    def invoke(self, ctx: click.Context) -> Any:
        if GardenerCommand.installs_code_table:
            from gardener.dataclass_code import install

            install()  # the models' methods compile once per interpreter, not at every start
        return super().invoke(ctx)


class GardenerGroup(click.Group):
    context_class = GardenerContext
    command_class = GardenerCommand
    group_class = type  # subgroups are GardenerGroups too
