"""Errors stages raise; only cli.py turns them into exit codes."""

from __future__ import annotations


class GardenerError(Exception):
    """A failure gardener can explain in one line."""


class InputError(GardenerError):
    """An input file that cannot be read as what it claims to be."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(GardenerError):
    """A configuration value that is missing, of the wrong type or out of range."""

    def __init__(self, source: str, option: str, reason: str) -> None:
        super().__init__(f"{source}: {option}: {reason}")
        self.source = source
        self.option = option
        self.reason = reason


class TemplateError(GardenerError):
    """A template that does not parse or render; names the template and line."""

    def __init__(self, name: str, line: int | None, reason: str) -> None:
        where = f"{name}:{line}" if line else name
        super().__init__(f"template {where}: {reason}")
        self.name = name
        self.line = line


class TrackerError(GardenerError):
    """The issue tracker refused or failed a request that could not be retried."""


class OutputError(GardenerError):
    """An output gardener cannot write (--out, a document, plan.json, the step summary): names it and why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: cannot write: {reason}")
        self.path = path
        self.reason = reason
