"""Where a GitHub Actions job's failure can be: its failing step, and the steps before it only when they may have made
it fail (pure).

The runner opens every step with `##[group]Run <command or action>` over the step's definition (a script's own group
titled `Run ...` holds its output and opens no step) and marks what failed with `##[error]`
(`Process completed with exit code 1.`, an action's `Failed to execute ...`). A step the runner went on from without
such a marker passed, whatever it printed: a deploy script's `chown: ... Operation not permitted` it shrugged off
before `Successfully executed commands`, the names of passing tests (`..._ReturnsError`), a flake8 report run with
`--exit-zero`. The job's first failure in time is in the first step holding a marker, so the steps above it are no
evidence of it, with one exception: the failing step fails on something missing (`The path 'dist\\*' either does not
exist`, `No such file or directory`) that an earlier step printed errors about and never closed with a success
verdict (a build script that caught its own `BUILD FAILED: ...` and exited 0). That earlier step is then kept: what
it failed to make is the cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from gardener import regex as re
from gardener.ingest.runner_log.locator import locate, rank
from gardener.text import clean_line

_STEP = "Run "
# Where the post-job cleanup starts: what it prints is not the failing step's.
_CLEANUP = ("Post job cleanup.", "##[group]Post ")
# A failure on something an earlier step should have made: a path, a file, an artifact, a command.
_MISSING = re.lazy(
    r"(?i)\b(?:does not exist|doesn't exist|no such file|not found|found no matching files|no files were found"
    r"|cannot find|can't find|could not find|unable to find|is not recognized as)\b"
)
# A step's own verdict that it went well (`Build succeeded.`, `Test Run Successful.`, `✅ Successfully executed ...`).
# A script's own verdict that it failed, the cause after it (`BUILD FAILED: The term 'conda.exe' is not recognized`).
_FAILED = re.lazy(r"(?i)^\s*(?:\w+ )?(?:failed|failure)\s*[:!]")
_SUCCESS = re.lazy(r"(?i)\b(?:succeeded|successful|successfully|completed without errors?)\b|^\s*✅")


# A line of the runner's step header: what the step runs with (`shell: /usr/bin/bash -e {0}`, an action's `with:`,
# the step's `env:`).
_DEFINITION = ("shell:", "with:", "env:")


def _opens_step(lines: Sequence[str], header: int, command: str) -> bool:
    """The `##[group]Run <command>` line at `header` is the runner's step header, not a group the step's own script
    titled `Run ...` (`echo "::group::Run tests"`): the runner's group holds the step's definition (its command, then
    `shell:`, `with:` or `env:`, or nothing), a script's group the script's output."""
    for n in range(header + 1, len(lines)):
        line = clean_line(lines[n])
        if line.marker:  # its ##[endgroup], or a marker before any definition line
            return line.marker == "endgroup" and n == header + 1
        text = line.text
        if (n == header + 1 and text.strip() == command.strip()) or text.startswith(_DEFINITION):
            return True
    return False


def step_starts(lines: Sequence[str]) -> tuple[list[int], int | None]:
    """The 0-based indexes of the `##[group]Run` lines opening steps, and of the one opening the first step holding
    an `##[error]` marker (None when no step header comes before the first marker, or there is no marker)."""
    starts: list[int] = []
    for i, raw in enumerate(lines):
        if "##[" not in raw:
            continue
        line = clean_line(raw)
        if line.marker == "group" and line.text.startswith(_STEP) and _opens_step(lines, i, line.text[len(_STEP):]):
            starts.append(i)
        elif line.marker == "error":
            return starts, (starts[-1] if starts else None)
    return starts, None


def _clean(lines: Sequence[str], start: int, end: int) -> list[tuple[int, str]]:
    return [(n, clean_line(lines[n]).text) for n in range(start, end)]


def _fails_on_missing(lines: Sequence[str], start: int) -> bool:
    """The failing step opened at `start` is explained by a line saying something is missing."""
    end = next((i for i in range(start, len(lines)) if any(mark in lines[i] for mark in _CLEANUP)), len(lines))
    found = locate(_clean(lines, start, end))
    return found is not None and _MISSING.search(found[1]) is not None


def _swallowed(lines: Sequence[str], start: int, end: int) -> bool:
    """The passed step in lines [start, end) printed an error-looking line (or a verdict that it failed, `BUILD
    FAILED: ...`, which the locator passes over as a summary) after its last success verdict."""
    last_error = None
    for number, text in _clean(lines, start, end):
        if rank(text) or _FAILED.search(text):
            last_error = number
        elif last_error is not None and _SUCCESS.search(text):
            last_error = None
    return last_error is not None


def without_passed_steps(text: str) -> str:
    """`text` with the lines of the steps before its failing step left blank (blank, not gone: lines keep their
    numbers), but for a step that may have left the failing one something missing (see the module docstring);
    `text` itself when it shows no such steps."""
    if "##[error]" not in text or "##[group]Run " not in text:
        return text
    lines = text.split("\n")
    starts, failing = step_starts(lines)
    if not failing:
        return text
    bounds = [0, *(s for s in starts if s < failing), failing]
    passed = [(a, b) for a, b in pairwise(bounds) if a < b]
    keep = _fails_on_missing(lines, failing)
    out = list(lines)
    for a, b in passed:
        if keep and _swallowed(lines, a, b):
            continue
        out[a:b] = [""] * (b - a)
    return "\n".join(out)
