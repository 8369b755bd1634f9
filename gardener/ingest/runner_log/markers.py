"""The step a line belongs to on the CI systems that print only markers: Travis CI, Buildkite, Azure
Pipelines and CircleCI (GitHub Actions, GitLab CI and Jenkins have trackers of their own).

- Travis: `travis_fold:start:install` opens a fold; a top-level `$ command` is the next build phase's
  command (the failing one is named again by `The command "…" exited with N.`).
- Buildkite: `~~~ `, `--- ` and `+++ ` at the start of a line open a collapsed, closed or expanded
  group (a go test's `--- FAIL:` and a diff's `--- a/file` are not groups).
- Azure Pipelines: `##[section]Starting: Name` opens a task.
- CircleCI: a step's output begins with its shell's shebang (`#!/bin/bash -eo pipefail`) and then
  echoes its command.

Each system is recognised by its own first marker, so a plain console, or another system's log, never
gets steps from a line that only looks like one. Only the label is kept: the step of an incident.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.text import CleanLine

_TRAVIS_FOLD = re.lazy(r"^travis_fold:start:(?P<name>[\w.-]+)")
# Raw logs fold `travis_fold:...\r\x1b[0K` into the next line, which cleaning keeps: the worker header shows it.
_TRAVIS_SEEN = ("travis_fold:", "travis_time:", "Worker information", "Using worker: ", "Build system information")
_TRAVIS_COMMAND = re.lazy(r"^\$ (?P<cmd>\S.*)$")
_BUILDKITE = re.lazy(r"^(?:~~~|---|\+\+\+) (?P<name>\S.*)$")
_BUILDKITE_FIRST = re.lazy(r"^(?:~~~ |(?:---|\+\+\+) :\w+:)")
_NOT_A_GROUP = ("FAIL", "PASS", "SKIP", "a/", "b/", "/", "STDOUT", "STDERR", "BENCH")
_AZURE_START = "Starting: "
_CIRCLE_SHEBANG = re.lazy(r"^#!/bin/(?:ba|z)?sh -eo pipefail$")
LABEL_CHARS = 200
# The lines that tell which system wrote a log (`section` markup aside): until one, only these matter.
MARKER_HINTS = (
    "^(?:" + "|".join(re.escape(w) for w in _TRAVIS_SEEN) + ")",
    _BUILDKITE_FIRST.pattern,
    _CIRCLE_SHEBANG.pattern,
)


class MarkerSteps:
    """Feed every clean line; `feed` returns the new step's label at a boundary, else None."""

    def __init__(self) -> None:
        self.system = ""  # "travis", "buildkite", "azure" or "circleci" once the log shows which
        self._circle_wants_command = False

    def feed(self, line: CleanLine) -> str | None:
        text = line.text
        if line.marker == "section":
            if text.startswith(_AZURE_START):
                self.system = "azure"
                return _label(text[len(_AZURE_START) :])
            return None
        if not self.system:
            self._recognise(text)
        if self.system == "travis":
            if m := _TRAVIS_FOLD.match(text):
                return _label(m.group("name"))
            if m := _TRAVIS_COMMAND.match(text):
                return _label(m.group("cmd"))
        elif self.system == "buildkite":
            if (m := _BUILDKITE.match(text)) and not m.group("name").startswith(_NOT_A_GROUP):
                return _label(m.group("name"))
        elif self.system == "circleci":
            if _CIRCLE_SHEBANG.match(text):
                self._circle_wants_command = True
            elif self._circle_wants_command and text.strip():
                self._circle_wants_command = False
                return _label(text)
        return None

    def _recognise(self, text: str) -> None:
        if text.startswith(_TRAVIS_SEEN):
            self.system = "travis"
        elif _BUILDKITE_FIRST.match(text):
            self.system = "buildkite"
        elif _CIRCLE_SHEBANG.match(text):
            self.system = "circleci"


def _label(text: str) -> str:
    text = text.strip()
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
